"""Media at capture (issue 16, point 2): a comment's image reaches the register through the Meta
webhook, is fetched after commit over real HTTP from a local stand-in for the CDN, checked by
its bytes, hashed and stored beside the entry; every bad link of the issue (404, 403, a
redirect loop, a 2 GB body, an endless body, an HTML page claiming to be a JPEG, a server that
never answers) is noted on the entry with its reason, retried only when it may succeed later,
and never costs the rest of the delivery. The files go into the e-archive package and out of
storage with disposal and erasure."""

import hashlib
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from eark_validator.mets import MetsValidator
from eark_validator.structure import StructureStatus, validate_package_structure

from moderation.models import Item
from records import media as media_module
from records import tasks
from records.choices import MediaStatus, RegistrationBasis, UnlawfulContentBasis
from records.media import BACKOFF
from records.models import Record, RecordMedia, RetentionDefault
from records.services import (
    disposal_run_approve,
    disposal_run_execute,
    disposal_run_preview,
    record_unlawful_content_erase,
    records_export,
)
from tests.moderation.platforms.recorded import FACEBOOK_PAGE as PAGE
from tests.moderation.platforms.recorded import meta_post
from tests.records.factories import RetentionClassFactory
from tests.records.media_server import JPEG

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("meta_settings")]

POST = f"{PAGE}_2233445566"


def comment(number: int, *, message: str | None = "Titta här", **media: str) -> dict[str, Any]:
    value: dict[str, Any] = {
        "item": "comment",
        "verb": "add",
        "comment_id": f"2233445566_{number}",
        "post_id": POST,
        "parent_id": POST,
        "from": {"id": f"600{number}", "name": f"Person {number}"},
        "created_time": int(timezone.now().timestamp()) - 60,
        **media,
    }
    if message is not None:
        value["message"] = message
    return value


def deliver(client, on_commit, *values: dict[str, Any]) -> None:
    body = json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": PAGE,
                    "time": int(timezone.now().timestamp()) - 60,
                    "changes": [{"field": "feed", "value": value} for value in values],
                }
            ],
        }
    ).encode()
    with on_commit(execute=True):
        response = meta_post(client, body)
    assert response.status_code == 200, response.content


def media_of(number: int) -> RecordMedia:
    return RecordMedia.objects.get(record__source_id=f"2233445566_{number}")


def test_a_comments_image_is_fetched_checked_hashed_and_stored(
    client, meta_page, cdn, django_capture_on_commit_callbacks
):
    url = cdn.url("/bild.jpg")
    deliver(client, django_capture_on_commit_callbacks, comment(1, photo=url))
    record = Record.objects.get(source_id="2233445566_1")
    assert record.media == [{"url": url, "kind": "image"}]  # in the immutable snapshot
    media = record.media_files.get()
    assert (media.status, media.content_type, media.size) == ("stored", "image/jpeg", len(JPEG))
    assert media.sha256 == hashlib.sha256(JPEG).hexdigest()
    with default_storage.open(str(media.file.name), "rb") as stored:
        assert stored.read() == JPEG
    assert (media.attempts, media.error, media.next_attempt_at) == (1, "", None)


def test_a_comment_of_an_image_alone_is_content_not_of_little_importance(
    client, meta_page, cdn, django_capture_on_commit_callbacks
):
    deliver(
        client,
        django_capture_on_commit_callbacks,
        comment(2, message=None, photo=cdn.url("/bild.jpg")),
    )
    record = Record.objects.get(source_id="2233445566_2")
    assert (record.registration_basis, record.registration_rule) == (
        RegistrationBasis.REGISTERED,
        "policy_register_all",
    )
    assert record.number
    assert record.media_files.get().status == MediaStatus.STORED
    empty = dict(comment(3, message=None))
    deliver(client, django_capture_on_commit_callbacks, empty)
    assert Record.objects.get(source_id="2233445566_3").registration_rule == "no_content"


BAD_LINKS = [
    # path, still waiting for a retry?, what the entry says (in the interface's Swedish)
    ("/saknas.jpg", False, "HTTP 404"),
    ("/forbjuden.jpg", False, "HTTP 403"),
    ("/loop.jpg", False, "omdirigeringar"),
    ("/stor.jpg", False, "2147483648 byte"),
    ("/oandlig.jpg", False, "större än 262144 byte"),
    ("/html.jpg", False, "ingen tillåten bild"),
    ("/tyst.jpg", True, "Inget svar inom 2.0 sekunder"),
]


