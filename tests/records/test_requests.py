"""Requests for public documents (TF 2:15–18): intake, due date, decision, delivery, alerts."""

import json
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from core.exceptions import ApplicationError
from records.choices import RequestDecision, RequestStatus
from records.models import AccessRequest, SecretAccessLog
from records.services import (
    access_request_create,
    access_request_decide,
    access_request_deliver,
    access_request_records_set,
    access_request_submit,
    access_requests_alert_due,
    record_register,
    record_secrecy_mark,
)
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def secret_record(registrar):
    record = record_register(
        **registration_kwargs(
            ChannelFactory(registered=True),
            registrar,
            text="Jag heter Anna, 811218-9876, anna@example.se",
            subject="Synpunkt om skolan",
        )
    )
    return record_secrecy_mark(record=record, provision="OSL 26 kap. 1 §", actor=registrar)


@time_machine.travel(datetime(2026, 12, 23, 15, 0, tzinfo=STOCKHOLM), tick=False)
def test_due_next_working_day_skips_christmas(registrar):
    request = access_request_create(scope="Kommentarer om snöröjning", actor=registrar)
    # 24, 25, 26 (Saturday), 27 (Sunday) are not working days.
    assert request.due_on == date(2026, 12, 28)


def test_public_submission_is_anonymous_and_nonce_refuses_repeats(
    registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = access_request_submit(
            scope="Alla kommentarer i mars", contact="", form_nonce="n1"
        )
    assert len(mail.outbox) == 1
    assert registrar.email in mail.outbox[0].to
    assert "Alla kommentarer i mars" in mail.outbox[0].body
    assert request.requester == ""
    assert request.intake == "public_form"
    with pytest.raises(ValidationError):
        access_request_submit(scope="Alla kommentarer i mars", contact="", form_nonce="n1")
    assert AccessRequest.objects.count() == 1


@pytest.mark.parametrize("scope", ["", "   "])
def test_empty_scope_is_refused(scope, registrar):
    with pytest.raises(ValidationError) as excinfo:
        access_request_submit(scope=scope, contact="", form_nonce="n2")
    assert "scope" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        access_request_create(scope=scope, actor=registrar)
    assert AccessRequest.objects.count() == 0


def test_partial_release_delivers_masked_package(secret_record, registrar):
    request = access_request_submit(scope="Synpunkter om skolan", contact="", form_nonce="n3")
    access_request_records_set(request=request, records=[secret_record], actor=registrar)
    access_request_decide(
        request=request,
        decision=RequestDecision.PARTIAL,
        provision="OSL 26 kap. 1 §",
        reason="Personuppgifter maskeras.",
        masked_terms=["anna", " "],
        actor=registrar,
    )
    request.refresh_from_db()
    assert "kammarrätten" in request.appeal_notice
    name, payload = access_request_deliver(request=request, actor=registrar)
    assert name.endswith(".zip")
    with payload, zipfile.ZipFile(payload) as package:
        names = package.namelist()
        assert "beslut.txt" in names
        assert "OSL 26 kap. 1 §" in package.read("beslut.txt").decode()
        entry = json.loads(package.read(next(n for n in names if n.endswith(".json"))))
    assert "811218" not in entry["text"]
    assert "anna@example.se" not in entry["text"]
    assert "Anna" not in entry["text"]
    assert "[maskerat]" in entry["text"]
    assert "Anna" not in entry["text"]
    assert "[maskerat]" in entry["text"]
    assert entry["counterparty"] == ""
    assert entry["masked"] is True
    request.refresh_from_db()
    assert request.status == RequestStatus.DELIVERED
    assert SecretAccessLog.objects.filter(record=secret_record, user=registrar).exists()


@pytest.mark.parametrize("decision", [RequestDecision.PARTIAL, RequestDecision.REFUSE])
def test_partial_or_refusal_needs_a_provision(secret_record, registrar, decision):
    request = access_request_create(scope="x", actor=registrar, records=[secret_record])
    with pytest.raises(ValidationError) as excinfo:
        access_request_decide(request=request, decision=decision, actor=registrar)
    assert "decision_provision" in excinfo.value.message_dict
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED


def test_refusal_cannot_be_delivered(secret_record, registrar):
    request = access_request_create(scope="x", actor=registrar, records=[secret_record])
    access_request_decide(
        request=request,
        decision=RequestDecision.REFUSE,
        provision="OSL 26 kap. 1 §",
        actor=registrar,
    )
    with pytest.raises(ApplicationError):
        access_request_deliver(request=request, actor=registrar)


def test_release_without_entries_is_refused(registrar):
    request = access_request_create(scope="x", actor=registrar)
    with pytest.raises(ValidationError):
        access_request_decide(request=request, decision=RequestDecision.RELEASE, actor=registrar)


def test_alert_sent_once_on_the_due_day(registrar):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=STOCKHOLM), tick=False):
        access_request_create(scope="Kommentarer", actor=registrar)
        assert access_requests_alert_due(actor=registrar) == 0
    with time_machine.travel(datetime(2026, 3, 3, 7, 0, tzinfo=STOCKHOLM), tick=False):
        assert access_requests_alert_due(actor=registrar) == 1
        assert access_requests_alert_due(actor=registrar) == 0
    assert len(mail.outbox) == 1
    assert registrar.email in mail.outbox[0].to


def test_a_secret_entry_is_never_released_in_full(secret_record, registrar):
    request = access_request_create(scope="x", actor=registrar, records=[secret_record])
    with pytest.raises(ValidationError) as excinfo:
        access_request_decide(request=request, decision=RequestDecision.RELEASE, actor=registrar)
    assert "decision" in excinfo.value.message_dict
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED
