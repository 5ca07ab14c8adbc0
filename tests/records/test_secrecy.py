"""Secrecy marking (OSL 5:5) and who may see secret content."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.choices import Role
from core.exceptions import ApplicationError
from records.models import Record, SecretAccessLog
from records.selectors import record_content_get, record_public_subject
from records.services import record_register, record_secrecy_mark, record_secrecy_unmark
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(registrar):
    return record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))


def test_mark_records_provision_date_and_who(record, registrar):
    record_secrecy_mark(record=record, provision="OSL 26 kap. 1 §", actor=registrar)
    record.refresh_from_db()
    assert record.is_secret
    assert record.secrecy_provision == "OSL 26 kap. 1 §"
    assert record.secrecy_marked_by == registrar
    assert record.secrecy_marked_at is not None
    assert str(record_public_subject(record)) == "Sekretess"


def test_unmark_keeps_the_marking_in_history(record, registrar):
    record_secrecy_mark(record=record, provision="OSL 26 kap. 1 §", actor=registrar)
    record_secrecy_unmark(record=record, actor=registrar)
    record.refresh_from_db()
    assert not record.is_secret
    provisions = [h.secrecy_provision for h in record.history.all()]
    assert "OSL 26 kap. 1 §" in provisions
    with pytest.raises(ApplicationError):
        record_secrecy_unmark(record=record, actor=registrar)


@pytest.mark.parametrize("provision", ["", "   ", "för att jag vill"])
def test_secrecy_without_a_provision_is_refused(record, registrar, provision):
    with pytest.raises(ValidationError) as excinfo:
        record_secrecy_mark(record=record, provision=provision, actor=registrar)
    assert "secrecy_provision" in excinfo.value.message_dict
    record.refresh_from_db()
    assert not record.is_secret
    assert record.history.count() == 1


def test_only_registrars_mark(record, make_user):
    with pytest.raises(PermissionDenied):
        record_secrecy_mark(
            record=record, provision="OSL 26 kap. 1 §", actor=make_user(Role.MODERATOR)
        )


def test_secret_content_only_for_registrars_and_every_view_logged(record, registrar, make_user):
    record = record_secrecy_mark(record=record, provision="OSL 26 kap. 1 §", actor=registrar)
    moderator = make_user(Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        record_content_get(record=record, user=moderator)
    assert SecretAccessLog.objects.count() == 0
    content = record_content_get(record=record, user=registrar, purpose="admin")
    record_content_get(record=record, user=registrar, purpose="admin")
    assert content["text"] == record.text
    assert content["counterparty_name"] == "Anna Andersson"
    logs = list(SecretAccessLog.objects.filter(record=record))
    assert len(logs) == 2
    assert {log.user for log in logs} == {registrar}


def test_public_content_is_not_logged(record, make_user):
    content = record_content_get(record=record, user=make_user(Role.MODERATOR))
    assert content["text"] == record.text
    assert SecretAccessLog.objects.count() == 0


def test_protected_counterparty_hidden_from_non_registrars(registrar, make_user):
    record = record_register(
        **registration_kwargs(
            ChannelFactory(registered=True), registrar, counterparty_protected=True
        )
    )
    assert (
        record_content_get(record=record, user=make_user(Role.MODERATOR))["counterparty_name"] == ""
    )
    assert record_content_get(record=record, user=registrar)["counterparty_name"]


def test_constraint_refuses_secret_without_provision_in_bulk(record):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.filter(pk=record.pk).update(is_secret=True)
