"""Every capture gets a retention class from its channel's default (per registration basis),
set by registrars; disposal can be previewed ahead of time, by number and subject; marking a
kept-in-order entry secret registers it (OSL 5:1)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from channels_app.choices import ChannelRecordsPolicy
from records.choices import RegistrationBasis
from records.models import DisposalRun, RetentionDefault
from records.services import (
    disposal_run_approve,
    disposal_run_preview,
    erasure_request_answer,
    record_legal_hold_set,
    record_register,
    record_secrecy_mark,
)
from tests.factories import ChannelFactory
from tests.records.factories import RetentionClassFactory, registration_kwargs

pytestmark = pytest.mark.django_db


def test_marking_a_kept_in_order_entry_secret_registers_it(registrar):
    channel = ChannelFactory.create(
        registered=True, records_policy=ChannelRecordsPolicy.KEEP_IN_ORDER
    )
    record = record_register(**registration_kwargs(channel, registrar))
    assert record.number is None
    record = record_secrecy_mark(record=record, provision="OSL 26 kap. 1 §", actor=registrar)
    record.refresh_from_db()
    assert record.registration_basis == RegistrationBasis.REGISTERED
    assert record.number
    assert record.registered_at is not None


def test_a_registrar_sets_a_channel_default_in_admin_and_captures_follow_it(client, registrar):
    channel = ChannelFactory.create(
        registered=True, records_policy=ChannelRecordsPolicy.KEEP_IN_ORDER
    )
    short = RetentionClassFactory.create(code="kort", retention_years=2)
    forever = RetentionClassFactory.create(code="bevaras", retention_years=None)
    client.force_login(registrar)
    add = reverse("admin:records_retentiondefault_add")
    for basis, retention in (("", forever), (RegistrationBasis.KEPT_IN_ORDER, short)):
        response = client.post(
            add,
            {"channel": channel.pk, "registration_basis": basis, "retention_class": retention.pk},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert RetentionDefault.objects.count() == 2
    kept = record_register(**registration_kwargs(channel, registrar))
    assert kept.retention_class == short
    assert kept.disposal_due is not None
    # The channel's own content follows its policy too: kept in order, the short class.
    drawn_up = record_register(**registration_kwargs(channel, registrar, direction="drawn_up"))
    assert drawn_up.retention_class == short
    # Registered, it takes the channel's class for every other basis.
    channel.records_policy = ChannelRecordsPolicy.REGISTER_ALL
    channel.save()
    registered = record_register(**registration_kwargs(channel, registrar))
    assert registered.registration_basis == RegistrationBasis.REGISTERED
    assert registered.retention_class == forever
    other = record_register(
        **registration_kwargs(ChannelFactory.create(registered=True), registrar)
    )
    assert other.retention_class is None


def test_a_default_for_every_channel_applies_where_the_channel_has_none(registrar):
    everyone = RetentionClassFactory.create(code="alla", retention_years=3)
    RetentionDefault.objects.create(channel=None, registration_basis="", retention_class=everyone)
    record = record_register(
        **registration_kwargs(ChannelFactory.create(registered=True), registrar)
    )
    assert record.retention_class == everyone


def test_disposal_can_be_previewed_ahead_but_not_approved_early(registrar):
    RetentionClassFactory.create(code="kort", retention_years=1)
    record = record_register(
        **registration_kwargs(
            ChannelFactory.create(registered=True),
            registrar,
            retention_class="kort",
            subject="Fråga om bygglov",
        )
    )
    cutoff = timezone.localdate() + timedelta(days=400)
    run = disposal_run_preview(actor=registrar, cutoff=cutoff)
    assert list(run.records.all()) == [record]
    with pytest.raises(ValidationError):
        disposal_run_approve(run=run, actor=registrar)


def test_refusals_and_the_preview_page_name_entries_by_number_and_subject(client, registrar):
    RetentionClassFactory.create(code="kort", retention_years=1)
    channel = ChannelFactory.create(
        registered=True, records_policy=ChannelRecordsPolicy.KEEP_IN_ORDER
    )
    record = record_register(
        **registration_kwargs(
            channel,
            registrar,
            retention_class="kort",
            subject="Fråga om bygglov",
            document_date=timezone.now() - timedelta(days=800),
        )
    )
    record_legal_hold_set(record=record, hold=True, reason="Tvist", actor=registrar)
    with pytest.raises(ValidationError) as refused:
        disposal_run_preview(actor=registrar, records=[record])
    assert f" {record.pk}" not in str(refused.value)
    assert "Fråga om bygglov" in str(refused.value)
    record_legal_hold_set(record=record, hold=False, actor=registrar)
    client.force_login(registrar)
    response = client.post(
        reverse("admin:records_disposalrun_add"), {"cutoff": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    run = DisposalRun.objects.get()
    page = client.get(reverse("admin:records_disposalrun_change", args=[run.pk])).content.decode()
    assert "Fråga om bygglov" in page
    assert f"<li>{record.pk} " not in page


def test_admin_previews_a_future_cutoff_on_a_fresh_system(client, registrar):
    RetentionClassFactory.create(code="kort", retention_years=2)
    channel = ChannelFactory.create(registered=True)
    RetentionDefault.objects.create(
        channel=channel, registration_basis="", retention_class_id=RetentionClassFactory.create().pk
    )
    record = record_register(**registration_kwargs(channel, registrar, subject="Snöröjning"))
    client.force_login(registrar)
    cutoff = timezone.localdate() + timedelta(days=3 * 366)
    response = client.post(reverse("admin:records_disposalrun_add"), {"cutoff": cutoff.isoformat()})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(DisposalRun.objects.get().records.all()) == [record]


def test_an_entry_raised_to_registered_takes_the_default_of_its_new_basis(registrar):
    channel = ChannelFactory.create(
        registered=True, records_policy=ChannelRecordsPolicy.KEEP_IN_ORDER
    )
    short = RetentionClassFactory.create(code="kort", retention_years=2)
    long = RetentionClassFactory.create(code="lang", retention_years=10)
    chosen = RetentionClassFactory.create(code="vald", retention_years=5)
    for basis, retention in ((RegistrationBasis.KEPT_IN_ORDER, short), ("registered", long)):
        RetentionDefault.objects.create(
            channel=channel, registration_basis=basis, retention_class=retention
        )
    kept = record_register(**registration_kwargs(channel, registrar, source_id="a"))
    named = record_register(
        **registration_kwargs(channel, registrar, source_id="b", retention_class="vald")
    )
    assert (kept.retention_class, named.retention_class) == (short, chosen)
    moderated = record_register(
        **registration_kwargs(channel, registrar, source_id="a", reason="moderated")
    )
    assert moderated.pk == kept.pk
    moderated.refresh_from_db()
    assert moderated.retention_class == long
    assert moderated.disposal_due is not None
    assert moderated.disposal_due.year == timezone.localtime(moderated.document_date).year + 10
    record_secrecy_mark(record=named, provision="OSL 26 kap. 1 §", actor=registrar)
    named.refresh_from_db()
    assert named.retention_class == chosen  # a class chosen for the entry stays
    third = record_register(**registration_kwargs(channel, registrar, source_id="c"))
    record_secrecy_mark(record=third, provision="OSL 26 kap. 1 §", actor=registrar)
    third.refresh_from_db()
    assert third.retention_class == long


def test_an_erasure_answer_names_an_unregistered_entry_by_its_subject(registrar):
    channel = ChannelFactory.create(
        registered=True, records_policy=ChannelRecordsPolicy.KEEP_IN_ORDER
    )
    kept = record_register(**registration_kwargs(channel, registrar, subject="Fråga om parkering"))
    answer = erasure_request_answer(
        requester="Anna", description="Mina kommentarer", records=[kept], actor=registrar
    )
    assert "Fråga om parkering" in answer.answer
    assert f"\n{kept.pk}:" not in answer.answer
