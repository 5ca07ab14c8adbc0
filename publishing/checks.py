"""What is checked on a post before it is approved: accessibility under lag (2018:1937) (alt text
on every image, WebVTT captions on every video, link text that says where it leads, a
readability hint from LIX) and what the channel's platform takes (length, media types and sizes,
the right to publish). A blocking finding stops approval; a hint is shown and stops nothing."""

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

import textstat
import webvtt
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from webvtt.errors import MalformedFileError

from channels_app.choices import ChannelPlatform
from channels_app.models import Channel
from publishing.choices import MediaKind
from publishing.models import Post, PostMedia

MB = 1024 * 1024
CAPTIONS_MAX_BYTES = 2 * MB
# Link texts that say nothing about where the link leads (WCAG 2.4.4).
VAGUE_LINK_TEXTS = {"här", "klicka här", "läs mer", "läs mer här", "länk", "mer", "click here"}


@dataclass(frozen=True)
class PlatformRule:
    """What a platform takes in one post, as its publishing API documents it."""

    max_chars: int
    image_types: frozenset[str]  # file extensions
    image_max_bytes: int
    video_types: frozenset[str]
    video_max_bytes: int
    max_media: int
    # The MediaKinds of which a post must have one (empty for none).
    needs_media: frozenset[str] = frozenset()


PLATFORM_RULES: dict[str, PlatformRule] = {
    # Graph API /{page-id}/feed (text, link) and /{page-id}/photos (one image with its caption).
    ChannelPlatform.FACEBOOK: PlatformRule(
        63206, frozenset({"jpg", "jpeg", "png", "gif"}), 4 * MB, frozenset(), 0, 1
    ),
    # Content publishing: one JPEG image, or one video as a Reel (MOV or MP4, at most 300 MB),
    # per container; caption up to 2,200 characters.
    ChannelPlatform.INSTAGRAM: PlatformRule(
        2200,
        frozenset({"jpg", "jpeg"}),
        8 * MB,
        frozenset({"mp4", "mov"}),
        300 * MB,
        1,
        frozenset({MediaKind.IMAGE, MediaKind.VIDEO}),
    ),
    # Posts API: commentary up to 3,000 characters, with an article link or one image (the
    # Images API takes JPG, PNG and GIF; uploaded first, posted with its alt text).
    ChannelPlatform.LINKEDIN: PlatformRule(
        3000, frozenset({"jpg", "jpeg", "png", "gif"}), 5 * MB, frozenset(), 0, 1
    ),
    # videos.insert (resumable): one video; the text is its description (5,000 characters).
    ChannelPlatform.YOUTUBE: PlatformRule(
        5000,
        frozenset(),
        0,
        frozenset({"mp4", "mov"}),
        256 * 1024 * MB,
        1,
        frozenset({MediaKind.VIDEO}),
    ),
}


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    blocking: bool = True


def lix(text: str) -> int:
    """The LIX readability index of a Swedish text (words per sentence plus the share of words
    longer than six letters, in per cent); 0 for no text."""
    if not text.strip():
        return 0
    textstat.set_lang("sv")
    return round(textstat.lix(text))


def captions_problem(data: bytes) -> str:
    """Why a caption file is not usable WebVTT (empty string when it is)."""
    if len(data) > CAPTIONS_MAX_BYTES:
        return _("The caption file may be at most 2 MB.")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return _("The caption file must be WebVTT in UTF-8.")
    try:
        captions = webvtt.from_buffer(io.StringIO(text)).captions
    except MalformedFileError:
        return _("The caption file is not valid WebVTT.")
    if not any(caption.text.strip() for caption in captions):
        return _("The caption file has no captions.")
    return ""


def file_head(file: FieldFile, limit: int) -> bytes:
    """The first ``limit`` bytes of a stored or just uploaded file (an upload stays open for
    its save)."""
    file.open("rb")
    try:
        file.seek(0)
        return file.read(limit)
    finally:
        if getattr(file, "_committed", True):
            file.close()
        else:
            file.seek(0)


