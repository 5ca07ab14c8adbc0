"""Intake: idempotent on (channel, platform id), versions, out-of-order events, capture first,
detectors and the automatic hide with the Servicecenter reply."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import system_user
from channels_app.choices import ChannelPlatform, ChannelRecordsPolicy
from moderation.choices import (
    DecisionAction,
    IntakeOutcome,
    ItemEvent,
    ItemState,
    PlatformActionState,
)
from moderation.models import (
    OPEN_ITEMS,
    Decision,
    Item,
    ItemVersion,
    PlatformAccount,
    PlatformAction,
)
from moderation.services import (
    IntakeResult,
    moderation_item_intake,
    moderation_items_intake,
    moderation_items_receive,
)
from records.models import Record, RecordAmendment
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized

pytestmark = pytest.mark.django_db

EXACT_TEXTS = [
    "Tack! 🎉👏🏽 Örebro ❤️ 👨‍👩‍👧",
    "\u200fمرحبا بكم في أوريبرو\u200f och svenska",
    "noll\u200bbredd\u200cjoiner\u200d\u2060tecken\ufeff",
    "å" * 10_000,
]


def intake(channel, **kwargs):
    return moderation_item_intake(
        channel=channel, item=normalized(channel, **kwargs), actor=system_user()
    )


def test_created_then_replay_is_unchanged(channel):
    first = intake(channel, external_id="c-1")
    again = intake(channel, external_id="c-1", occurred_at=first.item.platform_time)
    assert (first.outcome, again.outcome) == (IntakeOutcome.CREATED, IntakeOutcome.UNCHANGED)
    assert Item.objects.count() == 1
    assert ItemVersion.objects.count() == 1
    item = first.item
    assert len(item.sha256) == 64
    assert item.due_at > item.received_at


def test_an_edit_adds_a_version_and_amends_the_record(channel):
    channel.records_policy = ChannelRecordsPolicy.REGISTER_ALL
    channel.save()
    created = timezone.now() - timedelta(minutes=10)
    intake(channel, external_id="c-1", occurred_at=created, text="Första")
    result = intake(
        channel,
        external_id="c-1",
        occurred_at=created + timedelta(minutes=1),
        text="Andra",
        event="edited",
    )
    assert result.outcome == IntakeOutcome.UPDATED
    item = Item.objects.get()
    assert item.text == "Andra"
    assert list(item.versions.values_list("text", flat=True)) == ["Första", "Andra"]
    assert item.record is not None
    assert item.record.text == "Första"  # the registered snapshot never changes
    assert RecordAmendment.objects.get(record=item.record).text == "Andra"


def test_out_of_order_events_resolve_by_platform_time(channel):
    base = timezone.now() - timedelta(hours=1)
    intake(
        channel,
        external_id="c-1",
        occurred_at=base + timedelta(minutes=2),
        text="Nyast",
        event="edited",
    )
    older = intake(channel, external_id="c-1", occurred_at=base, text="Äldst")
    item = Item.objects.get()
    assert older.outcome == IntakeOutcome.UPDATED
    assert item.text == "Nyast"
    assert item.platform_time == base  # the earliest event is when it reached us
    assert sorted(item.versions.values_list("text", flat=True)) == ["Nyast", "Äldst"]


def test_removal_and_visibility_on_the_platform(channel):
    base = timezone.now() - timedelta(hours=1)
    intake(channel, external_id="c-1", occurred_at=base)
    intake(
        channel,
        external_id="c-1",
        occurred_at=base + timedelta(minutes=5),
        event="hidden",
        text=None,
    )
    stale = intake(
        channel,
        external_id="c-1",
        occurred_at=base + timedelta(minutes=1),
        event="unhidden",
        text=None,
    )
    assert stale.outcome == IntakeOutcome.UNCHANGED
    assert Item.objects.get().platform_hidden is True
    removed = intake(
        channel,
        external_id="c-1",
        occurred_at=base + timedelta(minutes=9),
        event="removed",
        text=None,
    )
    assert removed.outcome == IntakeOutcome.UPDATED
    item = Item.objects.get()
    assert item.platform_deleted
    assert item.text


def test_one_author_per_account_and_platform(channel):
    other = ChannelFactory.create(connected=True)
    intake(channel, author_id="42")
    intake(other, author_id="42")
    assert PlatformAccount.objects.filter(external_id="42").count() == 1


def test_replies_are_linked_to_their_parent_whichever_arrives_first(channel):
    reply = intake(channel, external_id="r-1", kind="reply", parent_external_id="p-1").item
    parent = intake(channel, external_id="p-1", kind="post").item
    reply.refresh_from_db()
    assert reply.parent == parent
    assert reply.thread_external_id == "p-1"


@pytest.mark.parametrize("text", EXACT_TEXTS)
def test_text_is_stored_exactly(channel, text):
    item = intake(channel, text=text).item
    item.refresh_from_db()
    assert item.text == text
    assert item.versions.get().text == text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "story"}, "kind"),
        ({"event": "liked"}, "event"),
        ({"external_id": "x" * 300}, "external_id"),
        ({"external_id": " c-1 "}, "external_id"),
        ({"text": "a" * 100_001}, "text"),
        ({"occurred_at": timezone.now().replace(tzinfo=None)}, "occurred_at"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(channel, change, field):
    with pytest.raises(ValidationError) as error:
        intake(channel, **change)
    assert field in error.value.message_dict
    assert not Item.objects.exists()
    assert not PlatformAccount.objects.exists()
    assert not Record.objects.exists()


def test_an_item_from_another_platform_is_refused(channel):
    youtube = ChannelFactory.create(connected=True, platform=ChannelPlatform.YOUTUBE, url="")
    with pytest.raises(ValidationError) as error:
        moderation_item_intake(channel=channel, item=normalized(youtube), actor=system_user())
    assert "platform" in error.value.message_dict
    assert not Item.objects.exists()


def test_intake_needs_the_ingest_permission(channel, moderator):
    with pytest.raises(PermissionDenied):
        moderation_item_intake(channel=channel, item=normalized(channel), actor=moderator)


def test_capture_first_follows_the_channel_policy(channel):
    item = intake(channel, text="När plogas Storgatan?").item
    assert item.record.registration_basis == "kept_in_order"
    assert item.record.registration_reason == "received"
    assert item.record.document_date == item.platform_time
    assert item.record.text == item.text


def test_a_personal_number_is_hidden_answered_and_registered(channel):
    item = intake(channel, text="Mitt personnummer är 19121212-1212, har ni fått min ansökan?").item
    item.refresh_from_db()
    assert item.state == ItemState.HIDDEN
    assert Item.objects.filter(OPEN_ITEMS).get() == item  # hidden, and waiting for a person
    assert item.platform_hidden
    assert item.hidden_at
    assert item.first_action_at is None
    decisions = Decision.objects.filter(item=item)
    assert set(decisions.values_list("action", "automated")) == {
        (DecisionAction.HIDE, True),
        (DecisionAction.REPLY, True),
    }
    reply = PlatformAction.objects.get(action="reply")
    assert "Servicecenter 019-21 10 00" in reply.text
    assert reply.state == PlatformActionState.PENDING
    assert item.record.registration_basis == "registered"
    assert item.record.number
    assert item.record.registration_reason == "sensitive"
    assert item.priority >= 60
    assert list(item.suspected_grounds.values_list("code", flat=True)) == ["sensitive-information"]


def test_where_the_channel_cannot_hide_it_is_only_answered(channel):
    linkedin = ChannelFactory.create(connected=True, platform=ChannelPlatform.LINKEDIN, url="")
    item = intake(linkedin, text="Mitt personnummer är 19121212-1212").item
    item.refresh_from_db()
    assert item.state == ItemState.NEW
    assert list(Decision.objects.values_list("action", flat=True)) == [DecisionAction.REPLY]


def test_automation_never_removes(channel):
    intake(channel, text="Någon borde skjuta er, 19121212-1212")
    assert not Decision.objects.filter(action=DecisionAction.REMOVE).exists()


def test_a_kept_item_edited_on_the_platform_is_reviewed_again(channel, moderator):
    from moderation.services import item_decide

    created = timezone.now() - timedelta(minutes=10)
    item = intake(channel, external_id="c-1", occurred_at=created, text="Fin bild!").item
    item_decide(item=item, action="keep", actor=moderator)
    intake(
        channel,
        external_id="c-1",
        occurred_at=created + timedelta(minutes=5),
        text="Fin bild! Mitt personnummer är 19121212-1212",
        event="edited",
    )
    item.refresh_from_db()
    actions = list(item.decisions.order_by("pk").values_list("action", "automated"))
    assert actions == [
        ("keep", False),
        ("reopen", True),
        ("hide", True),
        ("reply", True),
    ]
    assert item.state == ItemState.HIDDEN
    assert Item.objects.filter(OPEN_ITEMS).get() == item  # back in the queue for a person


@pytest.mark.parametrize(
    ("policy", "basis"),
    [
        (ChannelRecordsPolicy.REGISTER_ALL, "registered"),
        (ChannelRecordsPolicy.REGISTER_MODERATED, "kept_in_order"),
        (ChannelRecordsPolicy.KEEP_IN_ORDER, "kept_in_order"),
    ],
)
def test_the_accounts_own_post_is_captured_as_drawn_up_per_the_channels_policy(
    channel, policy, basis
):
    """Drawn up (TF 2:10), and registered or kept in order as the channel's policy says."""
    from moderation.platforms.base import NormalizedItem

    channel.records_policy = policy
    channel.save(update_fields=["records_policy"])
    post = NormalizedItem(
        platform=channel.platform,
        account_id="page-1",
        external_id="p-1",
        kind="post",
        event=ItemEvent.CREATED,
        occurred_at=timezone.now() - timedelta(minutes=1),
        text="Nu öppnar vi ansökan till sommarjobb!",
        author_id="page-1",
    )
    item = moderation_item_intake(channel=channel, item=post, actor=system_user()).item
    assert item.record is not None
    assert item.record.direction == "drawn_up"
    assert item.record.registration_basis == basis