@pytest.mark.parametrize(("path", "retried", "reason"), BAD_LINKS)
def test_a_bad_media_link_is_noted_on_the_entry_and_costs_the_delivery_nothing(
    client, meta_page, cdn, django_capture_on_commit_callbacks, path, retried, reason
):
    before = timezone.now()
    deliver(
        client,
        django_capture_on_commit_callbacks,
        comment(10, photo=cdn.url(path)),
        comment(11, message="Bara text"),
        comment(12, photo=cdn.url("/bild.jpg")),
    )
    assert Item.objects.count() == 3
    assert Record.objects.count() == 3
    bad = media_of(10)
    assert reason in bad.error
    assert bad.attempts == 1
    assert not bad.file
    assert bad.sha256 == ""
    if retried:
        assert bad.status == MediaStatus.PENDING
        assert bad.next_attempt_at is not None
        assert before + BACKOFF[0] <= bad.next_attempt_at <= timezone.now() + BACKOFF[0]
    else:
        assert (bad.status, bad.next_attempt_at) == (MediaStatus.FAILED, None)
    assert media_of(12).status == MediaStatus.STORED  # the rest of the delivery came through


def test_a_link_that_may_succeed_later_is_retried_with_back_off_then_stored(
    client, meta_page, cdn, django_capture_on_commit_callbacks
):
    deliver(client, django_capture_on_commit_callbacks, comment(20, photo=cdn.url("/ibland.jpg")))
    media = media_of(20)
    assert (media.status, media.attempts) == (MediaStatus.PENDING, 1)
    assert "HTTP 503" in media.error
    assert tasks.record_media_sweep() == 0  # not due yet: nothing is asked of the server
    assert cdn.hits.count("/ibland.jpg") == 1
    for attempt in (2, 3):
        RecordMedia.objects.filter(pk=media.pk).update(next_attempt_at=timezone.now())
        tasks.record_media_sweep()
        media.refresh_from_db()
        assert (media.status, media.attempts) == (MediaStatus.PENDING, attempt)
        assert media.next_attempt_at is not None
        waited = media.next_attempt_at - timezone.now()
        assert BACKOFF[attempt - 2] < waited <= BACKOFF[attempt - 1]
    cdn.healed = True
    RecordMedia.objects.filter(pk=media.pk).update(next_attempt_at=timezone.now())
    assert tasks.record_media_sweep() == 1
    media.refresh_from_db()
    assert (media.status, media.sha256) == (MediaStatus.STORED, hashlib.sha256(JPEG).hexdigest())


def test_a_link_that_never_recovers_is_given_up_after_the_last_back_off(
    client, meta_page, cdn, django_capture_on_commit_callbacks
):
    deliver(client, django_capture_on_commit_callbacks, comment(21, photo=cdn.url("/ibland.jpg")))
    media = media_of(21)
    for _attempt in BACKOFF:
        RecordMedia.objects.filter(pk=media.pk).update(next_attempt_at=timezone.now())
        tasks.record_media_sweep()
    media.refresh_from_db()
    assert (media.status, media.attempts) == (MediaStatus.FAILED, len(BACKOFF) + 1)
    assert media.error.startswith("Gav upp")
    assert "HTTP 503" in media.error


class RecordedFetcher:
    """Answers from recorded bodies by address, offline."""

    def __init__(self, bodies: dict[str, bytes]):
        self.bodies = bodies

    def fetch(self, url: str, *, limits: media_module.FetchLimits):
        yield self.bodies[url]


