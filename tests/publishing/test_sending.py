"""Publishing on the platforms: the exact requests against the platforms' recorded answers,
the outbox's retry rules (429, 500, an expired token), a post withdrawn while it is sent, the
registration of what was published, and one run over real HTTP to a local server."""

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from accounts.services import system_user
from moderation.models import ChannelConnection
from moderation.platforms import outbox
from publishing import platforms, services, tasks
from publishing.choices import PostStatus, TwinPlanStatus
from publishing.models import Post
from records.choices import RecordDirection, RegistrationBasis, RegistrationReason
from records.models import Record
from records.services import record_register
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import canned
from tests.publishing.conftest import PAGE, connect
from tests.publishing.factories import approved, in_an_hour

GRAPH = "https://graph.facebook.com/v21.0"

pytestmark = pytest.mark.django_db


def time_comes(post: Post) -> None:
    """The planned time passes (and any back-off with it)."""
    Post.objects.filter(pk=post.pk).update(
        planned_at=timezone.now() - timedelta(seconds=1),
        next_attempt_at=None,
    )


def retry_due(post: Post) -> None:
    Post.objects.filter(pk=post.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_an_approved_facebook_post_with_an_image_goes_out_at_its_time_and_is_registered(
    facebook, signing, author, approver, platform_http
):
    post = approved(facebook, author, approver, planned_at=in_an_hour())
    assert tasks.posts_send_due() == 0  # not yet
    time_comes(post)
    platform_http.responses.append(canned("publishing/facebook_photo_created.json"))
    assert tasks.posts_send_due() == 1

    (request,) = platform_http.requests
    assert (request.method, request.url) == ("POST", f"{GRAPH}/{PAGE}/photos")
    assert request.data["caption"] == post.text
    assert request.data["url"].startswith("http")
    assert request.data["published"] == "true"
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.external_id == "104857600000001_1029384756000999"
    assert post.permalink == "https://www.facebook.com/104857600000001_1029384756000999"

    record = Record.objects.get()
    assert post.record == record
    assert record.direction == RecordDirection.DRAWN_UP
    assert record.registration_basis == RegistrationBasis.REGISTERED
    assert record.number  # a drawn-up document gets its number
    assert (record.source_id, record.permalink) == (post.external_id, post.permalink)
    assert record.text == post.text
    assert record.document_date == post.published_at
    (image,) = record.media
    assert image["alt_text"] == "Skridskoåkare på Stortorget"
    assert len(image["sha256"]) == 64
    assert record.raw_payload["post_id"] == post.external_id

    plan = post.twin_plan
    assert (plan.status, plan.twin_channel) == (TwinPlanStatus.OPEN, signing)
    assert tasks.posts_send_due() == 0  # sent once


def test_the_platform_seeing_the_post_later_finds_the_same_register_entry(
    facebook, author, approver, platform_http, send_now
):
    post = approved(facebook, author, approver)
    platform_http.responses.append(canned("publishing/facebook_photo_created.json"))
    send_now(post, approver)  # sent at once (eager task)
    post.refresh_from_db()
    seen = record_register(
        channel=facebook,
        source_id=post.external_id,
        document_date=post.published_at,
        direction=RecordDirection.DRAWN_UP,
        subject="",
        text=post.text,
        raw_payload={"item": "photo"},
        reason=RegistrationReason.RECEIVED,
        actor=system_user(),
    )
    assert seen.pk == post.record_id
    assert Record.objects.count() == 1


def test_a_text_post_with_a_link_goes_to_the_feed(
    facebook, author, approver, platform_http, send_now
):
    post = approved(
        facebook,
        author,
        approver,
        image=False,
        link_url="https://www.orebro.se/skridsko",
        link_text="Öppettider för skridskobanan",
    )
    platform_http.responses.append(canned("publishing/facebook_feed_created.json"))
    send_now(post, approver)
    (request,) = platform_http.requests
    assert request.url == f"{GRAPH}/{PAGE}/feed"
    assert request.data == {"message": post.text, "link": "https://www.orebro.se/skridsko"}
    assert Post.objects.get(pk=post.pk).external_id == "104857600000001_1029384756000777"


def test_429_and_500_are_retried_by_the_outbox_rules_shown_on_the_post_and_sent_once(
    facebook, author, approver, platform_http, send_now
):
    post = approved(facebook, author, approver)
    platform_http.responses += [
        canned("responses/meta_429_retry_after.json"),
        canned("responses/server_error_500.json"),
        canned("publishing/facebook_photo_created.json"),
    ]
    send_now(post, approver)
    post.refresh_from_db()
    assert (post.status, post.attempts, post.last_status_code) == (PostStatus.SCHEDULED, 1, 429)
    assert "request limit" in post.last_answer
    assert post.next_attempt_at is not None
    assert post.next_attempt_at >= timezone.now() + timedelta(seconds=119)  # Retry-After: 120
    assert tasks.posts_send_due() == 0  # not before its time
    retry_due(post)
    assert tasks.posts_send_due() == 1
    assert Post.objects.get(pk=post.pk).last_status_code == 500
    retry_due(post)
    tasks.posts_send_due()
    post.refresh_from_db()
    assert (post.status, post.attempts) == (PostStatus.PUBLISHED, 3)
    assert len(platform_http.requests) == 3
    assert Record.objects.count() == 1


def test_after_the_last_attempt_the_post_fails_with_the_answer_and_can_be_sent_again(
    facebook, author, approver, platform_http, send_now
):
    post = approved(facebook, author, approver)
    platform_http.responses += [canned("responses/server_error_500.json")] * outbox.MAX_ATTEMPTS
    send_now(post, approver)
    for _attempt in range(outbox.MAX_ATTEMPTS - 1):
        retry_due(post)
        tasks.posts_send_due()
    post.refresh_from_db()
    assert (post.status, post.attempts, post.last_status_code) == (PostStatus.FAILED, 8, 500)
    platform_http.responses.append(canned("publishing/facebook_photo_created.json"))
    send_now(post, approver)
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED


def test_an_expired_token_is_said_on_the_post_and_nothing_is_lost(
    facebook, author, approver, platform_http, send_now
):
    post = approved(facebook, author, approver)
    platform_http.responses.append(canned("publishing/meta_token_expired.json"))
    send_now(post, approver)
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED
    assert "Session has expired" in post.last_answer
    assert post.text
    assert post.media.count() == 1
    connect(facebook, token="EAAG-renewed-token")
    platform_http.responses.append(canned("publishing/facebook_photo_created.json"))
    send_now(post, approver)
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED


def test_a_token_known_to_have_expired_is_not_sent_and_the_post_waits(
    facebook, author, approver, platform_http, send_now
):
    post = approved(facebook, author, approver)
    ChannelConnection.objects.filter(channel=facebook).update(
        token_expires_at=timezone.now() - timedelta(days=1)
    )
    send_now(post, approver)
    post.refresh_from_db()
    assert platform_http.requests == []
    assert post.status == PostStatus.SCHEDULED
    assert "har gått ut" in post.last_answer


def test_a_post_withdrawn_while_it_is_sent_stays_withdrawn_and_says_it_went_out(
    facebook, author, approver, platform_http, monkeypatch, send_now
):
    post = approved(facebook, author, approver)
    answer = canned("publishing/facebook_photo_created.json")
    original = platform_http.request

    def withdraw_meanwhile(method, url, **arguments):
        services.post_withdraw(post=post, reason="Fel datum i texten.", actor=approver)
        platform_http.responses.append(answer)
        return original(method, url, **arguments)

    monkeypatch.setattr(platform_http, "request", withdraw_meanwhile)
    send_now(post, approver)
    post.refresh_from_db()
    assert post.status == PostStatus.WITHDRAWN
    assert post.external_id == "104857600000001_1029384756000999"
    assert "ta bort det på plattformen" in post.last_answer
    assert post.record is not None  # it was published: a drawn-up document


def test_instagram_makes_a_container_then_publishes_it(author, approver, platform_http, send_now):
    instagram = connect(
        ChannelFactory.create(platform="instagram", platform_account_id="17841400000000001")
    )
    post = approved(instagram, author, approver)
    platform_http.responses += [
        canned("publishing/instagram_container_created.json"),
        canned("publishing/instagram_media_published.json"),
        canned("publishing/instagram_permalink.json"),
    ]
    send_now(post, approver)
    container, publish, permalink = platform_http.requests
    assert container.url == f"{GRAPH}/17841400000000001/media"
    assert container.data["alt_text"] == "Skridskoåkare på Stortorget"
    assert container.data["caption"] == post.text
    assert publish.url == f"{GRAPH}/17841400000000001/media_publish"
    assert publish.data == {"creation_id": "17889455560051444"}
    assert (permalink.method, permalink.params) == ("GET", {"fields": "permalink"})
    post.refresh_from_db()
    assert (post.external_id, post.permalink) == (
        "17920238422030506",
        "https://www.instagram.com/p/DC1k9QbMZxy/",
    )


def test_instagram_refusing_the_media_fails_the_post_with_its_answer(
    author, approver, platform_http, send_now
):
    instagram = connect(
        ChannelFactory.create(platform="instagram", platform_account_id="17841400000000001")
    )
    post = approved(instagram, author, approver)
    platform_http.responses.append(canned("publishing/instagram_media_type_refused.json"))
    send_now(post, approver)
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED
    assert "Only photo or video" in post.last_answer
    assert not Record.objects.exists()


def test_linkedin_posts_as_the_organisation(author, approver, platform_http, send_now):
    linkedin = connect(
        ChannelFactory.create(
            platform="linkedin", platform_account_id="urn:li:organization:2414183"
        )
    )
    post = approved(
        linkedin,
        author,
        approver,
        image=False,
        link_url="https://www.orebro.se/jobb",
        link_text="Lediga jobb i Örebro kommun",
    )
    platform_http.responses.append(canned("publishing/linkedin_post_created.json"))
    send_now(post, approver)
    (request,) = platform_http.requests
    assert request.url == "https://api.linkedin.com/rest/posts"
    assert request.json["author"] == "urn:li:organization:2414183"
    assert request.json["commentary"] == post.text
    assert request.json["content"]["article"]["source"] == "https://www.orebro.se/jobb"
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    post.refresh_from_db()
    assert post.external_id == "urn:li:share:7271234567890123456"
    assert (
        post.permalink == "https://www.linkedin.com/feed/update/urn:li:share:7271234567890123456/"
    )


def test_linkedin_uploads_the_image_then_posts_it_with_its_alt_text(
    author, approver, platform_http, send_now
):
    linkedin = connect(
        ChannelFactory.create(
            platform="linkedin", platform_account_id="urn:li:organization:2414183"
        )
    )
    post = approved(linkedin, author, approver)  # with an image and its alt text
    platform_http.responses += [
        canned("publishing/linkedin_image_upload_initialized.json"),
        canned("publishing/linkedin_image_uploaded.json"),
        canned("publishing/linkedin_post_created.json"),
    ]
    send_now(post, approver)
    initialize, upload, created = platform_http.requests
    assert (initialize.method, initialize.url) == (
        "POST",
        "https://api.linkedin.com/rest/images",
    )
    assert initialize.params == {"action": "initializeUpload"}
    assert initialize.json == {"initializeUploadRequest": {"owner": "urn:li:organization:2414183"}}
    assert initialize.headers["LinkedIn-Version"]
    assert upload.method == "PUT"
    assert upload.url.startswith("https://www.linkedin.com/dms-uploads/")
    assert upload.content.startswith(b"\xff\xd8")  # the JPEG itself
    assert created.json["content"] == {
        "media": {
            "id": "urn:li:image:D4E10AQFq2bV9xY3kLw",
            "altText": "Skridskoåkare på Stortorget",
        }
    }
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.external_id == "urn:li:share:7271234567890123456"


def youtube_video(author, approver) -> Post:
    """An approved video post with its captions, for a connected YouTube channel."""
    youtube = connect(
        ChannelFactory.create(platform="youtube", platform_account_id="UCq1w2e3r4t5y6u7i8o9p0aZ")
    )
    return approved(youtube, author, approver, video=True, text="Så sorterar du julklappspapper")


def test_youtube_uploads_the_video_resumably(author, approver, platform_http, send_now):
    post = youtube_video(author, approver)
    platform_http.responses += [
        canned("publishing/youtube_upload_session.json"),
        canned("publishing/youtube_video_uploaded.json"),
        canned("publishing/youtube_captions_inserted.json"),
    ]
    send_now(post, approver)
    session, upload, captions = platform_http.requests
    assert session.url == platforms.YOUTUBE_UPLOAD_URL
    assert session.params == {"uploadType": "resumable", "part": "snippet,status"}
    assert session.json["snippet"]["title"] == "Så sorterar du julklappspapper"
    assert session.headers["X-Upload-Content-Type"] == "video/mp4"
    assert upload.method == "PUT"
    assert upload.url.endswith("upload_id=AEnB2UqJ6sVbq3xk0Zc1pFfK8mN2rT5w")
    assert upload.content.startswith(b"\x00\x00\x00\x18ftypmp42")
    # The WebVTT captions as the video's Swedish track (captions.insert, multipart).
    assert (captions.method, captions.url) == ("POST", platforms.YOUTUBE_CAPTIONS_URL)
    assert captions.params == {"uploadType": "multipart", "part": "snippet"}
    boundary = captions.headers["Content-Type"].split("boundary=")[1]
    metadata, track = captions.content.split(f"--{boundary}".encode())[1:3]
    assert json.loads(metadata.split(b"\r\n\r\n", 1)[1]) == {
        "snippet": {"videoId": "Ks3pQ7vLm2A", "language": "sv", "name": "Svenska", "isDraft": False}
    }
    assert b"Content-Type: text/vtt" in track
    assert b"00:00.000 --> 00:03.500\nV\xc3\xa4lkommen till \xc3\x96rebro kommun." in track
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.permalink == "https://www.youtube.com/watch?v=Ks3pQ7vLm2A"
    assert post.last_answer == ""


def test_youtube_refusing_the_captions_leaves_the_video_published_and_says_so(
    author, approver, platform_http, send_now
):
    post = youtube_video(author, approver)
    platform_http.responses += [
        canned("publishing/youtube_upload_session.json"),
        canned("publishing/youtube_video_uploaded.json"),
        canned("publishing/youtube_captions_forbidden.json"),
    ]
    send_now(post, approver)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED  # the video is out; the post says what is missing
    assert post.last_answer.startswith("Videon är publicerad men undertexterna laddades inte upp")
    assert "YouTube Studio" in post.last_answer
    assert "forbidden" in post.last_answer
    assert len(platform_http.requests) == 3  # the video is not sent twice


# --- over real HTTP ---------------------------------------------------------------------------


class GraphHandler(BaseHTTPRequestHandler):
    seen: list[dict] = []

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        GraphHandler.seen.append(
            {
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "body": self.rfile.read(length).decode(),
            }
        )
        payload = json.dumps(
            {"id": "1029384756000123", "post_id": f"{PAGE}_1029384756000999"}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def graph_server(monkeypatch) -> Iterator[str]:
    GraphHandler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), GraphHandler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setattr(platforms, "GRAPH_URL", url)
    yield url
    httpd.shutdown()
    httpd.server_close()


def test_a_post_goes_out_over_real_http_with_the_channels_token(
    facebook, author, approver, graph_server, send_now
):
    post = approved(facebook, author, approver)
    send_now(post, approver)
    (seen,) = GraphHandler.seen
    assert seen["path"] == f"/{PAGE}/photos"
    assert seen["authorization"] == "Bearer EAAG-page-token-not-real"
    assert "caption=Nu+%C3%B6ppnar+skridskobanan" in seen["body"]
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED
