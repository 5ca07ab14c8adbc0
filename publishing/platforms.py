"""Publishing a post on its platform, through the platforms' adapters' HTTP client and their
reading of answers: Facebook Page posts (Graph API ``feed``, or ``photos`` with an image),
Instagram content publishing (a media container, then ``media_publish``; a video's container
is checked by later attempts until Instagram has processed it), LinkedIn posts (the
Posts API with the organisation URN) and YouTube uploads (resumable ``videos.insert``, then
the WebVTT captions with ``captions.insert``). Each returns the platform's answer as a
Publication: the outbox's ActionResult, and on success the post's platform id, address and the
answer itself (the register keeps it)."""

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from moderation.platforms.base import ActionResult, HttpClient, HttpResponse
from moderation.platforms.http import header_value, request_done, response_body
from moderation.platforms.linkedin import API_URL as LINKEDIN_URL
from moderation.platforms.linkedin import action_result as linkedin_result
from moderation.platforms.linkedin import api_headers as linkedin_headers
from moderation.platforms.linkedin import post_link
from moderation.platforms.meta import GRAPH_URL, graph_result
from moderation.platforms.youtube import action_result as youtube_result
from publishing.choices import MediaKind
from publishing.models import Post, PostMedia

YOUTUBE_UPLOAD_URL = "https://www.googleapis.com/upload/youtube/v3/videos"
YOUTUBE_CAPTIONS_URL = "https://www.googleapis.com/upload/youtube/v3/captions"
YOUTUBE_TITLE_MAX = 100
UPLOAD_TIMEOUT = 600.0
CONTAINER_STATUS_FIELDS = "status_code,status"


@dataclass(frozen=True)
class Publication:
    result: ActionResult
    external_id: str = ""
    permalink: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    # The text as the platform shows it, when the link went beside it (a Facebook feed post,
    # a LinkedIn article) rather than into it ("" : the text with its link, ``post_message``).
    text: str = ""
    # A media container the platform processes before it publishes (Instagram video): its id
    # to keep on the post (None: leave the post's as it is; "": drop a dead one), and whether
    # the post waits for it (a check later, not a failed attempt).
    container_id: str | None = None
    waiting: bool = False


class Publisher(Protocol):
    def __call__(
        self, *, post: Post, media: list[PostMedia], account_id: str, http: HttpClient
    ) -> Publication: ...


def media_url(file: FieldFile) -> str:
    """The absolute address a platform fetches the file from."""
    url = file.url
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def post_message(post: Post) -> str:
    return f"{post.text}\n\n{post.link_text}: {post.link_url}" if post.link_url else post.text


def _json(response: HttpResponse) -> dict[str, Any]:
    body = response_body(response)
    return body if isinstance(body, dict) else {}


def _done(response: HttpResponse) -> ActionResult:
    """The platform did what was asked (``request_done`` gave its answer)."""
    return ActionResult("done", "", None, response.status_code)


def _graph_post(
    http: HttpClient, path: str, data: Mapping[str, Any]
) -> HttpResponse | ActionResult:
    return request_done(http, graph_result, "POST", f"{GRAPH_URL}/{path}", data=data)


def facebook_publish(
    *, post: Post, media: list[PostMedia], account_id: str, http: HttpClient
) -> Publication:
    """An image goes to the Page's ``photos`` (with the text as its caption), anything else to
    its ``feed`` (with the link as the post's link)."""
    images = [m for m in media if m.kind == MediaKind.IMAGE]
    if images:
        data = {
            "url": media_url(images[0].file),
            "caption": post_message(post),
            "published": "true",
        }
        response = _graph_post(http, f"{account_id}/photos", data)
    else:
        data = {"message": post.text, **({"link": post.link_url} if post.link_url else {})}
        response = _graph_post(http, f"{account_id}/feed", data)
    if isinstance(response, ActionResult):
        return Publication(response)
    body = _json(response)
    post_id = str(body.get("post_id") or body.get("id") or "")
    return Publication(
        _done(response),
        post_id,
        f"https://www.facebook.com/{post_id}",
        body,
        "" if images else post.text,
    )


def _instagram_media_publish(
    http: HttpClient, account_id: str, creation_id: str, container: dict[str, Any]
) -> Publication:
    """``media_publish`` for a ready container, then the published media's permalink."""
    published = _graph_post(http, f"{account_id}/media_publish", {"creation_id": creation_id})
    if isinstance(published, ActionResult):
        return Publication(published)
    media_id = str(_json(published).get("id") or "")
    permalink = ""
    answer = request_done(
        http, graph_result, "GET", f"{GRAPH_URL}/{media_id}", params={"fields": "permalink"}
    )
    if not isinstance(answer, ActionResult):
        permalink = str(_json(answer).get("permalink") or "")
    return Publication(
        _done(published),
        media_id,
        permalink,
        {"container": container, "media": _json(published)},
    )


