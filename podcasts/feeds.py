"""The RSS feeds the podcast apps read: one audio feed per show with the iTunes tags Apple
requires and the Podcasting 2.0 tags, and one video feed of the sign-language versions."""

import html
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from podcasts.categories import category_split
from podcasts.choices import ShowStatus
from podcasts.media import absolute_url, file_url
from podcasts.models import Episode, Show
from podcasts.selectors import feed_last_modified

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
    """Plain text where podcast apps read HTML: escaped, so markup an editor typed (or pasted)
    shows as text and never runs in an app."""
    element = _sub(parent, tag)
    element.text = etree.CDATA(html.escape(text, quote=False))


def _yes_no(value: bool) -> str:
    return "true" if value else "false"


def _rfc2822(moment: datetime) -> str:
    return format_datetime(moment)


def video_title(show: Show) -> str:
    if show.sign_language_channel is not None:
        return show.sign_language_channel.name
    return _("%(title)s (sign-language interpreted)") % {"title": show.title}


def _channel(show: Show, episodes: Sequence[Episode], *, video: bool) -> etree._Element:
    rss = etree.Element("rss", nsmap=NSMAP, version="2.0")
    channel = _sub(rss, "channel")
    self_url = show.video_feed_url if video else show.feed_url
    _sub(channel, "title", video_title(show) if video else show.title)
    _sub(channel, "link", absolute_url(show.get_absolute_url()))
    _cdata(channel, "description", show.description)
    _sub(channel, "language", show.language)
    if show.copyright:
        _sub(channel, "copyright", show.copyright)
    _sub(channel, "lastBuildDate", _rfc2822(feed_last_modified(show=show)))
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
    if video or any(e.sign_language_video for e in episodes):
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


def episode_item(episode: Episode, *, video: bool = False) -> etree._Element:
    """One ``<item>``; also what the admin shows as the preview of the feed entry."""
    show = episode.show
    item = etree.Element("item", nsmap=NSMAP)
    _sub(item, "title", episode.title)
    _sub(item, "link", absolute_url(episode.get_absolute_url()))
    _cdata(item, "description", episode.description)
    _sub(item, "guid", str(episode.video_guid if video else episode.guid), isPermaLink="false")
    if episode.published_at:
        _sub(item, "pubDate", _rfc2822(episode.published_at))
    if video and episode.sign_language_video:
        _sub(
            item,
            "enclosure",
            url=file_url(episode.sign_language_video),
            length=str(episode.sign_language_video_size),
            type_="video/mp4",
        )
    elif episode.audio:
        _sub(
            item,
            "enclosure",
            url=file_url(episode.audio),
            length=str(episode.audio_size),
            type_=episode.audio_type,
        )
    _sub(item, "itunes:duration", str(episode.audio_duration))
    _sub(item, "itunes:episode", str(episode.number))
    if episode.season:
        _sub(item, "itunes:season", str(episode.season))
    _sub(item, "itunes:episodeType", episode.episode_type)
    _sub(item, "itunes:explicit", _yes_no(episode.explicit))
    if show.artwork:
        _sub(item, "itunes:image", href=file_url(show.artwork))
    if episode.season:
        _sub(item, "podcast:season", str(episode.season))
    _sub(item, "podcast:episode", str(episode.number))
    if episode.transcript:
        _sub(
            item,
            "podcast:transcript",
            url=file_url(episode.transcript),
            type_="text/vtt",
            language="sv",
            rel="captions",
        )
        _sub(
            item,
            "podcast:transcript",
            url=absolute_url(
                reverse(
                    "podcasts:transcript",
                    kwargs={"slug": show.slug, "number": episode.number},
                )
            ),
            type_="text/html",
            language="sv",
        )
    for guest in episode.guests.all():
        _sub(item, "podcast:person", guest.name, role="guest", group="cast")
    if not video and episode.sign_language_video:
        alternate = _sub(
            item,
            "podcast:alternateEnclosure",
            type_="video/mp4",
            length=str(episode.sign_language_video_size),
            lang=SIGN_LANGUAGE,
            rel=_("Sign-language interpreted"),
            title=_("Sign language"),
        )
        _sub(alternate, "podcast:source", uri=file_url(episode.sign_language_video))
    return item


def feed_render(show: Show, episodes: Sequence[Episode], *, video: bool = False) -> bytes:
    """The feed document. ``episodes`` are the published ones in feed order."""
    with translation.override("sv"):
        if video:
            episodes = [e for e in episodes if e.sign_language_video]
        rss = _channel(show, episodes, video=video)
        channel = rss[0]
        for episode in episodes:
            channel.append(episode_item(episode, video=video))
    return etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def item_preview(episode: Episode) -> str:
    with translation.override("sv"):
        element = episode_item(episode)
    etree.cleanup_namespaces(element)
    return etree.tostring(element, encoding="unicode", pretty_print=True)
