"""The registrar previews a delivery before sending it: what is previewed is what is sent, the
detectors warn of personal data in it, one step masks it, and the requester gets a readable
document in Swedish with Stockholm times beside the JSON."""

import io
import json
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from records.choices import RequestDecision, RequestStatus
from records.delivery import READABLE_NAME
from records.models import AccessRequest
from records.services import access_request_create, access_request_decide, record_register
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db
TEXT = "Ring mig på 070-123 45 67 eller skriv till anna@example.se, jag är 811218-9876."


@pytest.fixture
def released(registrar):
    record = record_register(
        **registration_kwargs(
            ChannelFactory(registered=True, name="Örebro kommun"),
            registrar,
            text=TEXT,
            subject="Fråga om hemtjänsten",
            document_date=datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC")),
        )
    )
    request = access_request_create(scope="Kommentarer om hemtjänsten", actor=registrar)
    request.records.set([record])
    return access_request_decide(
        request=request, decision=RequestDecision.RELEASE, actor=registrar
    ), record


def _preview(client, request):
    return reverse("admin:records_accessrequest_delivery", args=[request.pk])


def _package(response) -> dict[str, bytes]:
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_the_deliver_action_leads_to_the_preview(client, registrar, released):
    request, _ = released
    client.force_login(registrar)
    response = client.post(
        reverse("admin:records_accessrequest_changelist"),
        {"action": "deliver", "_selected_action": [request.pk]},
    )
    assert response["Location"] == _preview(client, request)
    assert AccessRequest.objects.get().status == RequestStatus.DECIDED


def test_the_preview_warns_of_personal_data_and_shows_what_is_sent(client, registrar, released):
    request, record = released
    client.force_login(registrar)
    page = client.get(_preview(client, request)).content.decode()
    assert "Detektorerna hittade 3 personuppgifter i det som lämnas ut" in page
    for kind, found in [
        ("Personnummer", "811218-9876"),
        ("E-postadress", "anna@example.se"),
        ("Telefonnummer", "070-123 45 67"),
    ]:
        assert f'<td>{kind}</td><td dir="auto">{found}</td>' in page
    assert "Maskera personuppgifter" in page
    assert AccessRequest.objects.get().status == RequestStatus.DECIDED  # looking sends nothing

    files = _package(client.post(_preview(client, request), {"action": "deliver"}))
    assert AccessRequest.objects.get().status == RequestStatus.DELIVERED
    readable = files[READABLE_NAME].decode()
    # The preview shows the readable document's content as it is sent.
    start = readable.index("<p>Örebro kommuns svar")
    content = readable[start : readable.index("</main>")].strip()
    assert content in page
    assert '<html lang="sv">' in readable
    assert "1 juli 2026 01:30" in readable  # the document date in Stockholm time
    assert TEXT in readable
    released_json = json.loads(files[f"{record.number.replace(' ', '_').replace('/', '-')}.json"])
    assert released_json["text"] == TEXT
    assert released_json["document_date"] == "2026-06-30T23:30:00+00:00"
    assert "beslut.txt" in files


def test_one_step_masks_the_personal_data_before_delivery(client, registrar, released):
    request, _ = released
    client.force_login(registrar)
    page = client.post(_preview(client, request), {"action": "mask"}, follow=True)
    html = page.content.decode()
    assert "Personuppgifterna är maskerade" in html
    assert "Detektorerna hittar inga personnummer, e-postadresser eller telefonnummer" in html
    assert "811218-9876" not in html
    request = AccessRequest.objects.get()
    assert request.decision == RequestDecision.PARTIAL
    assert request.decision_provision == "OSL 21 kap. 7 §"
    assert request.appeal_notice

    files = _package(client.post(_preview(client, request), {"action": "deliver"}))
    readable = files[READABLE_NAME].decode()
    for found in ("811218-9876", "anna@example.se", "070-123 45 67"):
        assert found not in readable
        assert found not in b"".join(files.values()).decode()
    assert "[personnummer]" in readable
    assert "Så överklagar du" in readable


def test_a_masked_release_cannot_be_masked_again(client, registrar, released):
    request, _ = released
    client.force_login(registrar)
    client.post(_preview(client, request), {"action": "mask"})
    page = client.post(_preview(client, request), {"action": "mask"}, follow=True)
    assert "Utlämnandet är redan maskerat." in page.content.decode()


def test_an_undecided_request_has_no_preview_to_send(client, registrar):
    request = access_request_create(scope="Allt om badhuset", actor=registrar)
    client.force_login(registrar)
    page = client.get(_preview(client, request)).content.decode()
    assert "Fatta beslut innan handlingarna lämnas ut." in page
    assert 'value="deliver"' not in page


def test_others_than_registrars_cannot_preview(client, editor, released):
    request, _ = released
    client.force_login(editor)
    assert client.get(_preview(client, request)).status_code == 403
