"""Instagram video (Reels) through content publishing: a media container for the video, kept on
the post, its status checked by the next send attempts (never a blocked worker, never a second
container), then ``media_publish`` once it is FINISHED; ERROR fails the post with Instagram's
reason, a withdrawal stops the checks, 429 and 500 during a check follow the outbox's rules."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from channels_app.choices import ChannelRecordsPolicy
from publishing import checks, sending, services, tasks
from publishing.choices import PostStatus
from publishing.models import Post
from records.choices import RecordDirection
from records.models import Record
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import FIXTURES, canned
from tests.publishing.conftest import connect
from tests.publishing.factories import approved, captions_file, draft, video_file

GRAPH = "https://graph.facebook.com/v21.0"
IG_USER = "17841400000000001"
CONTAINER = "17949561234055872"

pytestmark = pytest.mark.django_db


@pytest.fixture
def instagram(db):
    return connect(
        ChannelFactory.create(
            platform="instagram",
            platform_account_id=IG_USER,
            records_policy=ChannelRecordsPolicy.REGISTER_ALL,
        )
    )


@pytest.fixture
def video_post(instagram, author, approver):
    text = "Så sorterar du julklappspapper #återvinning"
    return approved(instagram, author, approver, video=True, text=text)


def retry_due(post: Post) -> None:
    Post.objects.filter(pk=post.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def containers_made(platform_http) -> int:
    return sum(1 for r in platform_http.requests if r.method == "POST" and r.url.endswith("/media"))


def test_instagram_takes_one_mp4_video_with_captions_and_refuses_one_too_large(
    instagram, author, video_post, monkeypatch
):
    assert not [f for f in checks.post_findings(video_post) if f.blocking]
    rule = checks.PLATFORM_RULES["instagram"]
    assert rule.video_types == {"mp4", "mov"}
    assert rule.video_max_bytes == 300 * checks.MB  # Reels: 300 MB
    monkeypatch.setitem(
        checks.PLATFORM_RULES, "instagram", replace(rule, video_max_bytes=checks.MB)
    )
    large = draft(instagram, author)
    with pytest.raises(ValidationError, match="större än Instagram tar emot"):
        services.post_media_add(
            post=large,
            kind="video",
            file=video_file(size=checks.MB + 1),
            captions=captions_file(),
            actor=author,
        )
    bare = draft(instagram, author)
    services.post_media_add(post=bare, kind="video", file=video_file(), actor=author)
    assert "captions" in {f.code for f in checks.post_findings(bare)}


def test_a_video_goes_container_then_waits_then_is_published_and_registered(
    video_post, approver, platform_http, send_now
):
    platform_http.responses.append(canned("publishing/instagram_reels_container_created.json"))
    send_now(video_post, approver)
    (created,) = platform_http.requests
    assert (created.method, created.url) == ("POST", f"{GRAPH}/{IG_USER}/media")
    assert created.data["media_type"] == "REELS"
    assert created.data["video_url"].startswith("http")
    assert created.data["video_url"].endswith(".mp4")
    assert created.data["caption"] == video_post.text
    post = Post.objects.get(pk=video_post.pk)
    assert (post.status, post.container_id) == (PostStatus.SCHEDULED, CONTAINER)
    assert "bearbetar videon" in post.last_answer
    assert post.next_attempt_at is not None
    assert post.next_attempt_at >= timezone.now() + timedelta(seconds=59)  # a minute on
    assert tasks.posts_send_due() == 0  # the worker is not held: the check comes later

    retry_due(post)
    platform_http.responses.append(canned("publishing/instagram_container_in_progress.json"))
    assert tasks.posts_send_due() == 1
    check = platform_http.requests[-1]
    assert (check.method, check.url) == ("GET", f"{GRAPH}/{CONTAINER}")
    assert check.params == {"fields": "status_code,status"}
    assert Post.objects.get(pk=post.pk).status == PostStatus.SCHEDULED

    retry_due(post)
    platform_http.responses += [
        canned("publishing/instagram_container_finished.json"),
        canned("publishing/instagram_reel_published.json"),
        canned("publishing/instagram_reel_permalink.json"),
    ]
    assert tasks.posts_send_due() == 1
    _check, publish, permalink = platform_http.requests[-3:]
    assert publish.url == f"{GRAPH}/{IG_USER}/media_publish"
    assert publish.data == {"creation_id": CONTAINER}
    assert permalink.params == {"fields": "permalink"}
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert (post.external_id, post.permalink) == (
        "17994321876054321",
        "https://www.instagram.com/reel/DC4mTq8sK2n/",
    )
    assert post.last_answer == ""
    record = Record.objects.get()
    assert post.record == record
    assert record.direction == RecordDirection.DRAWN_UP
    assert record.source_id == post.external_id
    (video,) = record.media
    assert video["kind"] == "video"
    assert video["captions"]
    assert containers_made(platform_http) == 1
    assert tasks.posts_send_due() == 0


def test_a_container_in_error_fails_the_post_with_instagrams_reason(
    video_post, approver, platform_http, send_now
):
    platform_http.responses += [
        canned("publishing/instagram_reels_container_created.json"),
        canned("publishing/instagram_container_error.json"),
    ]
    send_now(video_post, approver)
    retry_due(video_post)
    tasks.posts_send_due()
    post = Post.objects.get(pk=video_post.pk)
    assert post.status == PostStatus.FAILED
    assert post.last_answer.startswith("Instagram kunde inte bearbeta videon")
    assert "Unsupported video format" in post.last_answer
    assert post.container_id == ""  # a dead container: publishing again makes a new one
    assert not any(r.url.endswith("/media_publish") for r in platform_http.requests)
    assert not Record.objects.exists()


def test_a_post_withdrawn_while_its_container_waits_is_not_checked_or_published(
    video_post, approver, platform_http, send_now
):
    platform_http.responses.append(canned("publishing/instagram_reels_container_created.json"))
    send_now(video_post, approver)
    services.post_withdraw(post=video_post, reason="Fel datum i filmen.", actor=approver)
    retry_due(video_post)
    assert tasks.posts_send_due() == 0
    assert len(platform_http.requests) == 1
    assert Post.objects.get(pk=video_post.pk).status == PostStatus.WITHDRAWN


def test_429_and_500_during_the_status_check_are_retried_and_make_no_second_container(
    video_post, approver, platform_http, send_now
):
    platform_http.responses += [
        canned("publishing/instagram_reels_container_created.json"),
        canned("responses/meta_429_retry_after.json"),
        canned("responses/server_error_500.json"),
        canned("publishing/instagram_container_finished.json"),
        canned("publishing/instagram_reel_published.json"),
        canned("publishing/instagram_reel_permalink.json"),
    ]
    send_now(video_post, approver)
    retry_due(video_post)
    tasks.posts_send_due()
    post = Post.objects.get(pk=video_post.pk)
    assert (post.status, post.last_status_code) == (PostStatus.SCHEDULED, 429)
    assert "request limit" in post.last_answer
    assert post.next_attempt_at is not None
    assert post.next_attempt_at >= timezone.now() + timedelta(seconds=119)  # Retry-After: 120
    retry_due(post)
    tasks.posts_send_due()
    assert Post.objects.get(pk=post.pk).last_status_code == 500
    retry_due(post)
    tasks.posts_send_due()
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert containers_made(platform_http) == 1
    assert [r.url for r in platform_http.requests[1:4]] == [f"{GRAPH}/{CONTAINER}"] * 3


def test_a_container_still_in_progress_after_the_last_check_fails_and_keeps_the_container(
    video_post, approver, platform_http, send_now, monkeypatch
):
    monkeypatch.setattr(sending, "CONTAINER_MAX_CHECKS", 3)
    platform_http.responses.append(canned("publishing/instagram_reels_container_created.json"))
    platform_http.responses += [canned("publishing/instagram_container_in_progress.json")] * 2
    send_now(video_post, approver)
    for _check in range(2):
        retry_due(video_post)
        tasks.posts_send_due()
    post = Post.objects.get(pk=video_post.pk)
    assert post.status == PostStatus.FAILED
    assert "fortfarande" in post.last_answer
    assert post.container_id == CONTAINER
    # Publishing it again checks the same container: never a second one.
    platform_http.responses += [
        canned("publishing/instagram_container_finished.json"),
        canned("publishing/instagram_reel_published.json"),
        canned("publishing/instagram_reel_permalink.json"),
    ]
    send_now(post, approver)
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED
    assert containers_made(platform_http) == 1


def test_the_recorded_platforms_of_make_run_take_a_video_through_its_container(
    video_post, approver, settings, send_now
):
    settings.PLATFORMS_RECORDED_ANSWERS = str(FIXTURES)
    send_now(video_post, approver)
    post = Post.objects.get(pk=video_post.pk)
    assert post.status == PostStatus.SCHEDULED
    assert post.container_id.isdigit()
    retry_due(post)
    assert tasks.posts_send_due() == 1
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.permalink == "https://www.instagram.com/p/DC1k9QbMZxy/"
    assert post.record is not None
