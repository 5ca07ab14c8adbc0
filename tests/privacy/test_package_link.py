"""A package larger than the mail limit reaches the person as a link that works once: through
the officer's delivery in admin, the e-mail, and the public page behind the link."""

import io
import re
import zipfile
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import token_hash
from accounts.services import system_user
from privacy import services
from privacy.choices import SubjectRequestStatus
from privacy.models import PackageLink, SubjectRequest
from privacy.package import READABLE_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(officer, intake):
    intake(text="Min kommentar om parken.")
    request = services.subject_request_create(
        case_number="KS 2026/4713",
        kind="access",
        requester="Anna Andersson",
        contact="anna@example.se",
        identifiers=["Anna Andersson"],
        actor=officer,
    )
    return services.subject_request_decide(
        request=request, decision="granted", answer="Här är uppgifterna.", actor=officer
    )


def _deliver(client, officer, request):
    client.force_login(officer)
    return client.post(reverse("admin:privacy_package", args=[request.pk]), follow=True)


def _link(message) -> str:
    (url,) = re.findall(r"http\S+/registerutdrag/\S+/", message.body)
    return urlsplit(url).path


def test_a_package_within_the_mail_limit_is_attached(client, officer, decided):
    page = _deliver(client, officer, decided).content.decode()
    assert "skickas med e-post till anna@example.se" in page
    (message,) = mail.outbox
    assert message.to == ["anna@example.se"]
    assert "KS 2026/4713" in message.subject
    ((name, payload, kind),) = message.attachments
    assert (name, kind) == (f"registerutdrag-{decided.pk}.zip", "application/zip")
    with zipfile.ZipFile(io.BytesIO(payload)) as package:
        assert "Min kommentar om parken." in package.read(READABLE_NAME).decode()
    assert not PackageLink.objects.exists()
    assert SubjectRequest.objects.get().status == SubjectRequestStatus.DELIVERED


def test_a_large_package_is_a_link_that_works_once(client, officer, decided, settings):
    settings.PRIVACY_PACKAGE_MAIL_LIMIT = 100
    page = _deliver(client, officer, decided).content.decode()
    assert "större än gränsen för e-post" in page
    (message,) = mail.outbox
    assert message.attachments == []
    url = _link(message)
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = PackageLink.objects.get()
    assert link.token_hash == token_hash(token)  # the token itself is not stored
    assert token not in str(PackageLink.objects.values().get())

    person = Client()
    landing = person.get(url)
    assert landing.status_code == 200
    assert "Hämta registerutdraget" in landing.content.decode()
    assert "no-store" in landing["Cache-Control"]
    fetched = person.post(url)
    assert fetched.status_code == 200
    assert fetched["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(fetched.content)) as package:
        assert "Min kommentar om parken." in package.read(READABLE_NAME).decode()
    link.refresh_from_db()
    assert link.downloaded_at is not None  # the fetch is logged
    assert bytes(link.package) == b""  # and the package no longer kept

    again = person.post(url)
    assert again.status_code == 410
    assert "Länken har redan använts" in again.content.decode()
    assert again["Content-Type"].startswith("text/html")
    assert person.get(url).status_code == 410


def test_an_expired_link_is_refused_and_emptied_by_the_retention_run(
    client, officer, decided, settings
):
    settings.PRIVACY_PACKAGE_MAIL_LIMIT = 100
    _deliver(client, officer, decided)
    url = _link(mail.outbox[0])
    PackageLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    refused = Client().post(url)
    assert refused.status_code == 410
    assert "har gått ut" in refused.content.decode()
    run = services.retention_run(actor=system_user())
    assert "Utgången länk till ett registerutdrag" in run.report
    assert bytes(PackageLink.objects.get().package) == b""


def test_an_unknown_token_is_refused(client):
    response = client.get("/registerutdrag/not-a-token/")
    assert response.status_code == 404
    assert "Kontrollera att du har kopierat hela länken" in response.content.decode()


def test_a_contact_that_is_no_email_address_gets_the_package_from_the_officer(
    client, officer, decided
):
    SubjectRequest.objects.filter(pk=decided.pk).update(contact="Storgatan 1, Örebro")
    client.force_login(officer)
    response = client.post(reverse("admin:privacy_package", args=[decided.pk]))
    assert response["Content-Type"] == "application/zip"
    assert mail.outbox == []
