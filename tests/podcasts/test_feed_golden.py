"""The feeds byte for byte: a show with a few episodes (guests, a season, a sign-language
version, markup in the text, file names that need quoting, a draft and an unpublished episode)
rendered uncached and compared with files written by the feed code before the rows were read
as plain tuples. Any change to what the podcast apps receive shows here as a diff."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from accounts.services import system_user
from podcasts import services
from podcasts.choices import EpisodeType, ShowStatus, ShowType
from podcasts.feeds import item_preview
from podcasts.models import Episode, Show
from tests.podcasts import fixtures
from tests.podcasts.factories import GUEST, EpisodeFactory, ShowFactory

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
SITE = "https://poddar.example.se"
CHANGED = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def show() -> Show:
    show = ShowFactory.create(
        slug="vardagshjaltarna",
        title="Vardagshjältarna",
        copyright="© Örebro kommun",
        update_frequency_text="Varannan vecka",
    )
    EpisodeFactory.create(
        show=show, number=1, title="Lokalvårdaren", guests=[GUEST, {**GUEST, "name": "Bo Ek"}]
    )
    EpisodeFactory.create(
        show=show,
        number=2,
        title="Brandmannen",
        season=1,
        sign_language_video=fixtures.video(),
        guests=[],
    )
    EpisodeFactory.create(show=show, number=3, title="Ett utkast", publish=False)
    gone = EpisodeFactory.create(show=show, number=4, title="Borttaget")
    services.episode_unpublish(episode=gone, actor=system_user())
    EpisodeFactory.create(
        show=show,
        number=5,
        title="Frågor & svar <live>",
        description='Med <b>fet</b> text, "citat" & ]]> i beskrivningen.',
        episode_type=EpisodeType.BONUS,
        explicit=True,
        season=2,
    )
    for number in range(1, 6):
        Episode.objects.filter(show=show, number=number).update(
            guid=uuid.UUID(int=number),
            published_at=datetime(2026, 3, number, 9, 30, tzinfo=UTC),
            updated_at=CHANGED,
            audio=f"podcasts/audio/avsnitt {number} & å.mp3",
            transcript=f"podcasts/transkript/avsnitt-{number}.vtt",
        )
    Episode.objects.filter(show=show, number=2).update(
        sign_language_video="podcasts/video/avsnitt-2 (teckenspråk).mp4"
    )
    Show.objects.filter(pk=show.pk).update(
        podcast_guid=uuid.UUID(int=100),
        video_podcast_guid=uuid.UUID(int=101),
        updated_at=CHANGED,
        artwork="podcasts/artwork/omslag.png",
    )
    return show


def feed(client, path: str) -> bytes:
    cache.clear()
    response = client.get(path)
    assert response.status_code == 200
    return bytes(response.content)


@pytest.mark.parametrize(
    ("path", "changes", "golden"),
    [
        ("/poddar/vardagshjaltarna/feed.xml", {}, "feed_episodic.xml"),
        ("/poddar/vardagshjaltarna/teckensprak/feed.xml", {}, "feed_video.xml"),
        ("/poddar/vardagshjaltarna/feed.xml", {"show_type": ShowType.SERIAL}, "feed_serial.xml"),
        ("/poddar/vardagshjaltarna/feed.xml", {"status": ShowStatus.HIDDEN}, "feed_hidden.xml"),
    ],
)
def test_feed_is_byte_for_byte_as_before(client, show, path, changes, golden):
    Show.objects.filter(pk=show.pk).update(**changes)
    if changes.get("show_type") == ShowType.SERIAL:
        # Every episode in a season: where an episode without one sorts differs by database.
        Episode.objects.filter(show=show, season=None).update(season=1)
    with override_settings(SITE_URL=SITE):
        assert feed(client, path) == (GOLDEN / golden).read_bytes()


def test_admin_preview_of_an_item_is_as_before(show):
    episode = Episode.objects.select_related("show").get(show=show, number=5)
    with override_settings(SITE_URL=SITE):
        preview = item_preview(episode)
    assert preview == (GOLDEN / "item_preview.xml").read_text(encoding="utf-8")
