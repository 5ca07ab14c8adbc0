"""The feeds the podcast apps read: parsed by feedparser and podcastparser, every Apple-required
tag and the Podcasting 2.0 tags checked with lxml XPath, conditional GET, gzip and caching."""

import gzip
import io
from datetime import UTC, datetime, timedelta
from datetime import timezone as fixed_offset
from email.utils import format_datetime, parsedate_to_datetime
from zoneinfo import ZoneInfo

import feedparser
import podcastparser
import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from lxml import etree

from accounts.services import system_user
from podcasts import selectors, services
from podcasts.choices import ShowStatus
from podcasts.feeds import PODCAST, _Addresses, _rfc2822
from podcasts.media import file_url
from podcasts.models import Episode
from podcasts.selectors import utc_second
from tests.podcasts import fixtures
from tests.podcasts.factories import GUEST, EpisodeFactory, ShowFactory

pytestmark = pytest.mark.django_db

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
APPLE_TYPES = {"audio/mpeg", "audio/x-m4a", "video/mp4", "video/quicktime", "video/x-m4v"}


def local(url: str) -> str:
    assert url.startswith(settings.SITE_URL)
    return url[len(settings.SITE_URL) :]


@pytest.fixture
def show():
    show = ShowFactory.create(slug="vardagshjaltarna", title="Vardagshjältarna")
    EpisodeFactory.create(show=show, number=1, title="Lokalvårdaren")
    EpisodeFactory.create(
        show=show, number=2, title="Brandmannen", season=1, sign_language_video=fixtures.video()
    )
    EpisodeFactory.create(show=show, number=3, title="Ett utkast", publish=False)
    gone = EpisodeFactory.create(show=show, number=4, title="Borttaget")
    services.episode_unpublish(episode=gone, actor=system_user())
    return show


