"""Claims, decisions, bulk decisions, blocks, reconsideration, notes, checklists, alerts."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.choices import Role
from accounts.services import system_user
from channels_app.choices import ChannelPlatform
from core.exceptions import ApplicationError
from moderation import services
from moderation.choices import DecisionAction, ItemState, PlatformActionState
from moderation.models import (
    Block,
    Decision,
    DetectorHit,
    Item,
    Note,
    PlatformAction,
    PoliceReportChecklist,
    Reconsideration,
)
from moderation.tasks import queue_sweep
from tests.factories import ChannelFactory
from tests.moderation.factories import PlatformAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_moderator(make_user):
    return make_user(Role.MODERATOR)


def nothing_written(before: int) -> bool:
    return (
        Decision.objects.count() == before
        and not PlatformAction.objects.filter(decision__automated=False).exists()
    )


# --- claims -----------------------------------------------------------------------------------


def test_claim_locks_the_item_for_others_until_it_expires(intake, moderator, other_moderator):
    item = intake()
    services.item_claim(item=item, actor=moderator)
    with pytest.raises(ApplicationError) as error:
        services.item_claim(item=item, actor=other_moderator)
    assert moderator.name in error.value.message
    with time_machine.travel(timezone.now() + services.CLAIM_DURATION + timedelta(seconds=1)):
        claimed = services.item_claim(item=item, actor=other_moderator)
    assert claimed.claimed_by == other_moderator


def test_release_and_the_sweep_give_items_back(intake, moderator):
    item = intake()
    services.item_claim(item=item, actor=moderator)
    assert services.item_release(item=item, actor=moderator).state == ItemState.NEW
    services.item_claim(item=item, actor=moderator)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert services.claims_expired_release(actor=system_user()) == 1
    item.refresh_from_db()
    assert item.state == ItemState.NEW
    assert item.claimed_by is None


def test_a_decided_item_cannot_be_claimed(intake, moderator):
    item = intake()
    services.item_decide(item=item, action="keep", actor=moderator)
    with pytest.raises(ApplicationError):
        services.item_claim(item=item, actor=moderator)


# --- decisions --------------------------------------------------------------------------------


def test_remove_with_a_ground(intake, moderator):
    item = intake(text="Ni är ena jävla idioter")
    services.item_claim(item=item, actor=moderator)
    decision = services.item_decide(
        item=item, action="remove", ground_codes=["harassment"], actor=moderator
    )
    item.refresh_from_db()
    assert item.state == ItemState.REMOVED
    assert item.removed_at
    assert item.first_action_at
    assert item.claimed_by is None
    assert list(decision.grounds.values_list("code", flat=True)) == ["harassment"]
    action = PlatformAction.objects.get(decision=decision)
    assert (action.action, action.target_external_id, action.state) == (
        "delete",
        item.external_id,
        PlatformActionState.PENDING,
    )
    assert item.record.registration_basis == "registered"
    assert item.record.registration_reason == "moderated"
    assert item.text  # removal never destroys the public document


def test_a_decision_without_a_needed_ground_is_refused(intake, moderator):
    item = intake()
    for action in ("remove", "hide", "block"):
        with pytest.raises(ValidationError) as error:
            services.item_decide(item=item, action=action, actor=moderator)
        assert "grounds" in error.value.message_dict
    assert nothing_written(0)
    assert Item.objects.get().state == ItemState.NEW


@pytest.mark.parametrize("code", ["political", "marketing"])
def test_political_or_marketing_removal_needs_a_rationale(intake, moderator, code):
    item = intake(text="Rösta bort de styrande i höst!")
    with pytest.raises(ValidationError) as error:
        services.item_decide(item=item, action="remove", ground_codes=[code], actor=moderator)
    assert "rationale" in error.value.message_dict
    assert nothing_written(0)
    decision = services.item_decide(
        item=item,
        action="remove",
        ground_codes=[code],
        rationale="Partipolitisk uppmaning, inte en fråga till kommunen.",
        actor=moderator,
    )
    assert decision.rationale.startswith("Partipolitisk")


def test_an_unknown_ground_is_refused_by_name(intake, moderator):
    item = intake()
    with pytest.raises(ValidationError) as error:
        services.item_decide(item=item, action="remove", ground_codes=["rude"], actor=moderator)
    assert "rude" in str(error.value)
    assert nothing_written(0)


def test_a_decision_on_an_item_claimed_by_someone_else_is_refused(
    intake, moderator, other_moderator
):
    item = intake()
    services.item_claim(item=item, actor=moderator)
    with pytest.raises(ApplicationError):
        services.item_decide(
            item=item, action="remove", ground_codes=["harassment"], actor=other_moderator
        )
    assert nothing_written(0)
    assert Item.objects.get().claimed_by == moderator


def test_only_a_person_removes(intake):
    item = intake()
    with pytest.raises(PermissionDenied):
        services.item_decide(
            item=item, action="remove", ground_codes=["harassment"], actor=system_user()
        )


def test_a_person_needs_the_moderator_role(intake, editor):
    with pytest.raises(PermissionDenied):
        services.item_decide(item=intake(), action="keep", actor=editor)


def test_keep_after_an_automatic_hide_unhides_on_the_platform(intake, moderator):
    item = intake(text="Mitt personnummer är 19121212-1212")
    decision = services.item_decide(item=item, action="keep", actor=moderator)
    assert list(decision.platform_actions.values_list("action", flat=True)) == ["unhide"]
    item.refresh_from_db()
    assert item.state == ItemState.KEPT
    assert not item.platform_hidden


def test_state_transitions_are_checked(intake, moderator):
    item = intake()
    with pytest.raises(ApplicationError):
        services.item_decide(item=item, action="unhide", actor=moderator)
    services.item_decide(item=item, action="escalate", actor=moderator)
    services.item_decide(item=item, action="reopen", actor=moderator)
    assert Item.objects.get().state == ItemState.NEW


def test_hide_on_a_channel_that_cannot_hide_is_refused(intake, moderator):
    linkedin = ChannelFactory.create(connected=True, platform=ChannelPlatform.LINKEDIN, url="")
    item = intake(linkedin)
    with pytest.raises(ApplicationError):
        services.item_decide(item=item, action="hide", ground_codes=["harassment"], actor=moderator)
    assert nothing_written(0)


def test_a_removal_the_platform_cannot_do_is_left_for_a_person(intake, moderator):
    podcast = ChannelFactory.create(connected=True, platform=ChannelPlatform.PODCAST, url="")
    item = intake(podcast)
    decision = services.item_decide(
        item=item, action="remove", ground_codes=["harassment"], actor=moderator
    )
    assert decision.platform_actions.get().state == PlatformActionState.UNSUPPORTED


def test_decisions_are_append_only(intake, moderator):
    decision = services.item_decide(item=intake(), action="keep", actor=moderator)
    decision.rationale = "ändrat"
    with pytest.raises(ValidationError):
        decision.save()
    with pytest.raises(ValidationError):
        decision.delete()


def test_police_report_ground_opens_a_checklist(intake, moderator):
    item = intake(text="Jag ska skjuta er alla i morgon")
    decision = services.item_decide(
        item=item, action="remove", ground_codes=["threat-incitement"], actor=moderator
    )
    checklist = PoliceReportChecklist.objects.get(decision=decision)
    with pytest.raises(ValidationError):
        services.police_checklist_update(
            checklist=checklist,
            evidence_secured=True,
            reported_to_police=True,
            police_reference="",
            security_informed=False,
            complete=True,
            actor=moderator,
        )
    done = services.police_checklist_update(
        checklist=checklist,
        evidence_secured=True,
        reported_to_police=True,
        police_reference="5000-K123456-26",
        security_informed=True,
        complete=True,
        actor=moderator,
    )
    assert done.completed_by == moderator


def test_child_abuse_material_keeps_metadata_only(intake, moderator):
    item = intake(text="beskrivning av övergreppsmaterial 070-123 45 67")
    services.item_decide(
        item=item, action="remove", ground_codes=["child-abuse-material"], actor=moderator
    )
    item.refresh_from_db()
    assert item.content_withheld
    assert item.text == ""
    assert item.raw_payload == {}
    assert set(item.versions.values_list("text", flat=True)) == {""}
    assert set(DetectorHit.objects.values_list("matched", flat=True)) == {""}
    assert item.external_id
    assert item.sha256
    assert PoliceReportChecklist.objects.exists()


def test_reply_with_a_template(intake, moderator):
    from moderation.models import ReplyTemplate

    item = intake()
    decision = services.item_decide(
        item=item,
        action="reply",
        reply_template=ReplyTemplate.objects.get(code="personnummer"),
        actor=moderator,
    )
    sent = decision.platform_actions.get().text
    # The template's text, then where the author may ask for the decision to be reconsidered.
    assert "019-21 10 00." in sent
    assert sent.endswith("/insyn/omprovning/")


# --- bulk -------------------------------------------------------------------------------------


def test_bulk_decision_writes_one_row_per_item(intake, moderator):
    items = [intake(text=f"Köp billigt på www.exempel{n}.se") for n in range(3)]
    decisions = services.items_decide_bulk(
        items=items,
        action="remove",
        ground_codes=["marketing"],
        rationale="Reklam från företag utan samarbete.",
        actor=moderator,
    )
    assert len(decisions) == 3
    assert Item.objects.filter(state=ItemState.REMOVED).count() == 3
    assert PlatformAction.objects.filter(action="delete").count() == 3


def test_bulk_mixing_channels_that_cannot_take_the_action_is_refused(intake, moderator):
    linkedin = ChannelFactory.create(
        connected=True, platform=ChannelPlatform.LINKEDIN, name="LinkedIn-kanal", url=""
    )
    items = [intake(), intake(linkedin)]
    with pytest.raises(ApplicationError) as error:
        services.items_decide_bulk(
            items=items, action="hide", ground_codes=["harassment"], actor=moderator
        )
    assert "LinkedIn-kanal" in error.value.message
    assert nothing_written(0)
    assert set(Item.objects.values_list("state", flat=True)) == {ItemState.NEW}


def test_bulk_with_one_item_claimed_by_another_writes_nothing(intake, moderator, other_moderator):
    items = [intake(), intake()]
    services.item_claim(item=items[1], actor=other_moderator)
    with pytest.raises(ApplicationError):
        services.items_decide_bulk(items=items, action="keep", actor=moderator)
    assert nothing_written(0)


# --- blocks -----------------------------------------------------------------------------------


def test_block_and_lift_are_decisions_and_platform_actions(intake, moderator, channel):
    item = intake()
    decision = services.item_decide(
        item=item,
        action="block",
        ground_codes=["harassment"],
        ends_at=timezone.now() + timedelta(days=30),
        actor=moderator,
    )
    block = Block.objects.get()
    assert block.decision == decision
    assert block.author == item.author
    assert decision.platform_actions.get().action == "ban"
    with pytest.raises(ApplicationError):
        services.block_create(
            author=item.author, channel=channel, ground_codes=["harassment"], actor=moderator
        )
    lifted = services.block_lift(block=block, rationale="Ursäkt framförd.", actor=moderator)
    assert lifted.lift_decision is not None
    assert lifted.lift_decision.action == DecisionAction.UNBLOCK
    assert lifted.lift_decision.platform_actions.get().action == "unban"


def test_a_block_on_instagram_is_left_for_a_person(moderator):
    instagram = ChannelFactory.create(connected=True, platform=ChannelPlatform.INSTAGRAM, url="")
    author = PlatformAccountFactory.create(platform=ChannelPlatform.INSTAGRAM)
    block = services.block_create(
        author=author, channel=instagram, ground_codes=["harassment"], actor=moderator
    )
    assert block.decision.platform_actions.get().state == PlatformActionState.UNSUPPORTED


def test_expired_blocks_are_lifted_by_the_sweep(moderator, channel):
    author = PlatformAccountFactory.create()
    services.block_create(
        author=author,
        channel=channel,
        ground_codes=["harassment"],
        ends_at=timezone.now() + timedelta(hours=1),
        actor=moderator,
    )
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        result = queue_sweep()
    assert result["blocks_lifted"] == 1
    assert Block.objects.get().lifted_at is not None


# --- reconsideration and notes ----------------------------------------------------------------


def test_reconsideration_by_the_same_moderator_is_refused(intake, moderator):
    decision = services.item_decide(
        item=intake(), action="remove", ground_codes=["harassment"], actor=moderator
    )
    with pytest.raises(PermissionDenied):
        services.decision_reconsider(
            decision=decision, outcome="upheld", rationale="Jag står fast.", actor=moderator
        )
    assert not Reconsideration.objects.exists()


def test_reconsideration_by_another_moderator(intake, moderator, other_moderator):
    item = intake()
    decision = services.item_decide(
        item=item, action="remove", ground_codes=["harassment"], actor=moderator
    )
    result = services.decision_reconsider(
        decision=decision,
        outcome="changed",
        rationale="Kritik mot kommunen, inte ett personangrepp.",
        actor=other_moderator,
    )
    assert result.new_decision is not None
    assert result.new_decision.action == DecisionAction.REOPEN
    assert Item.objects.get().state == ItemState.NEW
    with pytest.raises(ApplicationError):
        services.decision_reconsider(
            decision=decision, outcome="upheld", rationale="igen", actor=other_moderator
        )


def test_overturned_hide_is_unhidden(intake, moderator, other_moderator):
    item = intake()
    decision = services.item_decide(
        item=item, action="hide", ground_codes=["harassment"], actor=moderator
    )
    result = services.decision_reconsider(
        decision=decision, outcome="changed", rationale="Inget brott.", actor=other_moderator
    )
    assert result.new_decision is not None
    assert result.new_decision.action == DecisionAction.UNHIDE
    assert list(result.new_decision.platform_actions.values_list("action", flat=True)) == ["unhide"]


def test_notes_on_items_and_authors(intake, moderator):
    item = intake()
    services.note_create(item=item, text="Har skrivit liknande förut.", actor=moderator)
    services.note_create(author=item.author, text="Återkommande skribent.", actor=moderator)
    with pytest.raises(ValidationError):
        services.note_create(item=item, author=item.author, text="Båda", actor=moderator)
    with pytest.raises(ValidationError):
        services.note_create(item=item, text="  ", actor=moderator)
    assert Note.objects.count() == 2


# --- alerts -----------------------------------------------------------------------------------


def test_moderators_are_alerted_once_before_items_pass_due(intake, moderator):
    item = intake()
    with time_machine.travel(item.due_at - timedelta(minutes=30)):
        assert queue_sweep()["due_alerts"] == 1
        assert queue_sweep()["due_alerts"] == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [moderator.email]
    assert item.external_id in mail.outbox[0].body


def test_decided_items_are_not_alerted(intake, moderator):
    item = intake()
    services.item_decide(item=item, action="keep", actor=moderator)
    with time_machine.travel(item.due_at - timedelta(minutes=30)):
        assert queue_sweep()["due_alerts"] == 0
