"""The platforms as recorded, for the demo and local development (``make run`` without a
network): an httpx transport that answers each call the adapters and the publishers make with
the platform's recorded answer from ``settings.PLATFORMS_RECORDED_ANSWERS`` (the folder of the
tests' fixtures). It is on only where that setting names a folder: the local settings do, and
``check --deploy`` refuses a production that does (moderation.E001), since nothing sent there
would reach a platform.

A recorded answer that creates something (a post, a photo, a reply, a video) is given a fresh
id in place of the recorded one, as the platform would, so each post published in the demo is
its own entry in the register."""

import json
import re
import time
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

GRAPH = r"https://graph\.facebook\.com/v[\d.]+/"
LINKEDIN_POSTS = r"https://api\.linkedin\.com/rest/posts"
LINKEDIN_IMAGES = r"https://api\.linkedin\.com/rest/images"
LINKEDIN_UPLOADS = r"https://www\.linkedin\.com/dms-uploads/.+"
YOUTUBE_UPLOAD = r"https://www\.googleapis\.com/upload/youtube/v3/videos"
YOUTUBE_CAPTIONS = r"https://www\.googleapis\.com/upload/youtube/v3/captions"
CONTAINER_STATUS = r"[^/?]+\?(?:.*&)?fields=status_code.*"

# (method, address pattern, recorded answer, whether the answer creates something)
ROUTES: list[tuple[str, re.Pattern[str], str, bool]] = [
    (method, re.compile(pattern), answer, creates)
    for method, pattern, answer, creates in (
        ("POST", GRAPH + r"[^/]+/photos", "publishing/facebook_photo_created.json", True),
        ("POST", GRAPH + r"[^/]+/feed", "publishing/facebook_feed_created.json", True),
        ("POST", GRAPH + r"[^/]+/media", "publishing/instagram_container_created.json", True),
        ("POST", GRAPH + r"[^/]+/media_publish", "publishing/instagram_media_published.json", True),
        # An Instagram video's container asked for its status (matched with the query).
        ("GET", GRAPH + CONTAINER_STATUS, "publishing/instagram_container_finished.json", False),
        ("GET", GRAPH + r"[^/]+", "publishing/instagram_permalink.json", False),
        ("POST", GRAPH + r"[^/]+/(comments|replies)", "responses/meta_reply_created.json", True),
        ("POST", GRAPH + r"[^/]+/blocked", "responses/meta_success.json", False),
        ("POST", GRAPH + r"[^/]+", "responses/meta_success.json", False),
        ("DELETE", GRAPH + r".+", "responses/meta_success.json", False),
        ("POST", LINKEDIN_POSTS, "publishing/linkedin_post_created.json", True),
        ("POST", LINKEDIN_IMAGES, "publishing/linkedin_image_upload_initialized.json", False),
        ("PUT", LINKEDIN_UPLOADS, "publishing/linkedin_image_uploaded.json", False),
        ("POST", YOUTUBE_UPLOAD, "publishing/youtube_upload_session.json", False),
        ("PUT", YOUTUBE_UPLOAD, "publishing/youtube_video_uploaded.json", True),
        ("POST", YOUTUBE_CAPTIONS, "publishing/youtube_captions_inserted.json", True),
    )
]
ID_HEADERS = ("x-restli-id",)
ID_KEYS = ("id", "post_id")
FRESH_DIGITS = 9


def recorded_answers_folder() -> Path | None:
    """The folder of recorded answers when the platforms are simulated, else None."""
    folder = getattr(settings, "PLATFORMS_RECORDED_ANSWERS", "")
    return Path(folder) if folder else None


def _fresh(value: str, serial: str) -> str:
    """The recorded id with its last digits made new (the platform's next id)."""
    return re.sub(rf"\d{{{FRESH_DIGITS}}}(?=\D*$)", serial, value, count=1)


def _fresh_ids(body: Any, headers: dict[str, str], serial: str) -> tuple[Any, dict[str, str]]:
    if isinstance(body, dict):
        body = {
            key: _fresh(value, serial) if key in ID_KEYS and isinstance(value, str) else value
            for key, value in body.items()
        }
    headers = {
        key: _fresh(value, serial) if key.lower() in ID_HEADERS else value
        for key, value in headers.items()
    }
    return body, headers


class RecordedTransport(httpx.BaseTransport):
    """Answers from the folder of recorded answers; a call no recording covers gets a 404 that
    says so (the adapter reads it as the platform's refusal)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url.copy_with(query=None))
        full = str(request.url)
        for method, pattern, answer, creates in ROUTES:
            if request.method == method and (pattern.fullmatch(url) or pattern.fullmatch(full)):
                recorded = json.loads((self.folder / answer).read_text(encoding="utf-8"))
                body, headers = recorded.get("body"), dict(recorded.get("headers", {}))
                if creates:
                    serial = str(time.time_ns())[-FRESH_DIGITS:]
                    body, headers = _fresh_ids(body, headers, serial)
                headers.pop("Content-Type", None)
                if body is None:
                    return httpx.Response(recorded["status"], headers=headers)
                return httpx.Response(recorded["status"], headers=headers, json=body)
        error = {"message": f"No recorded answer for {request.method} {url}.", "code": 404}
        return httpx.Response(404, json={"error": error})


def recorded_transport() -> httpx.BaseTransport | None:
    """The transport the platforms' clients use: the recorded answers when they are on."""
    folder = recorded_answers_folder()
    return RecordedTransport(folder) if folder else None


@register(Tags.security, deploy=True)
def recorded_answers_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if recorded_answers_folder() is None:
        return []
    return [
        Error(
            "PLATFORMS_RECORDED_ANSWERS is set: every call to Facebook, Instagram, LinkedIn and "
            "YouTube would be answered from recordings, so nothing would be published, hidden "
            "or removed on the platforms while the system says it was.",
            hint="Leave PLATFORMS_RECORDED_ANSWERS empty outside local development.",
            id="moderation.E001",
        )
    ]