def _processing(status_code: int, container_id: str | None = None) -> Publication:
    """The video's container is being processed: the post waits for a later check."""
    detail = _("Instagram is processing the video; it is published when it is ready.")
    return Publication(
        ActionResult("retry", detail, None, status_code), container_id=container_id, waiting=True
    )


def _instagram_container_check(http: HttpClient, account_id: str, creation_id: str) -> Publication:
    """The video's container as Instagram has processed it: published when ``FINISHED``, a
    wait while ``IN_PROGRESS``, a failure (the container dropped) on ``ERROR`` or ``EXPIRED``."""
    answer = request_done(
        http,
        graph_result,
        "GET",
        f"{GRAPH_URL}/{creation_id}",
        params={"fields": CONTAINER_STATUS_FIELDS},
    )
    if isinstance(answer, ActionResult):
        return Publication(answer)
    body = _json(answer)
    status = str(body.get("status_code") or "")
    if status == "FINISHED":
        return _instagram_media_publish(http, account_id, creation_id, body)
    if status in ("ERROR", "EXPIRED"):
        detail = _(
            "Instagram could not process the video (%(status)s): %(reason)s. Check the video "
            "against Instagram's rules for Reels, then publish the post again."
        ) % {"status": status, "reason": str(body.get("status") or status).rstrip(". ")}
        return Publication(
            ActionResult("failed", detail, None, answer.status_code), container_id=""
        )
    if status == "PUBLISHED":
        detail = _(
            "Instagram says the video's container is already published: find the video on "
            "Instagram; it is not published twice."
        )
        return Publication(ActionResult("failed", detail, None, answer.status_code))
    if status == "IN_PROGRESS":
        return _processing(answer.status_code)
    return Publication(
        ActionResult("retry", f"Unknown container status {status!r}.", None, answer.status_code)
    )


def _instagram_video(
    post: Post, video: PostMedia, account_id: str, http: HttpClient
) -> Publication:
    """A Reels container for the video, kept on the post and checked by the next attempts
    (processing takes minutes: no worker waits for it); never a second container for a post
    that has one."""
    if post.container_id:
        return _instagram_container_check(http, account_id, post.container_id)
    container = _graph_post(
        http,
        f"{account_id}/media",
        {"media_type": "REELS", "video_url": media_url(video.file), "caption": post_message(post)},
    )
    if isinstance(container, ActionResult):
        return Publication(container)
    creation_id = str(_json(container).get("id") or "")
    if not creation_id:
        return Publication(ActionResult("retry", "Instagram named no container."))
    return _processing(container.status_code, creation_id)


def instagram_publish(
    *, post: Post, media: list[PostMedia], account_id: str, http: HttpClient
) -> Publication:
    """A video goes as a Reel through its container (``_instagram_video``); an image gets a
    media container (with its alt text), then ``media_publish``, then the permalink."""
    video = next((m for m in media if m.kind == MediaKind.VIDEO), None)
    if video is not None:
        return _instagram_video(post, video, account_id, http)
    image = next(m for m in media if m.kind == MediaKind.IMAGE)
    container = _graph_post(
        http,
        f"{account_id}/media",
        {
            "image_url": media_url(image.file),
            "caption": post_message(post),
            "alt_text": image.alt_text,
        },
    )
    if isinstance(container, ActionResult):
        return Publication(container)
    creation_id = str(_json(container).get("id") or "")
    return _instagram_media_publish(http, account_id, creation_id, _json(container))


def linkedin_image_upload(http: HttpClient, owner: str, image: PostMedia) -> str | ActionResult:
    """The Images API: ``initializeUpload`` for the organisation, then the file to the upload
    address it gives; the image's URN, or the platform's answer when it refused."""
    started = request_done(
        http,
        linkedin_result,
        "POST",
        f"{LINKEDIN_URL}/images",
        params={"action": "initializeUpload"},
        json={"initializeUploadRequest": {"owner": owner}},
        headers=linkedin_headers(),
    )
    if isinstance(started, ActionResult):
        return started
    value = _json(started).get("value")
    value = value if isinstance(value, dict) else {}
    if not value.get("uploadUrl") or not value.get("image"):
        return ActionResult("retry", "LinkedIn gave no upload address.", None, started.status_code)
    with image.file.open("rb") as file:
        content = file.read()
    uploaded = request_done(
        http,
        linkedin_result,
        "PUT",
        str(value["uploadUrl"]),
        content=content,
        timeout=UPLOAD_TIMEOUT,
    )
    return uploaded if isinstance(uploaded, ActionResult) else str(value["image"])


