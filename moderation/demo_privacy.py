"""Demo data for a subject-access request (local settings only): a commenter whose data is in
the queue and the register — a comment naming another person's identity number, a comment
marked secret, a note and a block — an orphaned platform account for the retention task, and
the request itself, received by a registrar."""

from datetime import timedelta

from django.utils import timezone

from accounts.services import system_user
from channels_app.models import Channel
from moderation.choices import ItemEvent
from moderation.demo_month import demo_moderator
from moderation.models import Item, PlatformAccount
from moderation.platforms.base import NormalizedItem
from moderation.services import block_create, moderation_item_intake, note_create
from privacy.models import SubjectRequest
from privacy.services import subject_request_create
from records.services import record_secrecy_mark

AUTHOR_ID = "demo-anna-lind"
AUTHOR_NAME = "Anna Lind (demo)"
CASE_NUMBER = "DEMO 2026/1"
COMMENTS = [
    ("privacy-1", "Min granne 811218-9876 ställer sin bil på trottoaren varje dag. Hör av er!"),
    ("privacy-2", "Jag behöver hjälp, min son har det svårt i skolan och mår dåligt."),
]


def privacy_demo_seed() -> int:
    """Returns how many demo comments it brought in (0 when they exist already)."""
    channel = Channel.objects.filter(slug="facebook-orebro-kommun").first()
    if channel is None or SubjectRequest.objects.filter(case_number=CASE_NUMBER).exists():
        return 0
    actor = system_user()
    now = timezone.now()
    items: list[Item] = []
    for minutes, (key, text) in enumerate(COMMENTS, start=1):
        items.append(
            moderation_item_intake(
                channel=channel,
                item=NormalizedItem(
                    platform=channel.platform,
                    account_id=f"demo-{channel.slug}",
                    external_id=f"demo-{key}",
                    kind="comment",
                    event=ItemEvent.CREATED,
                    occurred_at=now - timedelta(minutes=90 * minutes),
                    text=text,
                    author_id=AUTHOR_ID,
                    author_name=AUTHOR_NAME,
                    permalink=f"{channel.url.rstrip('/')}/demo-{key}" if channel.url else None,
                    raw={"demo": True, "id": f"demo-{key}", "message": text},
                ),
                actor=actor,
            ).item
        )
    secret = items[1].record
    if secret is not None:
        record_secrecy_mark(record=secret, provision="OSL 26 kap. 1 §", actor=actor)
    author = PlatformAccount.objects.get(platform=channel.platform, external_id=AUTHOR_ID)
    moderator = demo_moderator("moderator@demo.orebro.se", "Demo Moderator")
    note_create(text="Har skrivit om grannens bil flera gånger.", author=author, actor=moderator)
    block_create(
        author=author,
        channel=channel,
        ground_codes=["harassment"],
        rationale="Hänger ut grannen med personnummer.",
        ends_at=now + timedelta(days=30),
        actor=moderator,
    )
    orphan, _created = PlatformAccount.objects.get_or_create(
        platform=channel.platform,
        external_id="demo-orphan",
        defaults={"name": "Lämnat konto (demo)"},
    )
    PlatformAccount.objects.filter(pk=orphan.pk).update(last_seen_at=now - timedelta(days=400))
    subject_request_create(
        case_number=CASE_NUMBER,
        kind="access",
        requester=AUTHOR_NAME,
        contact="anna.lind@example.se",
        identifiers=[AUTHOR_NAME],
        description="Vilka uppgifter har ni om mig från era sociala medier?",
        actor=actor,
    )
    return len(items)