def intake_many(channel, events):
    return moderation_items_intake(channel=channel, items=events, actor=system_user())


def test_a_batch_stores_new_items_replays_edits_and_threads_in_order(channel):
    channel.records_policy = ChannelRecordsPolicy.REGISTER_ALL
    channel.save()
    earlier = intake(channel, external_id="stored-1", text="Gammal kommentar").item
    at = timezone.now() - timedelta(minutes=5)
    events = [
        normalized(channel, external_id="post-1", kind="post", text="Nytt inlägg", occurred_at=at),
        normalized(
            channel, external_id="reply-1", kind="reply", parent_external_id="post-1", author_id="7"
        ),
        normalized(channel, external_id="reply-2", kind="reply", parent_external_id="post-9"),
        normalized(channel, external_id="post-1", kind="post", text="Nytt inlägg", occurred_at=at),
        normalized(
            channel,
            external_id="stored-1",
            text="Ändrad kommentar",
            occurred_at=earlier.platform_time + timedelta(minutes=1),
        ),
        normalized(channel, external_id="post-1", kind="post", text="Rättat inlägg"),
    ]
    outcomes = [result.outcome for result in intake_many(channel, events)]
    assert outcomes == ["created", "created", "created", "unchanged", "updated", "updated"]
    post, reply, orphan = (
        Item.objects.get(external_id=i) for i in ("post-1", "reply-1", "reply-2")
    )
    assert reply.parent == post
    assert orphan.parent is None
    assert post.text == "Rättat inlägg"
    assert post.versions.count() == 2
    assert post.current_version is not None
    assert post.current_version.text == "Rättat inlägg"
    assert RecordAmendment.objects.filter(record=post.record).count() == 1
    assert RecordAmendment.objects.filter(record=earlier.record).count() == 1
    assert reply.author == PlatformAccount.objects.get(external_id="7")
    numbers = sorted(
        str(n)
        for n in Record.objects.exclude(pk=earlier.record_id).values_list("number", flat=True)
    )
    year = timezone.localtime().year
    assert numbers == [f"SOME {year}/{n:06d}" for n in range(2, 5)]
    late = intake_many(channel, [normalized(channel, external_id="post-9", kind="post")])
    orphan.refresh_from_db()
    assert orphan.parent == late[0].item