def linkedin_publish(
    *, post: Post, media: list[PostMedia], account_id: str, http: HttpClient
) -> Publication:
    """``POST /rest/posts`` as the organisation; the new post's URN comes in ``x-restli-id``.
    An image is uploaded first (``linkedin_image_upload``) and posted with its alt text, the
    link then in the text; without one, the link is the post's article."""
    images = [m for m in media if m.kind == MediaKind.IMAGE]
    image_urn: str | ActionResult = ""
    if images:
        image_urn = linkedin_image_upload(http, account_id, images[0])
        if isinstance(image_urn, ActionResult):
            return Publication(image_urn)
    body: dict[str, Any] = {
        "author": account_id,
        "commentary": post_message(post) if images else post.text,
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    if images:
        body["content"] = {"media": {"id": image_urn, "altText": images[0].alt_text}}
    elif post.link_url:
        body["content"] = {"article": {"source": post.link_url, "title": post.link_text}}
    response = request_done(
        http,
        linkedin_result,
        "POST",
        f"{LINKEDIN_URL}/posts",
        json=body,
        headers=linkedin_headers(),
    )
    if isinstance(response, ActionResult):
        return Publication(response)
    result = _done(response)
    post_urn = header_value(response.headers, "x-restli-id") or ""
    if not post_urn:
        return Publication(ActionResult("failed", "LinkedIn named no post.", None, 201))
    raw = {"id": post_urn, "request": body}
    return Publication(result, post_urn, post_link(post_urn), raw, body["commentary"])


def _youtube_captions(http: HttpClient, video_id: str, video: PostMedia) -> str:
    """The video's WebVTT captions as its Swedish track (``captions.insert``, one multipart
    request); returns why they were not uploaded, or "" when they were."""
    with video.captions.open("rb") as file:
        track = file.read()
    boundary = f"captions-{uuid.uuid4().hex}"
    snippet = {"videoId": video_id, "language": "sv", "name": "Svenska", "isDraft": False}
    body = b"".join(
        [
            f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n".encode(),
            json.dumps({"snippet": snippet}).encode(),
            f"\r\n--{boundary}\r\nContent-Type: text/vtt\r\n\r\n".encode(),
            track,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    response = request_done(
        http,
        youtube_result,
        "POST",
        YOUTUBE_CAPTIONS_URL,
        params={"uploadType": "multipart", "part": "snippet"},
        content=body,
        headers={"Content-Type": f"multipart/related; boundary={boundary}"},
        timeout=UPLOAD_TIMEOUT,
    )
    return response.detail if isinstance(response, ActionResult) else ""


def youtube_publish(
    *, post: Post, media: list[PostMedia], account_id: str, http: HttpClient
) -> Publication:
    """A resumable upload: the session (with the video's title, description and language),
    then the file in one request to the session's address."""
    video = next(m for m in media if m.kind == MediaKind.VIDEO)
    title = (post.text.strip().splitlines() or [""])[0][:YOUTUBE_TITLE_MAX]
    content_type = "video/quicktime" if (video.file.name or "").endswith(".mov") else "video/mp4"
    metadata = {
        "snippet": {
            "title": title,
            "description": post_message(post),
            "defaultLanguage": "sv",
            "defaultAudioLanguage": "sv",
        },
        "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
    }
    session = request_done(
        http,
        youtube_result,
        "POST",
        YOUTUBE_UPLOAD_URL,
        params={"uploadType": "resumable", "part": "snippet,status"},
        json=metadata,
        headers={
            "X-Upload-Content-Length": str(video.file.size),
            "X-Upload-Content-Type": content_type,
        },
    )
    if isinstance(session, ActionResult):
        return Publication(session)
    location = header_value(session.headers, "Location")
    if not location:
        return Publication(ActionResult("retry", "No upload address."))
    with video.file.open("rb") as file:
        content = file.read()
    uploaded = request_done(
        http,
        youtube_result,
        "PUT",
        location,
        content=content,
        headers={"Content-Type": content_type},
        timeout=UPLOAD_TIMEOUT,
    )
    if isinstance(uploaded, ActionResult):
        return Publication(uploaded)
    result = _done(uploaded)
    body = _json(uploaded)
    video_id = str(body.get("id") or "")
    # The video is out: captions the platform refuses are said on the post, never a resend.
    problem = _youtube_captions(http, video_id, video) if video.captions else ""
    if problem:
        detail = _(
            "The video is published but its captions were not uploaded: add them in "
            "YouTube Studio. YouTube answered: %s"
        )
        result = ActionResult("done", detail % problem, None, result.status_code)
    return Publication(result, video_id, f"https://www.youtube.com/watch?v={video_id}", body)


PUBLISHERS: dict[str, Callable[..., Publication]] = {
    "facebook": facebook_publish,
    "instagram": instagram_publish,
    "linkedin": linkedin_publish,
    "youtube": youtube_publish,
}


def publisher_for(platform: str) -> Callable[..., Publication]:
    try:
        return PUBLISHERS[platform]
    except KeyError:
        raise LookupError(f"No publisher for the platform {platform!r}.") from None
