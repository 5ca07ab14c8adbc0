"""Fetching a document's media files after capture: an injectable fetcher (``HttpxMediaFetcher``
talks HTTP with a size cap, a deadline and a redirect limit; tests give one of their own), the
check that the bytes are what they claim (magic bytes, never the sender's Content-Type), and the
services that store a file with its SHA-256 or record on the entry why it could not be, retrying
with back-off what may succeed later. A fetch never runs inside a delivery's transaction: the
register creates the rows and a task fetches after commit (records.tasks)."""

import hashlib
import logging
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Protocol
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from records.choices import MediaKind, MediaStatus
from records.models import Record, RecordMedia

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
MAX_REDIRECTS = 5
MAX_MEDIA_PER_DOCUMENT = 20
# The waits between attempts; after the last the fetch is given up.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
# What each kind may be, by the bytes it starts with (never by what the sender says it is).
ALLOWED_TYPES = {
    MediaKind.IMAGE: {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"},
    MediaKind.VIDEO: {"video/mp4", "video/quicktime", "video/webm"},
    MediaKind.ATTACHMENT: {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "video/mp4",
    },
}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "application/pdf": "pdf",
}


def sniffed_type(head: bytes) -> str | None:
    """The media type the first bytes of a file prove, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1"):
            return "image/heic"
        return "video/quicktime" if brand == b"qt  " else "video/mp4"
    return None


class MediaFetchError(Exception):
    """No file: ``reason`` says why, ``retry`` whether a later attempt may succeed."""

    def __init__(self, reason: str, *, retry: bool):
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int
    deadline_seconds: float


class MediaFetcher(Protocol):
    def fetch(self, url: str, *, limits: FetchLimits) -> Iterator[bytes]:
        """The body's chunks; raises ``MediaFetchError`` when there is none to take (an HTTP
        error, no answer, too many redirects, a declared size over the limit)."""
        ...


class HttpxMediaFetcher:
    """Fetches over HTTP(S): at most ``MAX_REDIRECTS`` redirects, a connect and read timeout
    and a deadline for the whole body, and a declared ``Content-Length`` over the limit refused
    before a byte is read."""

    def __init__(self, *, transport: httpx.BaseTransport | None = None):
        self._transport = transport

    def fetch(self, url: str, *, limits: FetchLimits) -> Iterator[bytes]:
        timeout = httpx.Timeout(limits.deadline_seconds, connect=min(5.0, limits.deadline_seconds))
        started = time.monotonic()
        with httpx.Client(
            transport=self._transport,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            event_hooks={"request": [_host_check]},
            headers={"User-Agent": "sociala-medier-orebro/1.0"},
            timeout=timeout,
        ) as client:
            try:
                with client.stream("GET", url) as response:
                    _status_check(response)
                    declared = response.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > limits.max_bytes:
                        raise MediaFetchError(
                            _("The file is %(size)s bytes; at most %(max)s are taken.")
                            % {"size": declared, "max": limits.max_bytes},
                            retry=False,
                        )
                    for chunk in response.iter_bytes(CHUNK):
                        if time.monotonic() - started > limits.deadline_seconds:
                            raise MediaFetchError(
                                _("The file did not arrive within %s seconds.")
                                % limits.deadline_seconds,
                                retry=True,
                            )
                        yield chunk
            except httpx.TooManyRedirects as exc:
                raise MediaFetchError(
                    _("More than %d redirects (a redirect loop?).") % MAX_REDIRECTS, retry=False
                ) from exc
            except httpx.TimeoutException as exc:
                raise MediaFetchError(
                    _("No answer within %s seconds.") % limits.deadline_seconds, retry=True
                ) from exc
            except httpx.HTTPError as exc:
                raise MediaFetchError(
                    _("The address could not be reached: %s.") % type(exc).__name__, retry=True
                ) from exc


def media_host_allowed(url: str) -> bool:
    """Whether ``url`` is on a host media are fetched from: one of ``RECORDS_MEDIA_HOSTS`` or
    a subdomain of one (the platforms' CDNs), or any host where that list is empty (development
    and tests). Nothing else is asked for: an address in a payload never reaches our own
    network. Checked at the fetch, not at capture: the comment is kept, its file noted as not
    fetched with the reason."""
    hosts = settings.RECORDS_MEDIA_HOSTS
    host = (urlsplit(url).hostname or "").lower()
    return not hosts or any(host == allowed or host.endswith("." + allowed) for allowed in hosts)


def _host_check(request: httpx.Request) -> None:
    """Before every request, each redirect's included."""
    if not media_host_allowed(str(request.url)):
        raise MediaFetchError(_("Media are not fetched from %s.") % request.url.host, retry=False)