def _extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def media_findings(media: PostMedia, rule: PlatformRule | None, platform: str) -> list[Finding]:
    name = PurePath(media.file.name or "").name
    findings = []
    kind = MediaKind(media.kind)
    if kind == MediaKind.IMAGE and not media.alt_text.strip():
        findings.append(Finding("alt_text", _("The image %s has no alt text.") % name))
    if kind == MediaKind.VIDEO:
        if not media.captions:
            findings.append(Finding("captions", _("The video %s has no captions.") % name))
        else:
            problem = captions_problem(file_head(media.captions, CAPTIONS_MAX_BYTES + 1))
            if problem:
                findings.append(Finding("captions_invalid", f"{name}: {problem}"))
    if rule is not None:
        types = rule.image_types if kind == MediaKind.IMAGE else rule.video_types
        limit = rule.image_max_bytes if kind == MediaKind.IMAGE else rule.video_max_bytes
        if _extension(media.file.name or "") not in types:
            findings.append(
                Finding(
                    "media_type",
                    _("%(platform)s does not take %(name)s (%(kind)s of this type).")
                    % {"platform": platform, "name": name, "kind": kind.label.lower()},
                )
            )
        elif media.file.size > limit:
            findings.append(
                Finding(
                    "media_size",
                    _("%(name)s is larger than %(platform)s takes (%(mb)d MB).")
                    % {"name": name, "platform": platform, "mb": limit // MB},
                )
            )
    return findings


def publishing_right_problem(channel: Channel) -> str:
    """Why the channel cannot publish on its platform now (empty string when it can)."""
    if channel.platform not in PLATFORM_RULES:
        return _("Posts cannot be published on this kind of channel.")
    if not channel.platform_account_id:
        return _("The channel has no platform account id.")
    connection = getattr(channel, "connection", None)
    if connection is None or not connection.has_token:
        return _("The channel has no access token: an administrator connects it.")
    if connection.token_expires_at and connection.token_expires_at <= timezone.now():
        return _("The channel's access token has expired: an administrator renews it.")
    return ""


def text_findings(post: Post) -> list[Finding]:
    findings = []
    platform = post.channel.get_platform_display()
    rule = PLATFORM_RULES.get(post.channel.platform)
    if rule is not None and len(post.text) > rule.max_chars:
        findings.append(
            Finding(
                "too_long",
                _("%(platform)s takes at most %(max)d characters; the text has %(count)d.")
                % {"platform": platform, "max": rule.max_chars, "count": len(post.text)},
            )
        )
    if post.link_url and not post.link_text.strip():
        findings.append(Finding("link_text", _("The link needs a text that says where it leads.")))
    elif post.link_text.strip(" .!:").lower() in VAGUE_LINK_TEXTS:
        findings.append(
            Finding(
                "link_text",
                _("The link text “%s” does not say where the link leads.") % post.link_text,
            )
        )
    for match in re.finditer(r"\b(?:klicka\s+)?här\b\s*:?\s*https?://", post.text, re.I):
        findings.append(
            Finding(
                "link_text",
                _("“%s” does not say where the link leads.") % match.group(0).split("http")[0],
            )
        )
    value = lix(post.text)
    if value > post.lix_limit:
        findings.append(
            Finding(
                "readability",
                _(
                    "The text's LIX is %(lix)d, above the limit %(limit)d: shorter sentences and "
                    "words make it easier to read."
                )
                % {"lix": value, "limit": post.lix_limit},
                blocking=False,
            )
        )
    return findings


def post_findings(post: Post, media: Iterable[PostMedia] | None = None) -> list[Finding]:
    """Everything checked before approval, blocking findings first."""
    media = list(post.media.all() if media is None else media)
    platform = post.channel.get_platform_display()
    rule = PLATFORM_RULES.get(post.channel.platform)
    findings = text_findings(post)
    for item in media:
        findings += media_findings(item, rule, platform)
    if rule is not None:
        if len(media) > rule.max_media:
            findings.append(
                Finding(
                    "media_count",
                    _("%(platform)s takes at most %(max)d media files in a post.")
                    % {"platform": platform, "max": rule.max_media},
                )
            )
        if rule.needs_media and not any(m.kind in rule.needs_media for m in media):
            *kinds, last = [MediaKind(kind).label.lower() for kind in sorted(rule.needs_media)]
            if kinds:
                last = _("%(kinds)s or %(last)s") % {"kinds": ", ".join(kinds), "last": last}
            findings.append(
                Finding(
                    "media_missing",
                    _("A post on %(platform)s needs %(kind)s.")
                    % {"platform": platform, "kind": last},
                )
            )
    right = publishing_right_problem(post.channel)
    if right:
        findings.append(Finding("publishing_right", right, blocking=False))
    return sorted(findings, key=lambda f: not f.blocking)
