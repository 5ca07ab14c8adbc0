"""The records API: public register, staff entries with scopes, workflow actions."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.choices import Role, Scope
from records.models import AccessRequest, Record, SecretAccessLog
from records.services import record_register, record_secrecy_mark
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db
PUBLIC = "/api/v1/records/register/"
ENTRIES = "/api/v1/records/entries/"


@pytest.fixture
def secret(registrar):
    record = record_register(
        **registration_kwargs(
            ChannelFactory(registered=True, slug="orebro"), registrar, subject="Klagomål om skolan"
        )
    )
    return record_secrecy_mark(record=record, provision="OSL 26 kap. 1 §", actor=registrar)


def test_public_api_shows_secret_entry_only_as_sekretess(api_client, secret):
    body = api_client.get(PUBLIC).json()
    [item] = body["results"]
    assert item == {
        "number": secret.number,
        "document_date": item["document_date"],
        "channel": None,
        "platform": None,
        "direction": None,
        "subject": "Sekretess",
        "is_secret": True,
    }
    detail = api_client.get(f"{PUBLIC}{secret.pk}/").json()
    assert "Klagomål" not in str(detail)
    assert api_client.get(f"{ENTRIES}{secret.pk}/content/").status_code in (401, 403)
    assert api_client.post(PUBLIC, {}).status_code in (401, 403, 405)


def test_public_api_search_and_filters(api_client, registrar):
    channel = ChannelFactory(registered=True, slug="kanal-a")
    hit = record_register(**registration_kwargs(channel, registrar, subject="Badhuset öppettider"))
    record_register(
        **registration_kwargs(ChannelFactory(registered=True), registrar, subject="Annat")
    )
    body = api_client.get(PUBLIC, {"q": "Badhuset"}).json()
    assert [r["number"] for r in body["results"]] == [hit.number]
    body = api_client.get(PUBLIC, {"channel": "kanal-a"}).json()
    assert [r["number"] for r in body["results"]] == [hit.number]


def test_public_list_query_count_is_constant(api_client, registrar, django_assert_max_num_queries):
    channel = ChannelFactory(registered=True)
    for _ in range(3):
        record_register(**registration_kwargs(channel, registrar))
    with django_assert_max_num_queries(3) as few:
        api_client.get(PUBLIC)
    for _ in range(20):
        record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))
    with django_assert_max_num_queries(len(few.captured_queries)):
        api_client.get(PUBLIC)


def test_staff_list_query_count_is_constant(api_client, registrar, django_assert_max_num_queries):
    api_client.force_authenticate(registrar)
    channel = ChannelFactory(registered=True)
    record_register(**registration_kwargs(channel, registrar))
    api_client.get(ENTRIES)
    with django_assert_max_num_queries(10) as few:
        api_client.get(ENTRIES)
    for _ in range(15):
        record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))
    with django_assert_max_num_queries(len(few.captured_queries)):
        api_client.get(ENTRIES)


def test_integration_with_write_scope_registers(token_client):
    channel = ChannelFactory.create(registered=True, slug="fb-main")
    client = token_client(Scope.RECORDS_WRITE)
    payload = {
        "channel": "fb-main",
        "source_id": "123_456",
        "direction": "incoming",
        "document_date": (timezone.now() - timedelta(hours=2)).isoformat(),
        "subject": "",
        "text": "Hej kommunen",
        "raw_payload": {"id": "123_456"},
        "reason": "received",
    }
    response = client.post(ENTRIES, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["number"].startswith("SOME ")
    again = client.post(ENTRIES, payload, format="json")
    assert again.json()["id"] == response.json()["id"]
    assert Record.objects.filter(channel=channel).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": ""}, "channel"),
        ({"document_date": None}, "document_date"),
        ({"document_date": "2999-01-01T00:00:00+01:00"}, "document_date"),
        ({"retention_class": "finns-inte"}, "retention_class"),
    ],
)
def test_bad_registration_via_api_is_refused(token_client, change, field):
    ChannelFactory(registered=True, slug="fb-main")
    payload = {
        "channel": "fb-main",
        "source_id": "1",
        "direction": "incoming",
        "document_date": timezone.now().isoformat(),
        "reason": "received",
        **change,
    }
    response = token_client(Scope.RECORDS_WRITE).post(ENTRIES, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]
    assert Record.objects.count() == 0


def test_read_scope_cannot_write_and_sees_no_secret_content(token_client, secret):
    client = token_client(Scope.RECORDS_READ)
    assert client.post(ENTRIES, {}, format="json").status_code == 403
    listed = client.get(ENTRIES).json()["results"][0]
    assert listed["subject"] == "Sekretess"
    assert listed["counterparty_name"] == ""
    assert client.get(f"{ENTRIES}{secret.pk}/content/").status_code == 403
    assert SecretAccessLog.objects.count() == 0


def test_registrar_reads_secret_content_and_it_is_logged(api_client, registrar, secret):
    api_client.force_authenticate(registrar)
    response = api_client.get(f"{ENTRIES}{secret.pk}/content/")
    assert response.status_code == 200
    assert response.json()["text"] == secret.text
    assert SecretAccessLog.objects.filter(record=secret, user=registrar).count() == 1


def test_snapshot_cannot_be_changed_through_the_api(api_client, registrar, secret):
    api_client.force_authenticate(registrar)
    for method in (api_client.put, api_client.patch):
        assert method(f"{ENTRIES}{secret.pk}/", {"text": "x"}, format="json").status_code == 405
    assert api_client.delete(f"{ENTRIES}{secret.pk}/").status_code in (403, 405)
    secret.refresh_from_db()
    assert secret.sha256 == secret.computed_hash()


def test_mark_secret_without_provision_via_api(api_client, registrar):
    api_client.force_authenticate(registrar)
    record = record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))
    response = api_client.post(f"{ENTRIES}{record.pk}/mark-secret/", {"provision": ""})
    assert response.status_code == 400
    record.refresh_from_db()
    assert not record.is_secret


def test_request_workflow_via_api(api_client, registrar, secret):
    api_client.force_authenticate(registrar)
    created = api_client.post(
        "/api/v1/records/access-requests/",
        {"scope": "Klagomål om skolan", "records": [secret.pk]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/records/access-requests/{created.json()['id']}/"
    decided = api_client.post(
        f"{url}decide/", {"decision": "partial", "provision": "OSL 26 kap. 1 §"}
    )
    assert decided.status_code == 200, decided.json()
    delivered = api_client.post(f"{url}deliver/")
    assert delivered["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(delivered.streaming_content))) as package:
        assert "beslut.txt" in package.namelist()
    assert AccessRequest.objects.get().status == "delivered"


def test_export_via_api(api_client, registrar, secret, make_user):
    api_client.force_authenticate(registrar)
    response = api_client.post(f"{ENTRIES}export/", {"records": [secret.pk]}, format="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    api_client.force_authenticate(make_user(Role.MODERATOR))
    response = api_client.post(f"{ENTRIES}export/", {"records": [secret.pk]}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "url", ["/api/v1/records/access-requests/", "/api/v1/records/retention-classes/"]
)
def test_other_lists_query_count_is_constant(
    api_client, registrar, url, django_assert_max_num_queries
):
    from records.services import access_request_create
    from tests.records.factories import RetentionClassFactory

    api_client.force_authenticate(registrar)
    record = record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))
    access_request_create(scope="a", actor=registrar, records=[record])
    RetentionClassFactory()
    with django_assert_max_num_queries(10) as few:
        assert api_client.get(url).status_code == 200
    for n in range(10):
        access_request_create(scope=f"b{n}", actor=registrar, records=[record])
        RetentionClassFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        api_client.get(url)
