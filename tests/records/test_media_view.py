"""Staff open a register entry's stored media file in the admin, as the access policy allows
them the entry's content (issue 16): the file itself, served so that no browser runs it."""

import pytest
from django.test import Client
from django.urls import reverse

from records.choices import MediaStatus, RecordStatus
from records.models import Record, RecordMedia, SecretAccessLog
from records.services import record_register
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs, stored_media
from tests.records.media_server import JPEG

pytestmark = pytest.mark.django_db

PROVISION = "OSL 26 kap. 1 §"


@pytest.fixture
def stored(registrar) -> RecordMedia:
    record = record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))
    return stored_media(record, JPEG)


def url(media: RecordMedia) -> str:
    return reverse("admin:records_record_media", args=[media.record_id, media.position])


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ["registrar", "moderator"])
def test_staff_who_see_the_content_open_the_stored_file(request, stored, role):
    response = as_(request.getfixturevalue(role)).get(url(stored))
    assert response.status_code == 200
    assert body(response) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="some-2026000001-0.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    cache = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_staff_without_the_register_are_refused(request, stored, role):
    assert as_(request.getfixturevalue(role)).get(url(stored)).status_code == 403


def test_the_public_is_sent_to_sign_in(client, stored):
    response = client.get(url(stored))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_secret_entrys_file_is_for_registrars_only_and_each_view_is_logged(
    stored, registrar, moderator, administrator
):
    Record.objects.filter(pk=stored.record_id).update(is_secret=True, secrecy_provision=PROVISION)
    for user in (moderator, administrator):
        assert as_(user).get(url(stored)).status_code == 403
    assert not SecretAccessLog.objects.exists()
    response = as_(registrar).get(url(stored))
    assert body(response) == JPEG
    (log,) = SecretAccessLog.objects.all()
    assert (log.record_id, log.user) == (stored.record_id, registrar)
    assert "media" in log.purpose


def test_a_disposed_entrys_file_is_gone_with_a_swedish_text(stored, registrar):
    Record.objects.filter(pk=stored.record_id).update(status=RecordStatus.DISPOSED)
    response = as_(registrar).get(url(stored), HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 410
    assert "Gallrad" in response.content.decode()


def test_a_file_not_stored_is_not_found_with_a_swedish_text(stored, registrar):
    RecordMedia.objects.filter(pk=stored.pk).update(status=MediaStatus.FAILED, file="")
    response = as_(registrar).get(url(stored), HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 404
    assert "Filen är inte lagrad" in response.content.decode()


def test_the_entrys_page_links_the_file_with_a_thumbnail(stored, registrar):
    page = as_(registrar).get(reverse("admin:records_record_change", args=[stored.record_id]))
    assert url(stored) in page.content.decode()
    assert 'alt="Bild i kommentaren"' in page.content.decode()