def test_ingested_media_are_fetched_and_a_bad_address_is_refused_alone(
    token_client, meta_page, monkeypatch, django_capture_on_commit_callbacks
):
    url = "https://cdn.example.se/bild.jpg"
    monkeypatch.setattr(media_module, "media_fetcher_default", lambda: RecordedFetcher({url: JPEG}))
    ingest = token_client("moderation:ingest")
    base = {"channel": meta_page.slug, "kind": "comment", "event": "created"}
    when = (timezone.now() - timedelta(minutes=5)).isoformat()
    items = [
        {
            **base,
            "external_id": "e-1",
            "occurred_at": when,
            "media": [{"url": url, "kind": "image"}],
        },
        {
            **base,
            "external_id": "e-2",
            "occurred_at": when,
            "text": "Hej",
            "media": [{"url": "ftp://cdn.example.se/x.jpg", "kind": "image"}],
        },
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = ingest.post("/api/v1/moderation/ingest/", {"items": items}, format="json")
    assert response.status_code == 200, response.content
    first, second = response.json()["results"]
    assert first["outcome"] == "created"
    assert second["outcome"] == "rejected"
    media = RecordMedia.objects.get(record__source_id="e-1")
    assert (media.status, media.sha256) == (MediaStatus.STORED, hashlib.sha256(JPEG).hexdigest())


def test_media_come_only_from_the_platforms_hosts_redirects_included(
    client, meta_page, cdn, settings, django_capture_on_commit_callbacks
):
    settings.RECORDS_MEDIA_HOSTS = ["localhost"]
    deliver(
        client,
        django_capture_on_commit_callbacks,
        comment(40, photo=cdn.url("/bild.jpg")),  # 127.0.0.1: not a platform's host
        comment(41, photo=cdn.url("/intern.jpg").replace("127.0.0.1", "localhost")),
    )
    outside, redirected = media_of(40), media_of(41)
    assert (outside.status, outside.error) == (
        MediaStatus.FAILED,
        "Media hämtas inte från 127.0.0.1.",
    )
    assert (redirected.status, redirected.error) == (
        MediaStatus.FAILED,
        "Media hämtas inte från 10.0.0.1.",
    )
    assert cdn.hits == ["/intern.jpg"]  # nothing was asked of 127.0.0.1 by its own address
    assert not outside.file
    assert not redirected.file


def test_an_ingested_media_address_off_the_platforms_hosts_is_noted_not_fetched(
    token_client, meta_page, settings, django_capture_on_commit_callbacks
):
    settings.RECORDS_MEDIA_HOSTS = ["fbcdn.net"]
    item = {
        "channel": meta_page.slug,
        "kind": "comment",
        "event": "created",
        "external_id": "e-host",
        "occurred_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        "text": "Hej",
        "media": [{"url": "https://169.254.169.254/latest/meta-data/", "kind": "image"}],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client("moderation:ingest").post(
            "/api/v1/moderation/ingest/", {"items": [item]}, format="json"
        )
    assert response.status_code == 200, response.content
    assert response.json()["results"][0]["outcome"] == "created"  # the comment is kept
    media = RecordMedia.objects.get(record__source_id="e-host")
    assert (media.status, media.error) == (
        MediaStatus.FAILED,
        "Media hämtas inte från 169.254.169.254.",
    )


@pytest.fixture
def old_image(client, meta_page, cdn, django_capture_on_commit_callbacks) -> RecordMedia:
    """A stored image of a comment two years old, under a one-year retention class."""
    short = RetentionClassFactory.create(code="kort", retention_years=1)
    RetentionDefault.objects.create(channel=meta_page, registration_basis="", retention_class=short)
    value = comment(30, photo=cdn.url("/bild.jpg"))
    value["created_time"] = int((timezone.now() - timedelta(days=800)).timestamp())
    deliver(client, django_capture_on_commit_callbacks, value)
    media = media_of(30)
    assert media.status == MediaStatus.STORED
    assert default_storage.exists(str(media.file.name))
    return media


def test_disposal_removes_the_stored_file(old_image, registrar, django_capture_on_commit_callbacks):
    run = disposal_run_approve(run=disposal_run_preview(actor=registrar), actor=registrar)
    with django_capture_on_commit_callbacks(execute=True):
        disposal_run_execute(run=run, actor=registrar)
    assert not default_storage.exists(str(old_image.file.name))
    assert not RecordMedia.objects.exists()


def test_erasure_of_unlawful_content_removes_the_stored_file(
    old_image, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_unlawful_content_erase(
            record=old_image.record,
            legal_basis=UnlawfulContentBasis.CHILD_ABUSE_MATERIAL,
            decision_reference="Beslut 1",
            actor=moderator,
        )
    assert not default_storage.exists(str(old_image.file.name))
    assert not RecordMedia.objects.exists()


def test_the_export_carries_the_image_with_its_hash_and_validates(old_image, registrar, tmp_path):
    name, payload = records_export(records=[old_image.record], actor=registrar)
    with payload, zipfile.ZipFile(payload) as archive:
        archive.extractall(tmp_path)
    root = tmp_path / name.removesuffix(".zip")
    data = root / "representations/rep1/data"
    (image,) = data.glob("*-media-0.jpg")
    assert image.read_bytes() == JPEG
    (snapshot,) = data.glob("*.json")
    (described,) = json.loads(snapshot.read_text())["media_files"]
    assert described["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert described["path"] == f"data/{image.name}"
    assert (
        hashlib.sha256(JPEG).hexdigest().upper()
        in (root / "representations/rep1/METS.xml").read_text()
    )
    assert validate_package_structure(str(root)).status == StructureStatus.WellFormed
    validator = MetsValidator(str(root))
    assert validator.validate_mets("representations/rep1/METS.xml"), validator.validation_errors


def test_the_registrar_sees_each_file_stored_and_hashed_or_why_not_on_the_entry(
    client, meta_page, cdn, registrar, django_capture_on_commit_callbacks
):
    deliver(
        client,
        django_capture_on_commit_callbacks,
        comment(40, photo=cdn.url("/bild.jpg"), video=cdn.url("/saknas.jpg")),
    )
    record = Record.objects.get(source_id="2233445566_40")
    client.force_login(registrar)
    page_html = client.get(f"/admin/records/record/{record.pk}/change/").content.decode()
    assert f"Bild · Lagrad · image/jpeg · {len(JPEG)} byte" in page_html
    assert hashlib.sha256(JPEG).hexdigest() in page_html
    assert "Video · Kunde inte hämtas · Plattformen svarade HTTP 404." in page_html
