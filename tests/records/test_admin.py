"""Admin for registrars: every save goes through the services; the snapshot is read-only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from records.models import AccessRequest, DisposalRun, Record, SecretAccessLog
from records.services import record_register, record_secrecy_mark
from tests.factories import ChannelFactory
from tests.records.factories import RetentionClassFactory, registration_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(registrar):
    return record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))


def _change_data(record, **overrides):
    data = {
        "subject": record.subject,
        "public_subject": record.public_subject,
        "is_secret": "",
        "secrecy_provision": "",
        "retention_class": "",
        "legal_hold": "",
        "legal_hold_reason": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_registrar_registers_through_admin(client, registrar):
    channel = ChannelFactory.create(registered=True)
    client.force_login(registrar)
    when = timezone.localtime(timezone.now() - timedelta(hours=1))
    response = client.post(
        reverse("admin:records_record_add"),
        {
            "channel": channel.pk,
            "source_id": "admin-1",
            "direction": "incoming",
            "document_date_0": when.strftime("%Y-%m-%d"),
            "document_date_1": when.strftime("%H:%M:%S"),
            "subject": "Synpunkt via e-post",
            "text": "Hej",
            "reason": "received",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = Record.objects.get(source_id="admin-1")
    assert record.number
    assert record.created_by == registrar


def test_admin_refuses_future_date_and_writes_nothing(client, registrar):
    channel = ChannelFactory.create(registered=True)
    client.force_login(registrar)
    future = timezone.localtime(timezone.now() + timedelta(days=3))
    response = client.post(
        reverse("admin:records_record_add"),
        {
            "channel": channel.pk,
            "source_id": "admin-2",
            "direction": "incoming",
            "document_date_0": future.strftime("%Y-%m-%d"),
            "document_date_1": "12:00:00",
            "subject": "x",
            "reason": "received",
        },
    )
    assert response.status_code == 200
    assert "kan inte ligga i framtiden" in response.content.decode()
    assert Record.objects.count() == 0


def test_mark_secret_in_admin_needs_a_provision(client, registrar, record):
    client.force_login(registrar)
    url = reverse("admin:records_record_change", args=[record.pk])
    response = client.post(url, _change_data(record, is_secret="on"))
    assert response.status_code == 200
    assert "Sekretess kräver bestämmelsen" in response.content.decode()
    record.refresh_from_db()
    assert not record.is_secret
    response = client.post(
        url, _change_data(record, is_secret="on", secrecy_provision="OSL 26 kap. 1 §")
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_secret
    assert record.secrecy_marked_by == registrar


def test_snapshot_is_read_only_in_admin(client, registrar, record):
    client.force_login(registrar)
    url = reverse("admin:records_record_change", args=[record.pk])
    response = client.post(url, _change_data(record, text="förfalskad", sha256="0"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.text == "När plogas Storgatan?"
    assert record.sha256 == record.computed_hash()
    assert client.post(reverse("admin:records_record_delete", args=[record.pk])).status_code == 403


def test_secret_content_in_admin_only_for_registrars_and_logged(
    client, registrar, make_user, record
):
    record = record_secrecy_mark(record=record, provision="OSL 26 kap. 1 §", actor=registrar)
    url = reverse("admin:records_record_change", args=[record.pk])
    moderator = make_user(Role.MODERATOR)
    client.force_login(moderator)
    page = client.get(url).content.decode()
    assert "När plogas" not in page
    assert "Anna Andersson" not in page
    assert "Fråga om snöröjning" not in page
    assert not SecretAccessLog.objects.exists()
    client.force_login(registrar)
    page = client.get(url).content.decode()
    assert "När plogas" in page
    assert "Fråga om snöröjning" in page
    assert SecretAccessLog.objects.filter(user=registrar, purpose="admin").count() == 1


def test_disposal_run_in_admin_with_nothing_due_is_refused(client, registrar):
    client.force_login(registrar)
    response = client.post(
        reverse("admin:records_disposalrun_add"), {"cutoff": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert "Inga poster ska gallras" in response.content.decode()
    assert DisposalRun.objects.count() == 0


def test_disposal_preview_approve_execute_in_admin(client, registrar):
    RetentionClassFactory(code="kort", retention_years=1)
    old = record_register(
        **registration_kwargs(
            ChannelFactory(registered=True),
            registrar,
            retention_class="kort",
            document_date=timezone.now() - timedelta(days=800),
        )
    )
    client.force_login(registrar)
    response = client.post(
        reverse("admin:records_disposalrun_add"), {"cutoff": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    run = DisposalRun.objects.get()
    changelist = reverse("admin:records_disposalrun_changelist")
    client.post(changelist, {"action": "approve", "_selected_action": [run.pk]})
    client.post(changelist, {"action": "execute", "_selected_action": [run.pk]})
    run.refresh_from_db()
    assert run.status == "executed"
    old.refresh_from_db()
    assert old.status == "disposed"


def test_access_request_decided_in_admin(client, registrar, record):
    client.force_login(registrar)
    response = client.post(
        reverse("admin:records_accessrequest_add"),
        {"scope": "Kommentarer om snöröjning", "records": [record.pk]},
    )
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert request.created_by == registrar
    url = reverse("admin:records_accessrequest_change", args=[request.pk])
    response = client.post(url, {"records": [record.pk], "decision": "refuse"})
    assert response.status_code == 200  # a refusal needs the provision
    response = client.post(
        url, {"records": [record.pk], "decision": "refuse", "decision_provision": "OSL 21 kap. 7 §"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "decided"
    assert "kammarrätten" in request.appeal_notice


@pytest.mark.parametrize(
    "model",
    [
        "record",
        "accessrequest",
        "disposalrun",
        "retentionclass",
        "retentiondefault",
        "erasurerequest",
        "fixityaudit",
        "secretaccesslog",
    ],
)
def test_admin_pages_render_in_swedish(client, registrar, record, model):
    client.force_login(registrar)
    response = client.get(reverse(f"admin:records_{model}_changelist"))
    assert response.status_code == 200


def test_entries_list_shows_the_last_fixity_audit(client, registrar, record):
    from records.services import fixity_audit_run

    client.force_login(registrar)
    page = client.get(reverse("admin:records_record_changelist")).content.decode()
    assert "Ingen kontroll av kontrollsummor har körts" in page
    fixity_audit_run(actor=registrar)
    page = client.get(reverse("admin:records_record_changelist")).content.decode()
    assert "1 ögonblicksbilder kontrollerade, 0 avvikelser" in page
