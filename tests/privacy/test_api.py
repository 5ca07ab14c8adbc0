"""The case-management system's door: create a request, read its status, fetch the package,
under privacy:write only."""

import io
import zipfile

import pytest

from accounts.choices import Scope
from privacy import services
from privacy.models import PersonSearch, SubjectRequest
from privacy.package import DATA_NAME

pytestmark = pytest.mark.django_db
URL = "/api/v1/privacy/requests/"
BODY = {
    "case_number": "KS 2026/99",
    "kind": "access",
    "requester": "Anna Andersson",
    "identifiers": ["Anna Andersson"],
}


def test_create_read_and_fetch_the_package(token_client, officer, intake):
    intake(text="Hej kommunen")
    client = token_client(Scope.PRIVACY_WRITE)
    created = client.post(URL, BODY, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "received"
    assert client.get(f"{URL}{pk}/").json()["due_on"]
    assert client.get(f"{URL}{pk}/package/").status_code == 409  # not decided yet

    services.subject_request_decide(
        request=SubjectRequest.objects.get(pk=pk),
        decision="granted",
        answer="Här är uppgifterna.",
        actor=officer,
    )
    response = client.get(f"{URL}{pk}/package/")
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as package:
        assert b"Hej kommunen" in package.read(DATA_NAME)
    assert PersonSearch.objects.filter(request_id=pk).count() == 1


def test_a_request_without_case_number_is_refused(token_client):
    client = token_client(Scope.PRIVACY_WRITE)
    response = client.post(URL, {**BODY, "case_number": " "}, format="json")
    assert response.status_code == 400
    assert not SubjectRequest.objects.exists()


@pytest.mark.parametrize("scope", [Scope.RECORDS_READ, Scope.RECORDS_WRITE, Scope.MODERATION_READ])
def test_other_scopes_are_refused(token_client, scope):
    client = token_client(scope)
    assert client.post(URL, BODY, format="json").status_code == 403
    assert client.get(URL).status_code == 403
