"""What an uploaded file really is: artwork, audio and sign-language video are read, not
trusted by their names. Each check raises ``ValidationError`` with a Swedish-translated message
and returns what the feed needs to know about the file."""

from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext as _
from mutagen import MutagenError
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, Atoms
from PIL import Image, UnidentifiedImageError

ARTWORK_MIN_PX = 1400
ARTWORK_MAX_PX = 3000
ARTWORK_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}

AUDIO_MAX_BYTES = 200 * 1024 * 1024  # Spotify's limit per episode
AUDIO_MIN_KBPS = 96
AUDIO_MAX_KBPS = 320
AUDIO_TYPES = {"mp3": ("audio/mpeg", ".mp3"), "m4a": ("audio/x-m4a", ".m4a")}

VIDEO_MAX_BYTES = 2 * 1024 * 1024 * 1024
VIDEO_TYPE = "video/mp4"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def file_url(file: FieldFile, *, absolute: bool = True) -> str:
    """The public address of a stored file: our media view (ranges, HEAD, exact length), or in
    production the object storage's own address when ``PODCASTS_MEDIA_FROM_STORAGE`` is on.
    Feeds need absolute addresses; our own pages use the path."""
    if settings.PODCASTS_MEDIA_FROM_STORAGE:
        return file.url
    path = reverse("podcasts:media", kwargs={"name": file.name})
    return absolute_url(path) if absolute else path


@dataclass(frozen=True)
class AudioInfo:
    mime_type: str
    size: int
    duration: int  # whole seconds, rounded
    bitrate: int  # kbit/s


def _extension(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def _head(file: Any, size: int = 16) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _file_size(file: Any) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return int(size)


def artwork_check(file: Any) -> None:
    """JPEG or PNG, RGB, square, 1400–3000 px, and the name ends as the real type."""
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format, mode, (width, height) = image.format, image.mode, image.size
            image.verify()
    except Image.DecompressionBombError as error:
        raise ValidationError(
            _("The artwork claims a size far beyond %(max)s × %(max)s pixels and is not read.")
            % {"max": ARTWORK_MAX_PX}
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(_("The artwork is not a readable JPEG or PNG image.")) from error
    finally:
        file.seek(0)
    if image_format not in ARTWORK_FORMATS:
        raise ValidationError(
            _("The artwork must be JPEG or PNG; this file is %(format)s.")
            % {"format": image_format}
        )
    if _extension(file.name) not in ARTWORK_FORMATS[image_format]:
        raise ValidationError(
            _("The artwork is a %(format)s image but its name ends in “%(ext)s”.")
            % {"format": image_format, "ext": _extension(file.name) or "–"}
        )
    if mode != "RGB":
        raise ValidationError(
            _("The artwork must use the RGB colour space; this image is %(mode)s.") % {"mode": mode}
        )
    if width != height:
        raise ValidationError(
            _("The artwork must be square; this image is %(w)s × %(h)s pixels.")
            % {"w": width, "h": height}
        )
    if not ARTWORK_MIN_PX <= width <= ARTWORK_MAX_PX:
        raise ValidationError(
            _("The artwork must be between %(min)s and %(max)s pixels wide; this is %(w)s.")
            % {"min": ARTWORK_MIN_PX, "max": ARTWORK_MAX_PX, "w": width}
        )


def _audio_kind(head: bytes) -> str:
    if head[4:8] == b"ftyp":
        return "m4a"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    return ""


def audio_probe(file: Any) -> AudioInfo:
    """Read the audio with mutagen: MP3 or M4A only, the name matching the content, within the
    size and bitrate limits the podcast apps accept."""
    kind = _audio_kind(_head(file))
    if kind == "wav":
        raise ValidationError(_("WAV files are not accepted; upload the audio as MP3 or M4A."))
    ext = _extension(file.name)
    if not kind:
        if ext in {".mp3", ".m4a"}:
            raise ValidationError(_("The audio file is damaged and cannot be read."))
        raise ValidationError(_("The audio must be an MP3 or M4A file."))
    mime_type, expected_ext = AUDIO_TYPES[kind]
    if ext != expected_ext:
        raise ValidationError(
            _(
                "The file is %(kind)s audio but its name ends in “%(ext)s”; "
                "it must end in %(expected)s."
            )
            % {"kind": kind.upper(), "ext": ext or "–", "expected": expected_ext}
        )
    try:
        file.seek(0)
        parsed = MP3(file) if kind == "mp3" else MP4(file)
    except (MutagenError, ValueError, EOFError) as error:
        raise ValidationError(_("The audio file is damaged and cannot be read.")) from error
    finally:
        file.seek(0)
    info = parsed.info
    if info is None:
        raise ValidationError(_("The audio file is damaged and cannot be read."))
    if kind == "m4a" and not str(getattr(info, "codec", "")).startswith("mp4a"):
        raise ValidationError(_("The M4A file has no AAC audio track."))
    size = _file_size(file)
    duration = round(info.length)
    bitrate = round(info.bitrate / 1000)
    if duration < 1:
        raise ValidationError(_("The audio file is damaged and cannot be read."))
    if size > AUDIO_MAX_BYTES:
        raise ValidationError(
            _("The audio file may be at most %(max)s MB.") % {"max": AUDIO_MAX_BYTES // 2**20}
        )
    if not AUDIO_MIN_KBPS <= bitrate <= AUDIO_MAX_KBPS:
        raise ValidationError(
            _("The bitrate must be between %(min)s and %(max)s kbit/s; this file has %(rate)s.")
            % {"min": AUDIO_MIN_KBPS, "max": AUDIO_MAX_KBPS, "rate": bitrate}
        )
    return AudioInfo(mime_type=mime_type, size=size, duration=duration, bitrate=bitrate)


def video_check(file: Any) -> int:
    """An MP4 with a video track, named .mp4; returns its size in bytes."""
    message = _("The sign-language version must be an MP4 video file.")
    if _extension(file.name) != ".mp4" or _head(file)[4:8] != b"ftyp":
        raise ValidationError(message)
    try:
        file.seek(0)
        atoms = Atoms(file)
        tracks = atoms[b"moov"].findall(b"trak")
        handlers = set()
        for trak in tracks:
            ok, data = trak[b"mdia", b"hdlr"].read(file)
            if ok:
                handlers.add(data[8:12])
    except (MutagenError, KeyError, ValueError, EOFError) as error:
        raise ValidationError(message) from error
    finally:
        file.seek(0)
    if b"vide" not in handlers:
        raise ValidationError(_("The MP4 file has no video track."))
    size = _file_size(file)
    if size > VIDEO_MAX_BYTES:
        raise ValidationError(
            _("The video file may be at most %(max)s GB.") % {"max": VIDEO_MAX_BYTES // 2**30}
        )
    return size


def stream(file: IO[bytes], start: int, length: int, chunk: int = 64 * 1024) -> Any:
    """The bytes ``start`` … ``start + length - 1`` of an open file, in chunks, then close it."""
    try:
        file.seek(start)
        remaining = length
        while remaining > 0:
            data = file.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        file.close()