def _status_check(response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    retry = status in (408, 425, 429) or status >= 500
    raise MediaFetchError(_("The platform answered HTTP %d.") % status, retry=retry)


def media_fetcher_default() -> MediaFetcher:
    """The fetcher the tasks use."""
    return HttpxMediaFetcher()


def media_descriptors_validate(media: Sequence[object]) -> str | None:
    """Why a document's list of media cannot be taken (None: it can): each an object with a
    known ``kind`` and its ``url`` as text. Whether the address can be fetched is not asked
    here: a platform's comment is kept whatever its media links, and a link that is no web
    address is noted on the entry as not fetched (``media_rows_create``)."""
    if len(media) > MAX_MEDIA_PER_DOCUMENT:
        return _("At most %d media files a document.") % MAX_MEDIA_PER_DOCUMENT
    for entry in media:
        if not isinstance(entry, dict) or entry.get("kind") not in MediaKind.values:
            return _("Each media file needs a kind: %s.") % ", ".join(MediaKind.values)
        url = entry.get("url")
        if not isinstance(url, str) or len(url) > 2000:
            return _("Each media file needs its address (at most 2,000 characters).")
    return None


def media_address_problem(url: str) -> str | None:
    """Why ``url`` is no address a file is fetched from (None: it is one): none given, or not
    http(s) (https only where ``RECORDS_MEDIA_HTTPS_ONLY``)."""
    if not url:
        return _("The platform gave no address for the file.")
    schemes = ("https",) if settings.RECORDS_MEDIA_HTTPS_ONLY else ("https", "http")
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.netloc:
        return _("A media address must be %s.") % " or ".join(schemes)
    return None


def _media_row(record: Record, position: int, entry: dict, now: datetime) -> RecordMedia:
    """A waiting row, or a failed one with the reason when the address cannot be fetched."""
    problem = media_address_problem(entry["url"])
    return RecordMedia(
        record=record,
        position=position,
        kind=entry["kind"],
        source_url=entry["url"],
        status=MediaStatus.FAILED if problem else MediaStatus.PENDING,
        error=problem or "",
        next_attempt_at=None if problem else now,
    )


def media_rows_create(records: Sequence[Record]) -> list[RecordMedia]:
    """A row for each media file the new entries' snapshots list by its address on the
    platform (our own published media are in the snapshot by name and hash already): waiting
    to be fetched, or failed with the reason when the address is none a file is fetched from.
    Returns the waiting ones."""
    now = timezone.now()
    rows = [
        _media_row(record, position, entry, now)
        for record in records
        for position, entry in enumerate(record.media)
        if isinstance(entry.get("url"), str) and entry.get("kind") in MediaKind.values
    ]
    created = RecordMedia.objects.bulk_create(rows)
    return [row for row in created if row.status == MediaStatus.PENDING]


def _limits(kind: str) -> FetchLimits:
    return FetchLimits(
        max_bytes=settings.RECORDS_MEDIA_MAX_BYTES[kind],
        deadline_seconds=settings.RECORDS_MEDIA_FETCH_SECONDS,
    )


def _download(fetcher: MediaFetcher, media: RecordMedia, spool: IO[bytes]) -> tuple[str, int, str]:
    """Write the body to ``spool``; returns its proven type, size and SHA-256."""
    limits = _limits(media.kind)
    digest, size, head = hashlib.sha256(), 0, b""
    for chunk in fetcher.fetch(media.source_url, limits=limits):
        size += len(chunk)
        if size > limits.max_bytes:
            raise MediaFetchError(
                _("The file is larger than %d bytes.") % limits.max_bytes, retry=False
            )
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        digest.update(chunk)
        spool.write(chunk)
    found = sniffed_type(head)
    if found is None or found not in ALLOWED_TYPES[MediaKind(media.kind)]:
        raise MediaFetchError(
            _("The content is not an allowed %(kind)s (it begins %(head)r).")
            % {"kind": media.get_kind_display().lower(), "head": head[:8]},
            retry=False,
        )
    return found, size, digest.hexdigest()


def record_media_fetch(*, media: RecordMedia, fetcher: MediaFetcher, actor: User) -> RecordMedia:
    """Fetch one waiting media file: stored with its type, size and SHA-256, or the reason it
    is not written on it, with the next attempt when a later one may succeed (``BACKOFF``)."""
    permission_require(actor, "records.add_record")
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        try:
            found, size, sha256 = _download(fetcher, media, spool)
        except MediaFetchError as exc:
            return _failure_note(media, exc)
        with transaction.atomic():
            locked = RecordMedia.objects.select_for_update().get(pk=media.pk)
            if locked.status != MediaStatus.PENDING:  # fetched meanwhile, or disposed of
                return locked
            spool.seek(0)
            name = f"records/media/{locked.record_id}/{locked.position}-{sha256[:16]}"
            locked.file.save(f"{name}.{EXTENSIONS[found]}", File(spool), save=False)
            name_saved = str(locked.file.name)
            locked.status, locked.content_type, locked.size = MediaStatus.STORED, found, size
            locked.sha256, locked.error, locked.next_attempt_at = sha256, "", None
            locked.attempts += 1
            locked.fetched_at = timezone.now()
            try:
                locked.save()
            except Exception:
                default_storage.delete(name_saved)
                raise
    return locked


def _failure_note(media: RecordMedia, exc: MediaFetchError) -> RecordMedia:
    attempts = media.attempts + 1
    retry = exc.retry and attempts <= len(BACKOFF)
    logger.info("Media %s of entry %s not fetched: %s", media.pk, media.record_id, exc.reason)
    changes = {
        "attempts": attempts,
        "error": exc.reason if retry or not exc.retry else _("Given up: %s") % exc.reason,
        "status": MediaStatus.PENDING if retry else MediaStatus.FAILED,
        "next_attempt_at": timezone.now() + BACKOFF[attempts - 1] if retry else None,
    }
    RecordMedia.objects.filter(pk=media.pk, status=MediaStatus.PENDING).update(**changes)
    media.refresh_from_db()
    return media


def record_media_due(*, limit: int = 200) -> list[int]:
    """The waiting media files whose next attempt has come, oldest first."""
    return list(
        RecordMedia.objects.filter(status=MediaStatus.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
