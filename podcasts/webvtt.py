"""WebVTT transcripts: validated on upload (a real WebVTT file in which every cue names its
speaker with ``<v Name>``) and turned into the passages shown as HTML on the episode page."""

import html
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
TIMING = re.compile(rf"^{TIMESTAMP}[ \t]+-->[ \t]+{TIMESTAMP}(?:[ \t].*)?$")
VOICE = re.compile(r"<v(?:\.[^\s>]+)?[ \t]+([^>]+)>")
TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    speaker: str
    text: str


@dataclass
class Passage:
    """Consecutive cues of one speaker, shown as one paragraph."""

    speaker: str
    start: float
    text: str

    @property
    def timestamp(self) -> str:
        minutes, seconds = divmod(int(self.start), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def _seconds(groups: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = groups
    whole = int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    return whole + int(millis or 0) / 1000


def parse(data: bytes) -> list[Cue]:
    """The cues of a WebVTT file; ``ValidationError`` (in Swedish) for anything else."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The transcript may be at most 2 MB."))
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The transcript must be a WebVTT file in UTF-8.")) from error
    blocks = re.split(r"\n{2,}", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    if not HEADER.match(blocks[0].split("\n", 1)[0]):
        raise ValidationError(
            _("The transcript is not a WebVTT file: the first line must be “WEBVTT”.")
        )
    cues: list[Cue] = []
    for block in blocks[1:]:
        lines = block.split("\n")
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        if "-->" not in lines[0]:
            lines = lines[1:]  # a cue identifier
        timing = TIMING.match(lines[0]) if lines else None
        if timing is None:
            raise ValidationError(
                _("Cue %(n)s has no valid timing line (00:00:00.000 --> 00:00:05.000).")
                % {"n": len(cues) + 1}
            )
        start, end = _seconds(timing.groups()[:4]), _seconds(timing.groups()[4:])
        if end <= start:
            raise ValidationError(_("Cue %(n)s ends before it starts.") % {"n": len(cues) + 1})
        body = "\n".join(lines[1:])
        voice = VOICE.search(body)
        if voice is None:
            raise ValidationError(
                _("Cue %(n)s does not name its speaker; write it as <v Name>text.")
                % {"n": len(cues) + 1}
            )
        spoken = html.unescape(TAG.sub("", body)).strip()
        cues.append(Cue(start, end, voice.group(1).strip(), " ".join(spoken.split())))
    if not cues:
        raise ValidationError(_("The transcript has no cues."))
    return cues


def passages(cues: list[Cue]) -> list[Passage]:
    result: list[Passage] = []
    for cue in cues:
        if result and result[-1].speaker == cue.speaker:
            result[-1].text = f"{result[-1].text} {cue.text}".strip()
        else:
            result.append(Passage(cue.speaker, cue.start, cue.text))
    return result
