"""The relay rota: bookings, the one-host-a-week rule, swaps, reminders and gap alerts."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.services import system_user
from channels_app import services
from channels_app.choices import RelayWeekStatus
from channels_app.models import RelayWeek
from core.exceptions import ApplicationError
from core.seedpage import INTRODUCTION, bullets
from tests.channels_app.factories import RelayChannelFactory, RelayWeekFactory
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

HOST = {"host_name": "Anna Berg", "host_email": "anna.berg@orebro.se", "topic": "Parkerna"}


def book(channel, editor, year=2027, week=10, **extra):
    return services.relay_week_book(
        channel=channel, iso_year=year, iso_week=week, actor=editor, **{**HOST, **extra}
    )


def test_book_and_confirm(editor):
    week = book(RelayChannelFactory.create(), editor)
    assert week.status == RelayWeekStatus.PROPOSED
    services.relay_week_confirm(relay_week=week, actor=editor)
    week.refresh_from_db()
    assert week.status == RelayWeekStatus.CONFIRMED
    assert week.history.first().history_user == editor


def test_two_hosts_in_one_week_are_refused_and_nothing_is_saved(editor):
    channel = RelayChannelFactory.create()
    book(channel, editor)
    with pytest.raises(ValidationError) as error:
        book(channel, editor, host_name="Bo Ek", host_email="bo.ek@orebro.se")
    assert "Veckan har redan en värd på det här kontot." in error.value.messages
    assert RelayWeek.objects.count() == 1


def test_the_database_refuses_a_second_active_host():
    first = RelayWeekFactory.create(iso_week=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        RelayWeekFactory.create(channel=first.channel, iso_week=5)


def test_a_cancelled_week_can_be_booked_again(editor):
    channel = RelayChannelFactory.create()
    services.relay_week_cancel(relay_week=book(channel, editor), actor=editor)
    again = book(channel, editor, host_name="Bo Ek")
    assert again.status == RelayWeekStatus.PROPOSED
    assert RelayWeek.objects.filter(iso_week=10).count() == 2


def test_week_53_only_in_years_that_have_it(editor):
    channel = RelayChannelFactory.create()
    with pytest.raises(ValidationError) as error:
        book(channel, editor, year=2027, week=53)
    assert error.value.message_dict == {"iso_week": ["Vecka 53 finns inte år 2027."]}
    assert book(channel, editor, year=2026, week=53).iso_week == 53
    assert RelayWeek.objects.count() == 1


def test_only_a_relay_account_takes_hosts(editor):
    with pytest.raises(ValidationError) as error:
        book(ChannelFactory.create(), editor)
    assert "channel" in error.value.message_dict
    assert not RelayWeek.objects.exists()


def test_a_bad_email_is_refused(editor):
    with pytest.raises(ValidationError) as error:
        book(RelayChannelFactory.create(), editor, host_email="inte-en-adress")
    assert "host_email" in error.value.message_dict


def test_moderators_cannot_book(moderator):
    with pytest.raises(PermissionDenied):
        book(RelayChannelFactory.create(), moderator)


def test_state_rules(editor):
    week = RelayWeekFactory.create(status=RelayWeekStatus.DONE)
    with pytest.raises(ApplicationError):
        services.relay_week_cancel(relay_week=week, actor=editor)
    with pytest.raises(ApplicationError):
        services.relay_week_confirm(relay_week=week, actor=editor)


def test_swap_trades_hosts_and_keeps_one_host_a_week(editor):
    first = RelayWeekFactory.create(iso_week=20, host_name="Anna", status=RelayWeekStatus.CONFIRMED)
    second = RelayWeekFactory.create(
        channel=first.channel, iso_week=21, host_name="Bo", status=RelayWeekStatus.PROPOSED
    )
    services.relay_week_swap(relay_week=first, other=second, actor=editor)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.iso_week, first.host_name, first.status) == (20, "Bo", "proposed")
    assert (second.iso_week, second.host_name, second.status) == (21, "Anna", "confirmed")


def test_swap_across_channels_is_refused(editor):
    first, second = RelayWeekFactory.create(), RelayWeekFactory.create()
    with pytest.raises(ValidationError):
        services.relay_week_swap(relay_week=first, other=second, actor=editor)


def test_reminder_goes_to_next_weeks_host_once_with_the_rules(editor):
    # Thursday 2027-03-04 (week 9); the coming week is week 10.
    week = RelayWeekFactory.create(iso_week=10, status=RelayWeekStatus.CONFIRMED)
    RelayWeekFactory.create(channel=week.channel, iso_week=11)
    assert services.relay_reminders_send(today=date(2027, 3, 4), actor=system_user()) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [week.host_email]
    assert "vecka 10 2027" in message.body
    for rule in bullets(INTRODUCTION):
        assert rule in message.body
    assert services.relay_reminders_send(today=date(2027, 3, 4), actor=system_user()) == 0
    assert len(mail.outbox) == 1


def test_gap_alert_lists_the_empty_weeks_of_the_next_four(editor):
    channel = RelayChannelFactory.create(name="@orebrokommun")
    for week in (10, 12):
        RelayWeekFactory.create(channel=channel, iso_week=week)
    RelayWeekFactory.create(channel=channel, iso_week=11, status=RelayWeekStatus.CANCELLED)
    gaps = services.relay_gaps_alert(today=date(2027, 3, 4), actor=system_user())
    assert [(year, week) for _channel, year, week in gaps] == [(2027, 11), (2027, 13)]
    assert mail.outbox[0].to == [editor.email]
    assert "vecka 11 2027" in mail.outbox[0].body
    assert "vecka 13 2027" in mail.outbox[0].body


def test_no_alert_when_every_week_has_a_host(editor):
    channel = RelayChannelFactory.create()
    for week in (10, 11, 12, 13):
        RelayWeekFactory.create(channel=channel, iso_week=week)
    assert services.relay_gaps_alert(today=date(2027, 3, 4), actor=system_user()) == []
    assert mail.outbox == []


def test_ended_confirmed_weeks_become_done():
    ended = RelayWeekFactory.create(iso_week=8, status=RelayWeekStatus.CONFIRMED)
    current = RelayWeekFactory.create(channel=ended.channel, iso_week=9)
    assert services.relay_weeks_complete(today=date(2027, 3, 4), actor=system_user()) == 1
    ended.refresh_from_db()
    current.refresh_from_db()
    assert ended.status == RelayWeekStatus.DONE
    assert current.status == RelayWeekStatus.CONFIRMED


def test_the_tasks_are_on_the_beat_schedule():
    from config.celery_app import app
    from config.schedule import BEAT_SCHEDULE

    tasks = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert {
        "channels_app.tasks.relay_reminders_send",
        "channels_app.tasks.relay_gaps_alert",
        "channels_app.tasks.relay_weeks_complete",
        "channels_app.tasks.archive_gap_alert",
    } <= tasks
    assert app.conf.beat_schedule == BEAT_SCHEDULE
    app.loader.import_default_modules()
    assert tasks <= set(app.tasks)


def test_the_tasks_run(editor, time_machine):
    from channels_app import tasks

    time_machine.move_to("2027-03-04 08:00:00+01:00")
    RelayWeekFactory.create(iso_week=10)
    assert tasks.relay_reminders_send.delay().get() == 1
    assert tasks.relay_gaps_alert.delay().get() == 3


def test_a_race_past_validation_still_ends_in_a_clear_refusal(editor, monkeypatch):
    """Two editors validate at the same moment; the database constraint stops the second save
    and the service reports it like any other refusal."""
    channel = RelayChannelFactory.create()
    book(channel, editor)
    original = RelayWeek.full_clean

    def validated_before_the_other_commit(self, *args, **kwargs):
        return original(self, *args, **{**kwargs, "validate_constraints": False})

    monkeypatch.setattr(RelayWeek, "full_clean", validated_before_the_other_commit)
    with pytest.raises(ValidationError) as error:
        book(channel, editor, host_name="Bo Ek")
    assert "Veckan har redan en värd på det här kontot." in error.value.messages
    assert RelayWeek.objects.count() == 1
