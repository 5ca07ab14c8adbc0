"""Public podcast pages, the feeds, and the media files with byte ranges."""

import hashlib
import re
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from isal import igzip

from accounts.models import User
from podcasts import feeds, selectors, webvtt
from podcasts.media import stream
from podcasts.models import Show

FEED_MAX_AGE = 15 * 60
# The feed is compressed by the view, not by Django's GZipMiddleware, whose zlib at level 6 costs
# more than rendering a feed of many episodes: ISA-L's deflate at its level 1 takes a fraction of
# zlib's fastest level for a download no larger (figures in bench/NOTES.md). The middleware's
# random padding against BREACH is left out: the feed is public and repeats nothing of the
# request, so there is no secret for it to guard.
FEED_GZIP_LEVEL = 1
MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/x-m4a",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _cors(response: HttpResponse | StreamingHttpResponse) -> None:
    response["Access-Control-Allow-Origin"] = "*"


@require_safe
def show_index(request: HttpRequest) -> HttpResponse:
    return render(request, "podcasts/show_index.html", {"shows": selectors.show_list()})


@require_safe
def show_detail(request: HttpRequest, slug: str) -> HttpResponse:
    show = selectors.show_get_public(slug=slug)
    episodes = selectors.episode_feed_list(show=show)
    return render(request, "podcasts/show_detail.html", {"show": show, "episodes": episodes})


def _episode_context(slug: str, number: int) -> dict[str, Any]:
    episode = selectors.episode_get_public(slug=slug, number=number)
    return {
        "show": episode.show,
        "episode": episode,
        "passages": webvtt.passages(episode.transcript_cues()),
    }


@require_safe
def episode_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    return render(request, "podcasts/episode_detail.html", _episode_context(slug, number))


@require_safe
def transcript_html(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The HTML copy of the transcript that the feed names beside the WebVTT file."""
    response = render(request, "podcasts/transcript.html", _episode_context(slug, number))
    _cors(response)
    return response


def _gzip(request: HttpRequest, response: HttpResponse) -> None:
    """A feed's whole response compressed when the client takes gzip, with the headers
    GZipMiddleware gives it: Vary on Accept-Encoding, and the ETag made weak."""
    patch_vary_headers(response, ("Accept-Encoding",))
    if not re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):
        return
    response.content = igzip.compress(response.content, compresslevel=FEED_GZIP_LEVEL, mtime=0)
    response["ETag"] = "W/" + response["ETag"]
    response["Content-Encoding"] = "gzip"


@require_safe
def feed(request: HttpRequest, slug: str, video: bool = False) -> HttpResponse:
    """The show's feed with ETag and Last-Modified: an app that already has it gets 304.
    A rendered feed is cached under its version (last change and episode count), so the 304
    and a repeated download cost two small queries, not a render of every episode; with
    ``PODCASTS_FEED_CACHE_SECONDS`` 0 every request renders and the cache is not used."""
    show = get_object_or_404(Show.objects.select_related("sign_language_channel"), slug=slug)
    changed_at, count = selectors.feed_state(show=show)
    key = f"podcasts:feed:{show.pk}:{int(video)}:{changed_at.isoformat()}:{count}"
    last_modified = int(changed_at.timestamp())
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    seconds = settings.PODCASTS_FEED_CACHE_SECONDS
    etag = cache.get(key + ":etag") if seconds else None
    if etag:
        response["ETag"] = etag
        conditional = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        if conditional is not None and conditional is not response:  # 304 or 412
            return conditional
    body = cache.get(key) if seconds else None
    if body is None:
        entries = selectors.episode_feed_entries(show=show)
        if (
            video
            and show.sign_language_channel is None
            and not any(e.sign_language_video for e in entries)
        ):
            raise Http404
        body = feeds.feed_render(show, entries, video=video, changed_at=changed_at)
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        if seconds:
            cache.set_many({key: body, key + ":etag": etag}, seconds)
    response.content = body
    response["ETag"] = etag or f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    conditional = get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )
    if conditional is not None and conditional is not response:  # 304 or 412
        return conditional
    _gzip(request, response)
    return response


def _byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) for a satisfiable single range; None to ignore the header (malformed or
    several ranges: the whole file is sent); False when it lies past the end (416)."""
    match = RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        suffix = int(last)
        if suffix == 0:
            return False
        return max(size - suffix, 0), size - 1
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        return False
    return start, min(int(last) if last else size - 1, size - 1)


@require_safe
def media_file(request: HttpRequest, name: str) -> HttpResponse | StreamingHttpResponse:
    """A stored podcast file, as object storage would serve it: HEAD, byte ranges (206/416),
    a Content-Length equal to the enclosure length, CORS, and a long cache life (a changed file
    always gets a new name)."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if not name.startswith("podcasts/") or ".." in name or suffix not in MEDIA_TYPES:
        raise Http404
    # Published files are public and cached anywhere; a draft's only for staff who may see it,
    # and never kept by a shared cache.
    public = selectors.media_file_visible(name=name)
    user = request.user if isinstance(request.user, User) else None
    if not public and not selectors.media_file_visible(name=name, user=user):
        raise Http404
    if not default_storage.exists(name):
        raise Http404
    size = default_storage.size(name)
    wanted = _byte_range(request.headers.get("Range", ""), size)
    response: HttpResponse | StreamingHttpResponse
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        first, last = wanted if isinstance(wanted, tuple) else (0, size - 1)
        length = last - first + 1 if size else 0
        if request.method == "HEAD":
            response = HttpResponse(status=206 if wanted else 200)
        else:
            body = stream(default_storage.open(name, "rb"), first, length)
            response = StreamingHttpResponse(body, status=206 if wanted else 200)
        if wanted:
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(length)
        response["Content-Type"] = MEDIA_TYPES[suffix]
    response["Accept-Ranges"] = "bytes"
    if public:
        patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
        _cors(response)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