def fetch(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return response


def xml(response):
    return etree.fromstring(response.content)


def test_feed_is_valid_rss_for_feedparser(client, show):
    response = fetch(client, "/poddar/vardagshjaltarna/feed.xml")
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Vardagshjältarna"
    assert parsed.feed.language == "sv"
    assert parsed.feed.author_detail.email == "podd@orebro.se"
    assert [t.term for t in parsed.feed.tags] == ["Government"]
    assert [e.title for e in parsed.entries] == ["Brandmannen", "Lokalvårdaren"]
    entry = parsed.entries[0]
    assert entry.itunes_duration == "5"
    assert entry.itunes_episode == "2"
    assert entry.enclosures[0].type == "audio/mpeg"


def test_feed_is_accepted_by_podcastparser(client, show):
    body = fetch(client, "/poddar/vardagshjaltarna/feed.xml").content
    parsed = podcastparser.parse(show.feed_url, io.BytesIO(body))
    assert parsed["title"] == "Vardagshjältarna"
    assert parsed["type"] == "episodic"
    assert len(parsed["episodes"]) == 2
    episode = parsed["episodes"][0]
    assert episode["number"] == 2
    assert episode["season"] == 1
    assert episode["total_time"] == 5
    assert episode["enclosures"][0]["file_size"] == len(fixtures.mp3_bytes())
    assert episode["guid"] == str(show.episodes.get(number=2).guid)


def test_every_channel_tag_apple_requires(client, show):
    response = fetch(client, "/poddar/vardagshjaltarna/feed.xml")
    rss = xml(response)
    assert rss.get("version") == "2.0"
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    channel = rss.find("channel")
    assert channel.findtext("title") == "Vardagshjältarna"
    assert channel.findtext("description").startswith("En podd från Örebro kommun")
    assert b"<![CDATA[" in response.content
    assert channel.findtext("language") == "sv"
    assert channel.findtext("link").endswith("/poddar/vardagshjaltarna/")
    image = channel.xpath("itunes:image/@href", namespaces=NS)[0]
    assert image.endswith(".png")
    assert client.head(local(image)).status_code == 200
    assert channel.xpath("itunes:category/@text", namespaces=NS) == ["Government"]
    assert channel.xpath("itunes:explicit/text()", namespaces=NS) == ["false"]
    assert channel.xpath("itunes:author/text()", namespaces=NS) == ["Örebro kommun"]
    assert channel.xpath("itunes:owner/itunes:email/text()", namespaces=NS) == ["podd@orebro.se"]
    assert channel.xpath("itunes:type/text()", namespaces=NS) == ["episodic"]
    assert channel.xpath("atom:link[@rel='self']/@href", namespaces=NS) == [show.feed_url]
    assert not channel.xpath("itunes:complete", namespaces=NS)


def test_every_item_tag_apple_requires(client, show):
    response = fetch(client, "/poddar/vardagshjaltarna/feed.xml")
    items = xml(response).findall("channel/item")
    assert len(items) == 2
    guids = set()
    for item in items:
        assert item.findtext("title") in {"Brandmannen", "Lokalvårdaren"}
        enclosure = item.find("enclosure")
        assert enclosure.get("type") in APPLE_TYPES
        media = client.get(local(enclosure.get("url")))
        assert (
            int(enclosure.get("length"))
            == int(media["Content-Length"])
            == len(b"".join(media.streaming_content))
        )
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false"
        guids.add(guid.text)
        assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert item.xpath("itunes:duration/text()", namespaces=NS)[0].isdigit()
        assert item.xpath("itunes:explicit/text()", namespaces=NS) == ["false"]
        assert item.xpath("itunes:episodeType/text()", namespaces=NS) == ["full"]
        assert item.xpath("itunes:episode/text()", namespaces=NS)[0] in {"1", "2"}
        assert item.xpath("itunes:image/@href", namespaces=NS)
    assert len(guids) == 2
    assert items[0].xpath("itunes:season/text()", namespaces=NS) == ["1"]


def test_podcasting_20_tags_under_the_exact_namespace(client, show):
    rss = xml(fetch(client, "/poddar/vardagshjaltarna/feed.xml"))
    assert rss.nsmap["podcast"] == PODCAST == "https://podcastindex.org/namespace/1.0"
    channel = rss.find("channel")
    assert channel.xpath("podcast:guid/text()", namespaces=NS) == [str(show.podcast_guid)]
    locked = channel.xpath("podcast:locked", namespaces=NS)[0]
    assert (locked.text, locked.get("owner")) == ("yes", "podd@orebro.se")
    assert channel.xpath("podcast:medium/text()", namespaces=NS) == ["podcast"]
    assert channel.xpath("podcast:image/@alt", namespaces=NS) == ["Logotyp för podden"]
    remote = channel.xpath("podcast:podroll/podcast:remoteItem", namespaces=NS)[0]
    assert remote.get("feedUrl") == show.video_feed_url
    assert remote.get("feedGuid") == str(show.video_podcast_guid)

    signed, plain = channel.findall("item")
    transcripts = signed.xpath("podcast:transcript", namespaces=NS)
    assert [(t.get("type"), t.get("language")) for t in transcripts] == [
        ("text/vtt", "sv"),
        ("text/html", "sv"),
    ]
    assert transcripts[0].get("rel") == "captions"
    vtt = client.get(local(transcripts[0].get("url")))
    assert b"".join(vtt.streaming_content).startswith(b"WEBVTT")
    assert vtt["Access-Control-Allow-Origin"] == "*"
    html = client.get(local(transcripts[1].get("url")))
    assert html.status_code == 200
    assert html["Access-Control-Allow-Origin"] == "*"
    assert "Välkommen till Vardagshjältarna!" in html.content.decode()

    person = signed.xpath("podcast:person", namespaces=NS)[0]
    assert (person.text, person.get("role")) == ("Sara Ek", "guest")

    alternate = signed.xpath("podcast:alternateEnclosure", namespaces=NS)[0]
    assert alternate.get("type") == "video/mp4"
    assert alternate.get("lang") == "swl"
    assert alternate.get("length") == str(len(fixtures.mp4_video_bytes()))
    assert len(alternate.get("title")) <= 32
    assert len(alternate.get("rel")) <= 32
    source = alternate.xpath("podcast:source/@uri", namespaces=NS)[0]
    assert client.head(local(source))["Content-Type"] == "video/mp4"
    assert not plain.xpath("podcast:alternateEnclosure", namespaces=NS)


def test_video_feed_of_the_sign_language_versions(client, show):
    response = fetch(client, "/poddar/vardagshjaltarna/teckensprak/feed.xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert parsed.feed.title == "Vardagshjältarna (teckenspråkstolkad)"
    assert [e.title for e in parsed.entries] == ["Brandmannen"]
    assert parsed.entries[0].enclosures[0].type == "video/mp4"
    channel = xml(response).find("channel")
    assert channel.xpath("podcast:medium/text()", namespaces=NS) == ["video"]
    assert channel.xpath("podcast:guid/text()", namespaces=NS) == [str(show.video_podcast_guid)]
    assert channel.xpath("podcast:podroll/podcast:remoteItem/@feedUrl", namespaces=NS) == [
        show.feed_url
    ]
    item_guid = channel.findtext("item/guid")
    assert item_guid != str(show.episodes.get(number=2).guid)
    podcastparser.parse(show.video_feed_url, io.BytesIO(response.content))


def test_paused_show_keeps_listing_its_episodes_and_never_completes(client, show):
    services.show_update(
        show=show,
        actor=system_user(),
        status=ShowStatus.PAUSED,
        update_frequency_text="Just nu är podden pausad.",
    )
    channel = xml(fetch(client, "/poddar/vardagshjaltarna/feed.xml")).find("channel")
    assert len(channel.findall("item")) == 2
    assert not channel.xpath("itunes:complete", namespaces=NS)
    frequency = channel.xpath("podcast:updateFrequency", namespaces=NS)[0]
    assert frequency.text == "Just nu är podden pausad."
    assert frequency.get("rrule") is None


def test_ended_show_says_complete_and_hidden_show_is_blocked(client, show):
    services.show_update(show=show, actor=system_user(), status=ShowStatus.ENDED)
    channel = xml(fetch(client, "/poddar/vardagshjaltarna/feed.xml")).find("channel")
    assert channel.xpath("itunes:complete/text()", namespaces=NS) == ["Yes"]
    services.show_update(show=show, actor=system_user(), status=ShowStatus.HIDDEN)
    channel = xml(fetch(client, "/poddar/vardagshjaltarna/feed.xml")).find("channel")
    assert channel.xpath("itunes:block/text()", namespaces=NS) == ["Yes"]


def test_conditional_get_answers_304(client, show):
    first = fetch(client, "/poddar/vardagshjaltarna/feed.xml")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "max-age=900" in first["Cache-Control"]
    again = client.get("/poddar/vardagshjaltarna/feed.xml", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    since = client.get("/poddar/vardagshjaltarna/feed.xml", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    # A change gives a new ETag, and the old one gets the whole feed again.
    services.show_update(show=show, actor=system_user(), title="Vardagshjältarna!")
    changed = client.get("/poddar/vardagshjaltarna/feed.xml", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_feed_is_gzipped_and_the_weak_etag_still_matches(client, show):
    plain = fetch(client, "/poddar/vardagshjaltarna/feed.xml").content
    zipped = fetch(client, "/poddar/vardagshjaltarna/feed.xml", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain
    again = client.get(
        "/poddar/vardagshjaltarna/feed.xml",
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=zipped["ETag"],
    )
    assert again.status_code == 304


def test_feed_is_gzipped_at_the_feeds_own_level_and_varies_by_encoding(client, show):
    from isal import igzip

    from podcasts.views import FEED_GZIP_LEVEL

    plain = fetch(client, "/poddar/vardagshjaltarna/feed.xml")
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    zipped = fetch(
        client, "/poddar/vardagshjaltarna/feed.xml", HTTP_ACCEPT_ENCODING="deflate, gzip;q=0.8"
    )
    assert zipped.content == igzip.compress(plain.content, compresslevel=FEED_GZIP_LEVEL, mtime=0)
    assert gzip.decompress(zipped.content) == plain.content  # any gzip reader opens it
    assert zipped["ETag"] == "W/" + plain["ETag"]
    assert int(zipped["Content-Length"]) == len(zipped.content)
    not_modified = client.get(
        "/poddar/vardagshjaltarna/feed.xml",
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=plain["ETag"],
    )
    assert not_modified.status_code == 304
    assert "Content-Encoding" not in not_modified


def test_unknown_show_is_404(client, db):
    assert client.get("/poddar/finns-inte/feed.xml").status_code == 404


def test_seeded_shows_have_feeds_with_apples_categories(client):
    from django.core.management import call_command

    call_command("seed")
    response = fetch(client, "/poddar/tonarstiden/feed.xml")
    assert b'text="Kids &amp; Family"' in response.content
    channel = xml(response).find("channel")
    assert channel.xpath("itunes:category/itunes:category/@text", namespaces=NS) == ["Parenting"]
    assert channel.findtext("title") == "Tonårstiden – Hur svårt kan det va?"
    assert not feedparser.parse(response.content).bozo
    video = fetch(client, "/poddar/tonarstiden/teckensprak/feed.xml")
    assert xml(video).findtext("channel/title") == (
        "Tonårstiden – Hur svårt kan det va? (teckenspråkstolkad)"
    )
    assert client.get("/poddar/vardagshjaltarna/teckensprak/feed.xml").status_code == 404
    paused = xml(fetch(client, "/poddar/sveriges-viktigaste-chefspodd/feed.xml")).find("channel")
    assert paused.xpath("podcast:updateFrequency/text()", namespaces=NS) == [
        "Just nu är podden pausad men alla tidigare avsnitt finns kvar att lyssna på."
    ]


def test_unpublishing_changes_last_modified(client, show, time_machine):
    first = fetch(client, "/poddar/vardagshjaltarna/feed.xml")
    time_machine.move_to(timezone.now() + timedelta(minutes=1))
    services.episode_unpublish(episode=show.episodes.get(number=2), actor=system_user())
    response = client.get(
        "/poddar/vardagshjaltarna/feed.xml", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert response.status_code == 200
    assert len(xml(response).findall("channel/item")) == 1


def test_cached_feed_follows_a_deleted_episode(client, show, django_assert_max_num_queries):
    """The rendered feed is cached under its version; deleting an episode (which leaves the
    latest change time as it was) still gives the new feed, and a 304 costs two queries."""
    first = fetch(client, "/poddar/vardagshjaltarna/feed.xml")
    assert b"Lokalv" in first.content
    with django_assert_max_num_queries(2):
        again = client.get("/poddar/vardagshjaltarna/feed.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    with django_assert_max_num_queries(2):
        assert fetch(client, "/poddar/vardagshjaltarna/feed.xml").content == first.content
    Episode.objects.filter(show=show, number=1).delete()
    changed = fetch(client, "/poddar/vardagshjaltarna/feed.xml")
    assert b"Lokalv" not in changed.content
    assert changed["ETag"] != first["ETag"]


def test_uncached_feed_costs_the_same_queries_for_any_number_of_episodes(
    client, show, django_assert_num_queries
):
    """Rendering reads the show's episodes and their guests in one query each, however many
    there are (plus the show and the feed's version)."""
    with django_assert_num_queries(4):
        fetch(client, "/poddar/vardagshjaltarna/feed.xml", HTTP_CACHE_CONTROL="no-cache")
    for number in range(5, 15):
        EpisodeFactory.create(show=show, number=number, guests=[GUEST, {**GUEST, "name": "Bo"}])
    cache.clear()
    with django_assert_num_queries(4):
        response = fetch(client, "/poddar/vardagshjaltarna/feed.xml")
    assert len(xml(response).findall("channel/item")) == 12


def test_characters_xml_cannot_hold_are_dropped_not_a_broken_feed(client, show):
    """A control character pasted into a title, description or guest name leaves the feed
    well-formed (an XML 1.0 document cannot hold one)."""
    episode = Episode.objects.get(show=show, number=1)
    Episode.objects.filter(pk=episode.pk).update(
        title="Lokal\x0bvårdaren & <vänner>", description="Rad\x01ett ]]> <b>fet</b>"
    )
    episode.guests.update(name='Sara "Ek"\x1f')
    document = xml(fetch(client, "/poddar/vardagshjaltarna/feed.xml"))
    item = document.find("channel/item[itunes:episode='1']", NS)
    assert item.findtext("title") == "Lokalvårdaren & <vänner>"
    assert item.findtext("description") == "Radett ]]&gt; &lt;b&gt;fet&lt;/b&gt;"
    assert item.find("podcast:person", NS).text == 'Sara "Ek"'


def test_feed_with_caching_off_renders_without_the_cache(client, show, settings, monkeypatch):
    """``PODCASTS_FEED_CACHE_SECONDS=0`` renders every request: no cache read or write (the
    benchmark's uncached row measures the render, not a round trip that stores nothing), and a
    repeated download with the ETag still gets 304."""
    settings.PODCASTS_FEED_CACHE_SECONDS = 0
    calls = []
    for name in ("get", "get_many", "set", "set_many"):
        monkeypatch.setattr(cache, name, lambda *args, name=name, **kwargs: calls.append(name))
    first = fetch(client, "/poddar/vardagshjaltarna/feed.xml")
    assert len(xml(first).findall("channel/item")) == 2
    again = client.get("/poddar/vardagshjaltarna/feed.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert calls == []


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 5, 9, 30, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 1, 15, 7, 4, 5, 123, tzinfo=ZoneInfo("Europe/Stockholm")),
        datetime(2026, 7, 1, 0, 0, tzinfo=ZoneInfo("Europe/Stockholm")),
        datetime(999, 2, 3, 4, 5, 6, tzinfo=fixed_offset(timedelta(hours=-5))),
        datetime(2026, 6, 7, 8, 9, 10, tzinfo=fixed_offset(timedelta(hours=5, minutes=30))),
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(2026, 11, 29, 12, 0, tzinfo=fixed_offset(timedelta(0))),
    ],
)
def test_dates_are_written_as_email_utils_writes_them(moment):
    assert _rfc2822(utc_second(moment)) == format_datetime(moment.astimezone(UTC))


def test_an_entry_from_the_database_holds_its_time_as_utc_second_writes_it(show):
    episode = show.episodes.get(number=1)
    moment = datetime(2026, 7, 1, 0, 30, 15, 987654, tzinfo=ZoneInfo("Europe/Stockholm"))
    Episode.objects.filter(pk=episode.pk).update(published_at=moment)
    episode.refresh_from_db()
    (entry,) = [e for e in selectors.episode_feed_entries(show=show) if e.number == 1]
    assert entry.published_at == utc_second(moment) == "2026-06-30 22:30:15"
    assert selectors.FeedEntry.of(episode).published_at == entry.published_at


@pytest.mark.parametrize(
    "names",
    [
        ("podcasts/audio/avsnitt-1.mp3", "podcasts/audio/avsnitt-2.mp3"),
        ("podcasts/audio/avsnitt-1.mp3", "podcasts/audio/avsnitt 2 & å.mp3"),
        ("podcasts/audio/avsnitt 1 & å.mp3", "podcasts/audio/avsnitt-2.mp3"),
    ],
)
def test_a_feeds_file_names_plain_or_not_are_addressed_as_reverse_gives(client, show, names):
    """The feed matches all its file names at once: one name that is not plain among plain
    ones is still quoted and escaped, and the plain ones are not."""
    for number, name in enumerate(names, start=1):
        Episode.objects.filter(show=show, number=number).update(audio=name, transcript=name)
    items = xml(fetch(client, "/poddar/vardagshjaltarna/feed.xml")).findall("channel/item")
    written = {
        int(item.findtext("itunes:episode", namespaces=NS)): (
            item.find("enclosure").get("url"),
            item.xpath("podcast:transcript[@type='text/vtt']/@url", namespaces=NS)[0],
        )
        for item in items
    }
    for number, episode in ((n, show.episodes.get(number=n)) for n in (1, 2)):
        assert written[number] == (file_url(episode.audio), file_url(episode.transcript))


@pytest.mark.parametrize(
    "name",
    [
        "podcasts/audio/avsnitt-1.mp3",
        "podcasts/audio/a&b'(1)+x=y;z,@:~!$*_.mp3",
        "podcasts/audio/mellanslag och å.mp3",
        'podcasts/audio/100% "citat" #?.mp3',
    ],
)
def test_items_address_files_as_the_media_view_is_reversed(show, name):
    """An item's file address (written without reversing per episode) is the one ``reverse``
    gives, quoted alike."""
    episode = show.episodes.get(number=1)
    episode.audio.name = name
    assert _Addresses.of(show, []).file(name) == file_url(episode.audio)
