"""Registration: numbers, the basis and its rule, idempotency, bad input, amendments."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.choices import Role
from channels_app.choices import ChannelRecordsPolicy
from core.exceptions import ApplicationError
from records.choices import (
    AmendmentKind,
    RegistrationBasis,
    RegistrationReason,
    RegistrationRule,
)
from records.models import Record, RecordAmendment, SeriesCounter
from records.services import Registration, record_amend, record_register, records_register
from tests.factories import ChannelFactory
from tests.records.factories import RetentionClassFactory, registration_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel():
    return ChannelFactory(registered=True)


def test_register_gives_number_hash_and_masked_public_subject(channel, registrar):
    record = record_register(
        **registration_kwargs(channel, registrar, subject="Klagomål från 811218-9876, anna@x.se")
    )
    year = timezone.localtime().year
    assert record.number == f"SOME {year}/000001"
    assert record.registration_basis == RegistrationBasis.REGISTERED
    assert record.registration_rule == RegistrationRule.POLICY_REGISTER_ALL
    assert record.sha256 == record.computed_hash()
    assert len(record.sha256) == 64
    assert "811218" not in record.public_subject
    assert "anna@x.se" not in record.public_subject
    assert "[personnummer]" in record.public_subject
    second = record_register(**registration_kwargs(channel, registrar))
    assert second.number == f"SOME {year}/000002"


def test_document_date_is_the_platform_time(channel, registrar):
    platform_time = timezone.now() - timedelta(days=3)
    record = record_register(**registration_kwargs(channel, registrar, document_date=platform_time))
    assert record.document_date == platform_time
    assert record.registered_at is not None
    assert record.registered_at > platform_time


@override_settings(RECORDS_SERIES_PREFIX="KS")
def test_prefix_is_configurable(channel, registrar):
    record = record_register(**registration_kwargs(channel, registrar))
    assert record.number == f"KS {timezone.localtime().year}/000001"


@pytest.mark.parametrize(
    ("policy", "reason", "direction", "text", "basis", "rule"),
    [
        (
            ChannelRecordsPolicy.REGISTER_ALL,
            RegistrationReason.RECEIVED,
            "incoming",
            "Hej",
            RegistrationBasis.REGISTERED,
            RegistrationRule.POLICY_REGISTER_ALL,
        ),
        (
            ChannelRecordsPolicy.REGISTER_MODERATED,
            RegistrationReason.RECEIVED,
            "incoming",
            "Hej",
            RegistrationBasis.KEPT_IN_ORDER,
            RegistrationRule.POLICY_REGISTER_MODERATED,
        ),
        (
            ChannelRecordsPolicy.KEEP_IN_ORDER,
            RegistrationReason.RECEIVED,
            "incoming",
            "Hej",
            RegistrationBasis.KEPT_IN_ORDER,
            RegistrationRule.POLICY_KEEP_IN_ORDER,
        ),
        (
            ChannelRecordsPolicy.KEEP_IN_ORDER,
            RegistrationReason.MODERATED,
            "incoming",
            "Hej",
            RegistrationBasis.REGISTERED,
            RegistrationRule.MODERATED,
        ),
        (
            ChannelRecordsPolicy.KEEP_IN_ORDER,
            RegistrationReason.SENSITIVE,
            "incoming",
            "Hej",
            RegistrationBasis.REGISTERED,
            RegistrationRule.SENSITIVE,
        ),
        # Our own publications follow the channel's policy too (OSL 5:1 3rd para.).
        (
            ChannelRecordsPolicy.KEEP_IN_ORDER,
            RegistrationReason.RECEIVED,
            "drawn_up",
            "Hej",
            RegistrationBasis.KEPT_IN_ORDER,
            RegistrationRule.POLICY_KEEP_IN_ORDER,
        ),
        (
            ChannelRecordsPolicy.REGISTER_MODERATED,
            RegistrationReason.RECEIVED,
            "drawn_up",
            "Hej",
            RegistrationBasis.KEPT_IN_ORDER,
            RegistrationRule.POLICY_REGISTER_MODERATED,
        ),
        (
            ChannelRecordsPolicy.REGISTER_ALL,
            RegistrationReason.RECEIVED,
            "drawn_up",
            "Hej",
            RegistrationBasis.REGISTERED,
            RegistrationRule.POLICY_REGISTER_ALL,
        ),
        (
            ChannelRecordsPolicy.REGISTER_ALL,
            RegistrationReason.RECEIVED,
            "incoming",
            " ",
            RegistrationBasis.LITTLE_IMPORTANCE,
            RegistrationRule.NO_CONTENT,
        ),
    ],
)
def test_basis_and_rule(registrar, policy, reason, direction, text, basis, rule):
    channel = ChannelFactory(registered=True, records_policy=policy)
    record = record_register(
        **registration_kwargs(
            channel, registrar, reason=reason, direction=direction, text=text, subject="Ämne"
        )
    )
    assert (record.registration_basis, record.registration_rule) == (basis, rule)
    assert (record.number is not None) is (basis == RegistrationBasis.REGISTERED)


def test_same_source_twice_returns_the_first_entry(channel, registrar):
    kwargs = registration_kwargs(channel, registrar, source_id="fb-42")
    first = record_register(**kwargs)
    again = record_register(**{**kwargs, "text": "Something else", "subject": "Other"})
    assert again.pk == first.pk
    assert again.text == first.text
    assert Record.objects.count() == 1


def test_stronger_reason_upgrades_the_basis(registrar):
    channel = ChannelFactory(
        registered=True, records_policy=ChannelRecordsPolicy.REGISTER_MODERATED
    )
    kwargs = registration_kwargs(channel, registrar, source_id="fb-7")
    first = record_register(**kwargs)
    assert first.registration_basis == RegistrationBasis.KEPT_IN_ORDER
    assert first.number is None
    upgraded = record_register(**{**kwargs, "reason": RegistrationReason.MODERATED})
    assert upgraded.pk == first.pk
    assert upgraded.registration_basis == RegistrationBasis.REGISTERED
    assert upgraded.registration_rule == RegistrationRule.MODERATED
    assert upgraded.number == f"SOME {timezone.localtime().year}/000001"
    # A weaker reason later changes nothing.
    same = record_register(**kwargs)
    assert same.registration_rule == RegistrationRule.MODERATED
    assert Record.objects.count() == 1


def _registration(channel, **overrides) -> Registration:
    kwargs = registration_kwargs(channel, None, **overrides)
    del kwargs["actor"]
    return Registration(**kwargs)


def test_batch_numbers_in_order_with_one_history_row_each(channel, registrar):
    record_register(**registration_kwargs(channel, registrar))
    batch = [_registration(channel, source_id=f"fb-batch-{n}") for n in range(5)]
    records = records_register(registrations=batch, actor=registrar)
    year = timezone.localtime().year
    assert [r.source_id for r in records] == [f"fb-batch-{n}" for n in range(5)]
    assert [r.number for r in records] == [f"SOME {year}/{n:06d}" for n in range(2, 7)]
    assert len({r.registered_at for r in records}) == 1
    for record in Record.objects.filter(source_id__startswith="fb-batch-"):
        (history,) = record.history.all()
        assert history.history_type == "+"
        assert history.history_user == registrar
        assert history.number == record.number
        assert record.sha256 == record.computed_hash()
    assert SeriesCounter.objects.get().last_number == 6


def test_batch_takes_its_queries_at_once(channel, registrar):
    """A batch's queries do not grow with its size: retention classes and defaults, stored
    entries, the entries and their history, the link of replies to what they answer, the
    numbers, each once (and the savepoint around the inserts). The numbers are one statement
    on PostgreSQL, three elsewhere (``numbers_allocate``)."""
    record_register(**registration_kwargs(channel, registrar))  # the permissions are cached
    counts = []
    for size in (1, 20):
        batch = [_registration(channel, source_id=f"fb-q{size}-{n}") for n in range(size)]
        with CaptureQueriesContext(connection) as ctx:
            records_register(registrations=batch, actor=registrar)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= (11 if connection.vendor == "postgresql" else 13)
    assert Record.objects.filter(number__isnull=False).count() == 22


def test_numbers_are_taken_last(registrar):
    """The series counter stays locked from the statement that takes the numbers until the
    commit, so a registration writes everything else first (the entries, their history, the
    replies' links, an upgraded entry) and after it only the numbers on those rows (nothing on
    PostgreSQL, where one statement takes and writes them)."""
    channel = ChannelFactory(
        registered=True, records_policy=ChannelRecordsPolicy.REGISTER_MODERATED
    )
    record_register(**registration_kwargs(channel, registrar, source_id="fb-kept"))
    batch = [
        _registration(channel, source_id="fb-last", reason=RegistrationReason.MODERATED),
        _registration(channel, source_id="fb-kept", reason=RegistrationReason.MODERATED),
    ]
    with CaptureQueriesContext(connection) as ctx:
        new, upgraded = records_register(registrations=batch, actor=registrar)
    statements = [query["sql"] for query in ctx.captured_queries]
    (taken,) = [i for i, sql in enumerate(statements) if SeriesCounter._meta.db_table in sql]
    # The test's own transaction turns the commit into the release of a savepoint.
    assert statements[-1].startswith("RELEASE SAVEPOINT")
    before = " ".join(statements[:taken])
    assert 'INSERT INTO "records_record"' in before
    assert 'INSERT INTO "records_historicalrecord"' in before
    assert "in_reply_to_id" in before
    assert 'UPDATE "records_record" SET "registration_reason"' in before
    assert all(
        sql.startswith(("UPDATE", "WITH")) and '"number"' in sql
        for sql in statements[taken + 1 : -1]
    )
    year = timezone.localtime().year
    assert [new.number, upgraded.number] == [f"SOME {year}/000001", f"SOME {year}/000002"]
    for record in (new, upgraded):
        stored = Record.objects.get(pk=record.pk)
        newest = stored.history.order_by("-history_id").first()
        assert (stored.number, newest.number) == (record.number, record.number)
        assert (newest.series_sequence, newest.registered_at) == (
            record.series_sequence,
            record.registered_at,
        )


def _register_and_fail(channel, registrar) -> None:
    with transaction.atomic():
        record_register(**registration_kwargs(channel, registrar, source_id="fb-gone"))
        raise RuntimeError


def test_a_rolled_back_registration_gives_its_number_back(channel, registrar):
    with pytest.raises(RuntimeError):
        _register_and_fail(channel, registrar)
    record = record_register(**registration_kwargs(channel, registrar, source_id="fb-kept"))
    assert record.number == f"SOME {timezone.localtime().year}/000001"
    assert not Record.objects.filter(source_id="fb-gone").exists()


def test_batch_with_stored_and_repeated_sources(registrar):
    channel = ChannelFactory(
        registered=True, records_policy=ChannelRecordsPolicy.REGISTER_MODERATED
    )
    stored = record_register(**registration_kwargs(channel, registrar, source_id="fb-old"))
    assert stored.number is None
    batch = [
        _registration(channel, source_id="fb-new"),
        _registration(channel, source_id="fb-old", reason=RegistrationReason.MODERATED),
        _registration(channel, source_id="fb-new", reason=RegistrationReason.SENSITIVE),
        _registration(channel, source_id="fb-kept"),
    ]
    new, old, new_again, kept = records_register(registrations=batch, actor=registrar)
    assert old.pk == stored.pk
    assert old.registration_rule == RegistrationRule.MODERATED
    assert new_again.pk == new.pk
    assert new_again.registration_rule == RegistrationRule.SENSITIVE
    assert kept.registration_basis == RegistrationBasis.KEPT_IN_ORDER
    assert kept.number is None
    year = timezone.localtime().year
    assert sorted([str(old.number), str(new.number)]) == [
        f"SOME {year}/000001",
        f"SOME {year}/000002",
    ]
    assert Record.objects.count() == 3


def test_bad_input_in_a_batch_refuses_the_whole_batch(channel, registrar):
    batch = [_registration(channel), _registration(channel, direction="sideways")]
    with pytest.raises(ValidationError) as excinfo:
        records_register(registrations=batch, actor=registrar)
    assert "direction" in excinfo.value.message_dict
    assert Record.objects.count() == 0
    assert SeriesCounter.objects.count() == 0


def test_retention_class_sets_disposal_due(channel, registrar):
    RetentionClassFactory(code="kommentarer", retention_years=2)
    date = timezone.now() - timedelta(days=1)
    record = record_register(
        **registration_kwargs(channel, registrar, retention_class="kommentarer", document_date=date)
    )
    local = timezone.localtime(date).date()
    assert record.disposal_due == local.replace(year=local.year + 2)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"channel": None}, "channel"),
        ({"document_date": None}, "document_date"),
        ({"document_date": timezone.now() + timedelta(days=2)}, "document_date"),
        ({"source_id": " "}, "source_id"),
        ({"direction": "sideways"}, "direction"),
        ({"reason": "because"}, "reason"),
        ({"retention_class": "no-such-class"}, "retention_class"),
        ({"raw_payload": ["not", "an", "object"]}, "raw_payload"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(channel, registrar, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        record_register(**{**registration_kwargs(channel, registrar), **overrides})
    assert field in excinfo.value.message_dict
    assert Record.objects.count() == 0
    assert SeriesCounter.objects.count() == 0


def test_register_needs_the_permission(channel, editor):
    with pytest.raises(PermissionDenied):
        record_register(**registration_kwargs(channel, editor))
    assert Record.objects.count() == 0


def test_moderator_may_register(channel, make_user):
    record = record_register(**registration_kwargs(channel, make_user(Role.MODERATOR)))
    assert record.pk


def test_amendment_is_appended_and_snapshot_kept(channel, registrar):
    record = record_register(**registration_kwargs(channel, registrar))
    original_hash = record.sha256
    amendment = record_amend(
        record=record,
        text="När plogas Storgatan? (redigerad)",
        raw_payload={"id": "1", "message": "redigerad"},
        reason=AmendmentKind.PLATFORM_EDIT,
        actor=registrar,
        occurred_at=timezone.now(),
    )
    record.refresh_from_db()
    assert record.sha256 == original_hash
    assert record.text == "När plogas Storgatan?"
    assert amendment.sha256 == amendment.computed_hash()
    assert list(record.amendments.all()) == [amendment]


def test_amendment_bad_input(channel, registrar):
    record = record_register(**registration_kwargs(channel, registrar))
    with pytest.raises(ValidationError) as excinfo:
        record_amend(
            record=record,
            text="x",
            raw_payload={},
            reason=AmendmentKind.CORRECTION,
            actor=registrar,
            occurred_at=timezone.now() + timedelta(days=1),
        )
    assert {"occurred_at", "note"} <= set(excinfo.value.message_dict)
    assert RecordAmendment.objects.count() == 0


def test_amendment_of_disposed_entry_is_refused(channel, registrar):
    record = record_register(**registration_kwargs(channel, registrar))
    Record.objects.filter(pk=record.pk).update(status="disposed")
    with pytest.raises(ApplicationError):
        record_amend(
            record=record,
            text="x",
            raw_payload={},
            reason=AmendmentKind.PLATFORM_EDIT,
            actor=registrar,
            occurred_at=timezone.now(),
        )
