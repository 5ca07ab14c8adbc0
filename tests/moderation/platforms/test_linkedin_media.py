"""LinkedIn comment images (issue 16): a comment's ``content`` entries of type IMAGE reach the
register through the poll, as the Meta webhook's photos do. The image is listed in the entry's
snapshot, fetched after commit from LinkedIn's CDN under the production host list, checked,
hashed and stored; an image entry without an address, or with one that is no web address, keeps
the comment and is noted on the entry as not fetched. A comment of an image alone is content."""

import hashlib

import httpx
import pytest

from accounts.services import system_user
from channels_app.choices import ChannelRecordsPolicy
from config.settings import base
from moderation.models import Item
from moderation.platforms import connections, tasks
from moderation.platforms.http import CannedResponse
from records import media as media_module
from records.choices import MediaStatus
from records.models import Record
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import payload_json
from tests.records.media_server import JPEG

pytestmark = pytest.mark.django_db

ORGANISATION = "urn:li:organization:1000001"
POST = "urn:li:activity:7259999999999999999"
COMMENTS = payload_json("linkedin/comments_with_images.json")["elements"]
WITH_TEXT, IMAGE_ONLY, NO_URL, NOT_HTTP = COMMENTS


def linkedin(name: str) -> CannedResponse:
    return CannedResponse(200, {}, payload_json(f"linkedin/{name}.json"))


@pytest.fixture
def cdn_asked(monkeypatch, settings) -> list[str]:
    """LinkedIn's CDN, offline: the real fetcher over a transport that answers each image
    address the payload names with a JPEG. Returns the addresses asked for."""
    settings.RECORDS_MEDIA_HOSTS = base.RECORDS_MEDIA_HOSTS  # production's list
    settings.RECORDS_MEDIA_HTTPS_ONLY = True
    images = {entry["content"][0]["url"] for entry in (WITH_TEXT, IMAGE_ONLY)}
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if str(request.url) in images:
            return httpx.Response(200, content=JPEG, headers={"Content-Type": "image/jpeg"})
        return httpx.Response(404)

    transport = httpx.MockTransport(answer)
    monkeypatch.setattr(
        media_module,
        "media_fetcher_default",
        lambda: media_module.HttpxMediaFetcher(transport=transport),
    )
    return asked


@pytest.fixture
def polled(platform_http, cdn_asked, django_capture_on_commit_callbacks) -> list[str]:
    channel = ChannelFactory.create(
        connected=True,
        platform="linkedin",
        platform_account_id=ORGANISATION,
        records_policy=ChannelRecordsPolicy.REGISTER_ALL,
    )
    connections.channel_connection_save(channel=channel, access_token="t0ken", actor=system_user())
    platform_http.responses.extend(
        [linkedin("posts_page"), linkedin("comments_with_images"), linkedin("comments_empty")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.platform_poll("linkedin") == 6  # two own posts, four comments
    return cdn_asked


def entry(comment: dict) -> Record:
    return Record.objects.get(source_id=comment["commentUrn"])


def test_a_comments_image_is_listed_fetched_from_linkedins_cdn_hashed_and_stored(polled):
    url = WITH_TEXT["content"][0]["url"]
    assert url.startswith("https://media.licdn.com/")
    record = entry(WITH_TEXT)
    assert record.text == "Så här ser det ut vid entrén just nu"
    assert record.media == [{"url": url, "kind": "image"}]  # in the immutable snapshot
    media = record.media_files.get()
    assert (media.status, media.content_type, media.size) == ("stored", "image/jpeg", len(JPEG))
    assert media.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert (media.source_url, media.error) == (url, "")


def test_a_comment_of_an_image_alone_is_content(polled):
    record = entry(IMAGE_ONLY)
    assert record.text == ""
    assert (record.registration_basis, record.registration_rule) == (
        "registered",
        "policy_register_all",
    )
    assert record.number
    assert record.media_files.get().status == MediaStatus.STORED


def test_an_image_without_an_address_keeps_the_comment_and_is_noted_not_fetched(polled):
    record = entry(NO_URL)
    assert Item.objects.filter(record=record, text="Bilden syns inte?").exists()
    assert record.media == [{"url": "", "kind": "image"}]
    media = record.media_files.get()
    assert (media.status, media.attempts, media.next_attempt_at) == (MediaStatus.FAILED, 0, None)
    assert media.error == "Plattformen gav ingen adress till filen."
    assert not media.file


def test_an_image_address_that_is_no_web_address_keeps_the_comment_and_is_not_fetched(polled):
    record = entry(NOT_HTTP)
    assert Item.objects.filter(record=record, text="Här är kartan").exists()
    media = record.media_files.get()
    assert (media.status, media.source_url) == (MediaStatus.FAILED, NOT_HTTP["content"][0]["url"])
    assert media.error == "En medieadress måste vara https."
    assert not media.file
    # Only the two images with addresses were asked for, each once.
    assert sorted(polled) == sorted(e["content"][0]["url"] for e in (WITH_TEXT, IMAGE_ONLY))


def test_the_registrar_sees_the_image_on_the_entry(polled, client, registrar):
    client.force_login(registrar)
    page = client.get(f"/admin/records/record/{entry(WITH_TEXT).pk}/change/").content.decode()
    assert f"Bild · Lagrad · image/jpeg · {len(JPEG)} byte" in page
