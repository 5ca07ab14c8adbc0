"""The sender of scheduled posts, by the moderation outbox's rules: a post is claimed (leased)
before its platform is called, so two workers never send it twice; a platform that asks for
patience gets the outbox's back-off (never shorter than its Retry-After) up to its attempt limit,
after which the post is ``failed`` with the platform's last answer. A platform that processes
media first (an Instagram video's container) is checked by the next attempts, a minute apart,
so no worker waits for it. A published post is
registered as a drawn-up document (TF 2:10) through the register's capture path."""

import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from core.actors import model_save
from moderation.platforms import connections
from moderation.platforms.base import ActionResult
from moderation.platforms.outbox import LEASE, MAX_ATTEMPTS, SWEEP_LIMIT, backoff_seconds
from moderation.subjects import document_subject, post_title
from publishing import checks
from publishing.choices import PostStatus
from publishing.models import Post, PostMedia
from publishing.platforms import Publication, post_message, publisher_for
from records.choices import RecordDirection, RegistrationReason
from records.services import record_register

logger = logging.getLogger(__name__)

# Meta advises checking a container's status about once a minute; a Reel is usually ready in a
# few, and a container not published within 24 hours expires.
CONTAINER_CHECK_SECONDS = 60.0
CONTAINER_MAX_CHECKS = 30


def _due() -> Q:
    now = timezone.now()
    return Q(status=PostStatus.SCHEDULED, planned_at__lte=now) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _claim(post_ids: Sequence[int]) -> list[Post]:
    """Lock the due posts no one else holds, count the attempt and lease them."""
    now = timezone.now()
    with transaction.atomic():
        posts = list(
            Post.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("channel__connection")
            .prefetch_related("media")
            .filter(_due(), pk__in=post_ids)
            .order_by("planned_at", "pk")
        )
        for post in posts:
            post.attempts += 1
            post.next_attempt_at = now + LEASE
        Post.objects.bulk_update(posts, ["attempts", "next_attempt_at"])
    return posts


def _call(post: Post) -> Publication:
    """The platform's answer; a channel that cannot publish now (no token, an expired one) is a
    retry with the reason, so the post says why and goes out once the channel is fixed."""
    problem = checks.publishing_right_problem(post.channel)
    if problem:
        return Publication(ActionResult("retry", problem))
    try:
        with connections.channel_http(post.channel) as http:
            return publisher_for(post.channel.platform)(
                post=post,
                media=list(post.media.all()),
                account_id=post.channel.platform_account_id,
                http=http,
            )
    except Exception as exc:
        logger.exception("Publishing post %s failed", post.pk)
        return Publication(ActionResult("retry", f"{type(exc).__name__}: {exc}"))


def _media_snapshot(media: PostMedia) -> dict[str, str]:
    digest = hashlib.sha256()
    with media.file.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return {
        "kind": media.kind,
        "name": media.file.name or "",
        "alt_text": media.alt_text,
        "captions": (media.captions.name or "") if media.captions else "",
        "sha256": digest.hexdigest(),
    }


def post_register(*, post: Post, raw: dict, actor: User, text: str = "") -> None:
    """The published post in the register as a drawn-up document: the published text (as the
    platform shows it, ``text``, else with its link) and media, the platform's id and address;
    the same entry, with the same subject and text, the webhook's capture of the post finds
    (same channel, origin and platform id), so it is one entry, not two, with no edit, and the
    comments on it name it (moderation.subjects). A link beside the text is in the payload."""
    if text and post.link_url:
        raw = {**raw, "link": {"url": post.link_url, "text": post.link_text}}
    text = text or post_message(post)
    record = record_register(
        channel=post.channel,
        source_id=post.external_id,
        document_date=post.published_at,
        direction=RecordDirection.DRAWN_UP,
        subject=document_subject(channel=post.channel, kind="post", post=post_title(post.text)),
        text=text,
        raw_payload=raw,
        reason=RegistrationReason.RECEIVED,
        permalink=post.permalink,
        media=[_media_snapshot(m) for m in post.media.all()],
        actor=actor,
    )
    Post.objects.filter(pk=post.pk).update(record=record)


def _wait_or_retry(current: Post, answer: Publication, now: datetime) -> None:
    """A scheduled post the platform did not publish: a media container still processing is
    checked again in a minute (a wait, not a failed attempt) up to CONTAINER_MAX_CHECKS; a
    retry gets the outbox's back-off up to its attempt limit; anything else fails the post."""
    result = answer.result
    if answer.waiting:
        current.container_checks += 1
        if current.container_checks < CONTAINER_MAX_CHECKS:
            current.next_attempt_at = now + timedelta(seconds=CONTAINER_CHECK_SECONDS)
            return
        current.status = PostStatus.FAILED
        current.last_answer = _(
            "The platform was still processing the video after %(count)d checks: the post "
            "failed. Publish it again to check the same upload once more."
        ) % {"count": current.container_checks}
        return
    failures = current.attempts - current.container_checks
    if result.outcome == "retry" and failures < MAX_ATTEMPTS:
        wait = backoff_seconds(failures, result.retry_after)
        current.next_attempt_at = now + timedelta(seconds=wait)
    else:
        current.status = PostStatus.FAILED


def _record(post: Post, answer: Publication, actor: User) -> None:
    result = answer.result
    now = timezone.now()
    with transaction.atomic():
        current = Post.objects.select_for_update().get(pk=post.pk)
        if current.attempts != post.attempts:
            return  # another sender took the post meanwhile
        current.last_answer, current.last_status_code = result.detail, result.status_code
        current.next_attempt_at = None
        if result.outcome == "done":
            current.external_id, current.permalink = answer.external_id, answer.permalink
            current.published_at = now
            if current.status == PostStatus.WITHDRAWN:
                # Withdrawn while it was being sent: it is out, and says so.
                current.last_answer = _(
                    "The platform published the post before the withdrawal reached it: "
                    "remove it on the platform."
                )
            else:
                current.status = PostStatus.PUBLISHED
        elif current.status == PostStatus.SCHEDULED:
            _wait_or_retry(current, answer, now)
        if answer.container_id is not None:
            current.container_id = answer.container_id
        model_save(current, actor)
        if result.outcome == "done":
            post_register(post=current, raw=answer.raw, actor=actor, text=answer.text)
    connections.capture_note(
        post.channel, event="sent", error="" if result.outcome == "done" else result.detail
    )


def posts_send(*, post_ids: Sequence[int], actor: User) -> list[Post]:
    """Send the posts among ``post_ids`` that are scheduled and due; returns those it sent
    (each with the platform's answer recorded)."""
    permission_require(actor, "publishing.publish_post")
    posts = _claim(post_ids)
    for post in posts:
        _record(post, _call(post), actor)
    return posts


def posts_send_due(*, actor: User) -> int:
    """Send every scheduled post whose time (or next attempt) has come; returns how many."""
    permission_require(actor, "publishing.publish_post")
    due = (
        Post.objects.filter(_due())
        .order_by("planned_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    return len(posts_send(post_ids=list(due), actor=actor))
