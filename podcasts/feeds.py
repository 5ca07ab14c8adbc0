"""The RSS feeds the podcast apps read: one audio feed per show with the iTunes tags Apple
requires and the Podcasting 2.0 tags, and one video feed of the sign-language versions."""

import dataclasses
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from operator import attrgetter
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from lxml import etree

from podcasts.categories import category_split
from podcasts.choices import ShowStatus
from podcasts.media import absolute_url, file_url
from podcasts.models import Episode, Show
from podcasts.selectors import FEED_FILES, FeedEntry, utc_second

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
NSMAP = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM, "content": CONTENT}
SIGN_LANGUAGE = "swl"  # ISO 639-3: Swedish Sign Language


def _q(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    namespace, _sep, local = tag.rpartition(":")
    element = etree.SubElement(parent, _q(NSMAP[namespace], local) if namespace else local)
    for key, value in attrs.items():
        element.set(key.rstrip("_"), value)  # type_ -> type, text_ -> text
    if text is not None:
        element.text = text
    return element


def _cdata(parent: etree._Element, tag: str, text: str) -> None:
    element = _sub(parent, tag)
    element.text = etree.CDATA(_escaped_html(text))


def _yes_no(value: bool) -> str:
    return "true" if value else "false"


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _rfc2822(utc: str) -> str:
    """A time in UTC as a feed's entries hold it ('2026-03-05 09:30:00', ``utc_second``) as
    ``email.utils.format_datetime`` writes it ('Thu, 05 Mar 2026 09:30:00 +0000'), in English
    whatever the locale. The digits are the text's own; only the day is read, for its weekday
    (no time parsed and formatted again for every episode)."""
    day = date.fromisoformat(utc[:10])
    month = _MONTHS[day.month - 1]
    return f"{_DAYS[day.weekday()]}, {utc[8:10]} {month} {utc[:4]} {utc[11:19]} +0000"


# Characters an XML 1.0 document cannot hold at all are dropped rather than failing the feed;
# markup is escaped. One table each for text and for attribute values.
_NOT_XML = [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
_NOT_XML_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_ITEMS = "items"


@dataclass(frozen=True, slots=True)
class _Escaping:
    """Escaping for text or for attribute values. Most values need none: one search finds
    those that do before the (slower) translation."""

    search: Callable[[str], re.Match[str] | None]
    table: dict[int, str | None]

    def __call__(self, value: str) -> str:
        return value.translate(self.table) if self.search(value) else value


_TEXT = _Escaping(
    re.compile(f"[&<>{_NOT_XML_CLASS}]").search,
    str.maketrans({**dict.fromkeys(_NOT_XML), "&": "&amp;", "<": "&lt;", ">": "&gt;"}),
)
_ATTRIBUTE = _Escaping(
    re.compile(f'[&<>"\t\n\r{_NOT_XML_CLASS}]').search,
    str.maketrans(
        {**dict.fromkeys(_NOT_XML), "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
        | {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
    ),
)


def _escaped_html(value: str) -> str:
    """Plain text where podcast apps read HTML: escaped, so markup an editor typed (or pasted)
    shows as text and never runs in an app; with ``>`` escaped, no ``]]>`` can end the CDATA."""
    return _TEXT(value)


def _el(tag: str, text: str | None = None, *, inner: str = "", **attrs: str) -> str:
    """One element as text (a namespace prefix from ``NSMAP`` where it has one): escaped text,
    or ``inner`` elements already written."""
    attributes = "".join(f' {name}="{_ATTRIBUTE(value)}"' for name, value in attrs.items())
    if text is not None:
        inner = _TEXT(text)
    return f"<{tag}{attributes}>{inner}</{tag}>" if inner else f"<{tag}{attributes}/>"


# The columns of a feed's entries its items write as text, with the escaping of each.
_ESCAPED_COLUMNS = (
    ("title", _TEXT),
    ("description", _TEXT),
    ("episode_type", _TEXT),
    ("audio_type", _ATTRIBUTE),
)


def _escaped(entries: Sequence[FeedEntry]) -> Sequence[FeedEntry]:
    """The entries with the text their items write escaped. Each column is searched as a whole
    first: in most feeds no value of a column needs escaping, and one search of the column costs
    far less than one of each value."""
    replaced: dict[str, list[Any]] = {}
    for name, escaping in _ESCAPED_COLUMNS:
        column = list(map(attrgetter(name), entries))
        if escaping.search("".join(column)):
            replaced[name] = list(map(escaping, column))
    guests = [entry.guests for entry in entries]
    if _TEXT.search("".join(chain.from_iterable(guests))):
        replaced["guests"] = [tuple(map(_TEXT, names)) for names in guests]
    if not replaced:
        return entries
    return [
        entry._replace(**{name: column[row] for name, column in replaced.items()})
        for row, entry in enumerate(entries)
    ]


# What Django's reverse() leaves unquoted in a path argument; a name of only these characters
# (and those ``quote`` never touches) is its own path, as most stored names are. Without "&" it
# is also its own attribute value.
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"
_UNQUOTED_CHARACTERS = string.ascii_letters + string.digits + "_.-~" + _PATH_SAFE
_UNQUOTED = re.compile(f"[{re.escape(_UNQUOTED_CHARACTERS)}]*").fullmatch
_PLAIN = re.compile(f"[{re.escape(_UNQUOTED_CHARACTERS.replace('&', ''))}]*").fullmatch


@dataclass(frozen=True)
class _Addresses:
    """The addresses of one show's feed, as the items write them (escaped). Each URL pattern is
    reversed once per feed, not once per episode: reversing is most of a large render otherwise;
    an episode's addresses are its number between a head and a tail."""

    episode: tuple[str, str]  # the episode's page, escaped as text
    transcript: tuple[str, str]  # the transcript's page, escaped as an attribute value
    media: str | None  # None: files are served from the object storage's own address
    media_attribute: str  # the same escaped as an attribute value
    image: str  # the show's <itunes:image> every item repeats, or ""
    plain: bool = False  # every file name of the feed is its own path and attribute value

    @classmethod
    def of(cls, show: Show, entries: Sequence[FeedEntry]) -> "_Addresses":
        def split(name: str, escaping: _Escaping) -> tuple[str, str]:
            # Reversed with episode number 0, then cut where the number stands.
            before, _zero, after = reverse(
                name, kwargs={"slug": show.slug, "number": 0}
            ).rpartition("/0/")
            return escaping(absolute_url(before + "/")), escaping("/" + after)

        media = None
        if not settings.PODCASTS_MEDIA_FROM_STORAGE:
            media = absolute_url(reverse("podcasts:media", kwargs={"name": "x"}))[:-1]
        addresses = cls(
            split("podcasts:episode", _TEXT),
            split("podcasts:transcript", _ATTRIBUTE),
            media,
            _ATTRIBUTE(media or ""),
            "",
        )
        if show.artwork:
            image = _el("itunes:image", href=addresses.file(show.artwork.name or ""))
            addresses = dataclasses.replace(addresses, image=image)
        # One match of all the feed's file names together instead of one a name: a string of
        # plain names is plain.
        names = "".join(chain.from_iterable(map(attrgetter(*FEED_FILES), entries)))
        if media is not None and _PLAIN(names):
            addresses = dataclasses.replace(addresses, plain=True)
        return addresses

    def file(self, name: str) -> str:
        if self.media is None:
            return default_storage.url(name)
        if _UNQUOTED(name):
            return self.media + name
        return self.media + quote(name, safe=_PATH_SAFE)

    def file_attribute(self, name: str) -> str:
        if self.plain or (self.media is not None and _PLAIN(name)):
            return self.media_attribute + name
        return _ATTRIBUTE(self.file(name))


def video_title(show: Show) -> str:
    if show.sign_language_channel is not None:
        return show.sign_language_channel.name
    return _("%(title)s (sign-language interpreted)") % {"title": show.title}


def _channel(
    show: Show, entries: Sequence[FeedEntry], *, video: bool, changed_at: datetime
) -> etree._Element:
    rss = etree.Element("rss", nsmap=NSMAP, version="2.0")
    channel = _sub(rss, "channel")
    self_url = show.video_feed_url if video else show.feed_url
    _sub(channel, "title", video_title(show) if video else show.title)
    _sub(channel, "link", absolute_url(show.get_absolute_url()))
    _cdata(channel, "description", show.description)
    _sub(channel, "language", show.language)
    if show.copyright:
        _sub(channel, "copyright", show.copyright)
    _sub(channel, "lastBuildDate", _rfc2822(utc_second(changed_at)))
    _sub(channel, "generator", "Sociala medier – Örebro kommun")
    _sub(channel, "atom:link", href=self_url, rel="self", type_="application/rss+xml")
    _sub(channel, "itunes:author", show.author)
    owner = _sub(channel, "itunes:owner")
    _sub(owner, "itunes:name", show.owner_name)
    _sub(owner, "itunes:email", show.owner_email)
    if show.artwork:
        _sub(channel, "itunes:image", href=file_url(show.artwork))
        image = _sub(channel, "image")
        _sub(image, "url", file_url(show.artwork))
        _sub(image, "title", show.title)
        _sub(image, "link", absolute_url(show.get_absolute_url()))
    category, subcategory = category_split(show.apple_category)
    category_element = _sub(channel, "itunes:category", text=None, text_=category)
    if subcategory:
        _sub(category_element, "itunes:category", text_=subcategory)
    _sub(channel, "itunes:explicit", _yes_no(show.explicit))
    _sub(channel, "itunes:type", show.show_type)
    if show.status == ShowStatus.HIDDEN:
        _sub(channel, "itunes:block", "Yes")
    if show.status == ShowStatus.ENDED:
        # Only an ended show says so; a paused one may come back and keeps its episodes.
        _sub(channel, "itunes:complete", "Yes")
    _sub(channel, "podcast:guid", str(show.video_podcast_guid if video else show.podcast_guid))
    _sub(channel, "podcast:locked", "yes", owner=show.owner_email)
    _sub(channel, "podcast:medium", "video" if video else "podcast")
    if show.artwork and show.artwork_alt:
        _sub(channel, "podcast:image", href=file_url(show.artwork), alt=show.artwork_alt)
    if show.update_frequency_text:
        _sub(channel, "podcast:updateFrequency", show.update_frequency_text)
    if video or any(e.sign_language_video for e in entries):
        # Audio and sign-language feeds point at each other.
        podroll = _sub(channel, "podcast:podroll")
        _sub(
            podroll,
            "podcast:remoteItem",
            feedGuid=str(show.podcast_guid if video else show.video_podcast_guid),
            feedUrl=show.feed_url if video else show.video_feed_url,
            medium="podcast" if video else "video",
        )
        _sub(
            channel,
            "atom:link",
            href=show.feed_url if video else show.video_feed_url,
            rel="alternate",
            type_="application/rss+xml",
            title=show.title if video else video_title(show),
        )
    return rss


def _item(entry: FeedEntry, links: _Addresses, *, video: bool) -> str:
    """One ``<item>`` as text, not an element tree, which took most of a large feed's render;
    the tags every episode has are written directly (figures in bench/NOTES.md). ``entry`` is
    escaped (``_escaped``)."""
    number, season = entry.number, entry.season
    page, page_tail = links.episode
    text = (
        f"<title>{entry.title}</title>\n      <link>{page}{number}{page_tail}</link>\n      "
        f"<description><![CDATA[{entry.description}]]></description>\n      "
        f'<guid isPermaLink="false">{entry.video_guid if video else entry.guid}</guid>\n      '
    )
    if entry.published_at:
        text += f"<pubDate>{_rfc2822(entry.published_at)}</pubDate>\n      "
    if video and entry.sign_language_video:
        text += (
            f'<enclosure url="{links.file_attribute(entry.sign_language_video)}" '
            f'length="{entry.sign_language_video_size}" type="video/mp4"/>\n      '
        )
    elif entry.audio:
        text += (
            f'<enclosure url="{links.file_attribute(entry.audio)}" '
            f'length="{entry.audio_size}" type="{entry.audio_type}"/>\n      '
        )
    text += (
        f"<itunes:duration>{entry.audio_duration}</itunes:duration>\n      "
        f"<itunes:episode>{number}</itunes:episode>\n      "
    )
    if season:
        text += f"<itunes:season>{season}</itunes:season>\n      "
    text += (
        f"<itunes:episodeType>{entry.episode_type}</itunes:episodeType>\n      "
        f"<itunes:explicit>{_yes_no(entry.explicit)}</itunes:explicit>\n      "
    )
    if links.image:
        text += f"{links.image}\n      "
    if season:
        text += f"<podcast:season>{season}</podcast:season>\n      "
    text += f"<podcast:episode>{number}</podcast:episode>"
    if entry.transcript:
        transcript, transcript_tail = links.transcript
        text += (
            f'\n      <podcast:transcript url="{links.file_attribute(entry.transcript)}" '
            'type="text/vtt" language="sv" rel="captions"/>\n      '
            f'<podcast:transcript url="{transcript}{number}{transcript_tail}" type="text/html" '
            'language="sv"/>'
        )
    for name in entry.guests:
        text += "\n      " + _el("podcast:person", inner=name, role="guest", group="cast")
    if not video and entry.sign_language_video:
        source = _el("podcast:source", uri=links.file(entry.sign_language_video))
        alternate = _el(
            "podcast:alternateEnclosure",
            inner=source,
            type="video/mp4",
            length=str(entry.sign_language_video_size),
            lang=SIGN_LANGUAGE,
            rel=_("Sign-language interpreted"),
            title=_("Sign language"),
        )
        text += f"\n      {alternate}"
    return f"    <item>\n      {text}\n    </item>\n"


def feed_render(
    show: Show, entries: Sequence[FeedEntry], *, changed_at: datetime, video: bool = False
) -> bytes:
    """The feed document. ``entries`` are the published episodes in feed order; ``changed_at``
    is when the feed last changed (``selectors.feed_state``)."""
    with translation.override("sv"):
        if video:
            entries = [e for e in entries if e.sign_language_video]
        rss = _channel(show, entries, video=video, changed_at=changed_at)
        rss[0].append(etree.Comment(_ITEMS))
        head, tail = etree.tostring(
            rss, xml_declaration=True, encoding="UTF-8", pretty_print=True
        ).split(f"<!--{_ITEMS}-->\n".encode())
        links = _Addresses.of(show, entries)
        items = "".join(_item(entry, links, video=video) for entry in _escaped(entries))
    return b"".join((head.rstrip(b" "), items.encode(), b"  ", tail))


def item_preview(episode: Episode) -> str:
    """The episode's ``<item>`` as the audio feed will show it (the admin's preview)."""
    with translation.override("sv"):
        (entry,) = _escaped([FeedEntry.of(episode)])
        return _item(entry, _Addresses.of(episode.show, [entry]), video=False).strip()
