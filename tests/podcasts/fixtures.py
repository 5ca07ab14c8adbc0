"""Media files made in Python for the tests: MPEG-1 Layer III frames of silence, a minimal
M4A with an AAC track description, an MP4 with a video track, WAV, artwork and WebVTT."""

import io
import math
import struct
import wave

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

MP3_BITRATE_INDEX = {32: 1, 64: 5, 96: 7, 128: 9, 160: 10, 192: 11, 256: 13, 320: 14}


def mp3_bytes(seconds: float = 5, kbps: int = 128) -> bytes:
    """Silent MPEG-1 Layer III, 44.1 kHz mono: a frame header and zeroed side info and data."""
    header = bytes([0xFF, 0xFB, (MP3_BITRATE_INDEX[kbps] << 4) | 0x00, 0xC4])
    frame_length = 144 * kbps * 1000 // 44100
    frame = header + bytes(frame_length - len(header))
    frames = math.ceil(seconds * 44100 / 1152)
    return frame * frames


def _atom(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full_atom(kind: bytes, payload: bytes, version: int = 0) -> bytes:
    return _atom(kind, bytes([version, 0, 0, 0]) + payload)


def _descriptor(tag: int, payload: bytes) -> bytes:
    return bytes([tag, len(payload)]) + payload


def _mp4(brand: bytes, handler: bytes, sample_entry: bytes, seconds: int, data: bytes) -> bytes:
    timescale = 1000
    ftyp = _atom(b"ftyp", brand + struct.pack(">I", 0) + brand + b"isom")
    duration = seconds * timescale
    mvhd = _full_atom(b"mvhd", struct.pack(">IIII", 0, 0, timescale, duration) + bytes(80))
    mdhd = _full_atom(b"mdhd", struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0))
    hdlr = _full_atom(b"hdlr", struct.pack(">I", 0) + handler + bytes(12) + b"track\x00")
    stsd = _full_atom(b"stsd", struct.pack(">I", 1) + sample_entry)
    stbl = _atom(b"stbl", stsd)
    minf = _atom(b"minf", stbl)
    mdia = _atom(b"mdia", mdhd + hdlr + minf)
    trak = _atom(b"trak", mdia)
    moov = _atom(b"moov", mvhd + trak)
    return ftyp + moov + _atom(b"mdat", data)


def m4a_bytes(seconds: int = 5, kbps: int = 128) -> bytes:
    """An M4A whose AAC track mutagen reads: length from mdhd, bitrate from the esds."""
    decoder_config = _descriptor(
        0x04,
        bytes([0x40, 0x15])
        + bytes(3)
        + struct.pack(">II", kbps * 1000, kbps * 1000)
        + _descriptor(0x05, bytes([0x12, 0x10])),
    )
    es = _descriptor(0x03, struct.pack(">HB", 1, 0) + decoder_config + _descriptor(0x06, b"\x02"))
    esds = _full_atom(b"esds", es)
    mp4a = _atom(
        b"mp4a",
        bytes(6)
        + struct.pack(">H", 1)
        + bytes(8)
        + struct.pack(">HHHHI", 2, 16, 0, 0, 44100 << 16)
        + esds,
    )
    return _mp4(b"M4A ", b"soun", mp4a, seconds, bytes(seconds * kbps * 125))


def mp4_video_bytes(seconds: int = 5) -> bytes:
    avc1 = _atom(
        b"avc1",
        bytes(6) + struct.pack(">H", 1) + bytes(16) + struct.pack(">HH", 1920, 1080) + bytes(50),
    )
    return _mp4(b"isom", b"vide", avc1, seconds, bytes(4096))


def wav_bytes(seconds: float = 1) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(int(8000 * seconds) * 2))
    return buffer.getvalue()


def image_bytes(
    size: int = 1400, *, mode: str = "RGB", fmt: str = "PNG", height: int | None = None
) -> bytes:
    buffer = io.BytesIO()
    color = (0, 90, 156, 0) if mode == "CMYK" else (0, 90, 156)
    Image.new(mode, (size, height or size), color).save(buffer, format=fmt)
    return buffer.getvalue()


VTT = """WEBVTT

00:00:00.000 --> 00:00:04.000
<v Anna Lind>Välkommen till Vardagshjältarna!

00:00:04.000 --> 00:00:08.500
<v Anna Lind>I dag träffar vi en lokalvårdare.

00:00:08.500 --> 00:00:12.000
<v Sara Ek>Tack, roligt att vara här & prata <i>jobb</i>.
"""


def upload(
    name: str, data: bytes | str, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return SimpleUploadedFile(name, data, content_type=content_type)


def audio(name: str = "avsnitt.mp3", **kwargs: object) -> SimpleUploadedFile:
    return upload(name, mp3_bytes(**kwargs), "audio/mpeg")  # type: ignore[arg-type]


def transcript(name: str = "avsnitt.vtt", text: str = VTT) -> SimpleUploadedFile:
    return upload(name, text, "text/vtt")


def video(name: str = "teckensprak.mp4") -> SimpleUploadedFile:
    return upload(name, mp4_video_bytes(), "video/mp4")


def artwork(name: str = "omslag.png", **kwargs: object) -> SimpleUploadedFile:
    return upload(name, image_bytes(**kwargs), "image/png")  # type: ignore[arg-type]