def test_a_batch_costs_the_same_queries_whatever_its_size(channel):
    """New items with new authors: the queries do not grow with the number of items."""
    intake(channel)  # permissions and the system user are cached
    counts = []
    for size in (2, 20):
        events = [
            normalized(channel, author_id=f"author-{size}-{n}", text=f"Fråga {n} om bussen")
            for n in range(size)
        ]
        with CaptureQueriesContext(connection) as ctx:
            intake_many(channel, events)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 25
    assert Item.objects.count() == 23


def test_a_personal_number_in_a_batch_is_hidden_and_registered_as_sensitive(channel):
    events = [
        normalized(channel, text="Hej, mitt personnummer är 19121212-1212"),
        normalized(channel, text="Tack för svaret!"),
    ]
    sensitive, plain = (result.item for result in intake_many(channel, events))
    sensitive.refresh_from_db()
    assert sensitive.state == ItemState.HIDDEN
    assert sensitive.record.registration_reason == "sensitive"
    assert sensitive.record.history.count() == 1
    assert sensitive.priority >= 60
    assert list(sensitive.suspected_grounds.values_list("code", flat=True)) == [
        "sensitive-information"
    ]
    plain.refresh_from_db()
    assert plain.state == ItemState.NEW
    assert plain.priority == 0


def test_bad_input_refuses_the_whole_batch_and_receive_refuses_only_it(channel):
    good, bad = normalized(channel, external_id="good-1"), normalized(channel, kind="poster")
    with pytest.raises(ValidationError):
        intake_many(channel, [good, bad])
    assert Item.objects.count() == 0
    results = moderation_items_receive(channel=channel, items=[good, bad], actor=system_user())
    assert isinstance(results[0], IntakeResult)
    assert results[0].outcome == IntakeOutcome.CREATED
    assert isinstance(results[1], ValidationError)
    assert list(Item.objects.values_list("external_id", flat=True)) == ["good-1"]
