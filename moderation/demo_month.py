"""Demo only (local settings): last month's moderation on the seeded channels, so that /insyn/
shows a month of figures on a fresh ``make run``. Items come in through the intake and are
decided through the services by two demo moderators; the times are then set back into last
month. Every id and name says "demo"."""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.db import connection, transaction

from accounts.choices import Role
from accounts.models import User
from accounts.services import system_user
from channels_app.models import Channel
from moderation import services
from moderation.choices import ItemEvent
from moderation.models import Decision, Item, Reconsideration, ReconsiderationRequest
from moderation.platforms.base import NormalizedItem
from moderation.reconsideration import reconsideration_request_submit
from moderation.statistics import month_start

PREFIX = "demo-month-"
COMMENTS = [
    "Tack för informationen!",
    "När öppnar badhuset igen efter renoveringen?",
    "Bra initiativ, fler sådana satsningar.",
    "Var kan man läsa mer om detta?",
    "Snyggt jobbat med nya lekplatsen i Varberga.",
    "Gäller det här även för Glanshammar?",
    "Vilka tider har återvinningscentralen i helgen?",
    "Fint foto! Var är det taget?",
]
OFFENSIVE = "Ni på kommunen är idioter allihop."
ADVERT = "Köp billiga solceller hos oss – 20 % rabatt i dag!"
# channel slug: (comments, [(action, ground, text, how many)])
PLAN: dict[str, tuple[int, list[tuple[str, str, str, int]]]] = {
    "facebook-orebro-kommun": (
        46,
        [
            ("hide", "harassment", OFFENSIVE, 6),
            ("hide", "marketing", ADVERT, 3),
            ("remove", "harassment", OFFENSIVE, 4),
            ("block", "harassment", OFFENSIVE, 1),
        ],
    ),
    "instagram-orebrokommun": (29, [("hide", "marketing", ADVERT, 4)]),
    "youtube-orebro-kommun": (9, [("remove", "harassment", OFFENSIVE, 3)]),
    "linkedin-orebro-kommun": (5, []),
}


def demo_moderator(email: str, name: str) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"name": name, "unit": "Demo", "is_staff": True}
    )
    if created:
        user.set_unusable_password()  # demo_accounts gives the first one its password
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=Role.MODERATOR))
    return user


# The append-only triggers on PostgreSQL (moderation migration 0003).
APPEND_ONLY_TRIGGERS = [
    ("moderation_decision", "moderation_decision_append_only"),
    ("moderation_reconsideration", "moderation_reconsideration_append_only"),
]


@contextmanager
def _backdating() -> Iterator[None]:
    """The demo sets its decisions' times back into last month, which PostgreSQL's append-only
    triggers refuse; they are switched off inside the demo's own transaction only (the change
    is transactional: an error rolls it back with the rest). Deferred checks already pending
    are run first, as PostgreSQL alters no table that has them."""
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, trigger in APPEND_ONLY_TRIGGERS if postgresql else []:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        yield
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, trigger in APPEND_ONLY_TRIGGERS if postgresql else []:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def demo_month_seed(*, now: datetime) -> int:
    """Last month's items, decisions and reconsiderations, once. Returns the items created."""
    if Item.objects.filter(external_id__startswith=PREFIX).exists():
        return 0
    with _backdating():
        return _demo_month(now)


def _demo_month(now: datetime) -> int:
    channels = {c.slug: c for c in Channel.objects.filter(slug__in=PLAN)}
    deciding = demo_moderator("moderator2@demo.orebro.se", "Demo Moderator 2")
    reviewing = demo_moderator("moderator@demo.orebro.se", "Demo Moderator")
    this_month = month_start(now.date().replace(day=1))
    first = month_start((this_month - timedelta(days=1)).date().replace(day=1))
    span = (this_month - first).total_seconds() - 3 * 86400
    rng = random.Random(2026)  # noqa: S311 (a fixed, repeatable spread of demo times)
    created = 0
    requested: list[Decision] = []
    for slug, (count, decisions) in PLAN.items():
        channel = channels.get(slug)
        if channel is None:
            continue
        texts = [(action, ground, text) for action, ground, text, n in decisions for _ in range(n)]
        for index in range(count):
            action, ground, text = texts[index] if index < len(texts) else ("", "", "")
            received = first + timedelta(seconds=rng.uniform(0, span))
            item = _intake(
                channel, f"{PREFIX}{slug}-{index}", text or rng.choice(COMMENTS), received
            )
            created += 1
            if action:
                decision = _decide(item, action, ground, deciding, minutes=rng.uniform(12, 600))
                if slug == "facebook-orebro-kommun" and action == "hide" and len(requested) < 9:
                    requested.append(decision)
    for number, decision in enumerate(requested):
        _reconsideration(decision, number, reviewing)
    return created


def _intake(channel: Channel, external_id: str, text: str, received: datetime) -> Item:
    base = channel.url.rstrip("/") if channel.url else "https://example.invalid"
    item = services.moderation_item_intake(
        channel=channel,
        item=NormalizedItem(
            platform=channel.platform,
            account_id=f"demo-{channel.slug}",
            external_id=external_id,
            kind="comment",
            event=ItemEvent.CREATED,
            occurred_at=received,
            text=text,
            author_id=f"{external_id}-author",
            author_name="Demo-skribent",
            permalink=f"{base}/{external_id}",
            raw={"demo": True, "id": external_id, "message": text},
        ),
        actor=system_user(),
    ).item
    due = item.due_at - item.received_at + received
    Item.objects.filter(pk=item.pk).update(received_at=received, due_at=due)
    item.refresh_from_db()
    return item


def _decide(item: Item, action: str, ground: str, actor: User, *, minutes: float) -> Decision:
    """Decide through the services, then set the times back to ``minutes`` after receipt."""
    services.item_claim(item=item, actor=actor)
    decision = services.item_decide(
        item=item, action=action, ground_codes=[ground], rationale="Demo.", actor=actor
    )
    when = item.received_at + timedelta(minutes=minutes)
    Decision.objects.filter(item=item).update(created_at=when)
    times = {"first_action_at": when, "claimed_at": None}
    if action in ("hide", "remove"):
        times["hidden_at"] = when
    if action == "remove":
        times["removed_at"] = when
    Item.objects.filter(pk=item.pk).update(**times)
    decision.refresh_from_db()
    return decision


def _reconsideration(decision: Decision, number: int, reviewer: User) -> None:
    """Nine authors ask; the reviewing moderator upholds four decisions and changes three; two
    wait for an answer."""
    assert decision.item is not None
    request = reconsideration_request_submit(
        permalink=decision.item.permalink,
        reason="Demo: jag tycker inte att kommentaren bröt mot reglerna.",
        contact="",
        form_nonce=f"{PREFIX}{number}",
    )
    asked = decision.created_at + timedelta(days=1)
    ReconsiderationRequest.objects.filter(pk=request.pk).update(
        received_at=asked, due_at=asked + timedelta(days=7)
    )
    if number < 7:
        outcome = "upheld" if number < 4 else "changed"
        reconsideration = services.decision_reconsider(
            decision=decision,
            outcome=outcome,
            rationale="Demo: omprövat av en annan moderator.",
            actor=reviewer,
        )
        Reconsideration.objects.filter(pk=reconsideration.pk).update(
            created_at=asked + timedelta(days=2)
        )
