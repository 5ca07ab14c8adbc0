"""The conformance panel: what Apple, Spotify and Podcasting 2.0 would reject."""

import pytest
from django.utils import translation

from podcasts import conformance
from tests.podcasts.factories import EpisodeFactory, ShowFactory

pytestmark = pytest.mark.django_db


def messages(findings):
    return [(f.authority, f.message) for f in findings]


def test_a_ready_episode_has_no_findings():
    episode = EpisodeFactory.create()
    assert conformance.episode_check(episode) == []


def test_findings_name_who_would_reject_what():
    show = ShowFactory.create(title="Vardagshjältarna", artwork=None, artwork_alt="")
    episode = EpisodeFactory.create(
        show=show, number=7, title="Vardagshjältarna avsnitt 7", transcript=None, publish=False
    )
    with translation.override("sv"):
        found = messages(conformance.episode_check(episode))
    assert ("Apple Podcasts", "Podden saknar omslagsbild (itunes:image krävs).") in found
    assert (
        "Spotify",
        "Spotify tar bara emot ett flöde som har ett publicerat avsnitt.",
    ) in found
    authorities = {authority for authority, _ in found}
    assert authorities == {"Apple Podcasts", "Spotify", "Podcasting 2.0"}
    assert any("avsnittsnumret" in message for _, message in found)
    assert any("poddens namn" in message for _, message in found)
    assert any("saknar transkribering" in message for _, message in found)


def test_media_addresses_come_from_object_storage_in_production(settings, client):
    episode = EpisodeFactory.create()
    settings.PODCASTS_MEDIA_FROM_STORAGE = True
    body = client.get(f"/poddar/{episode.show.slug}/feed.xml").content.decode()
    assert f'url="{episode.audio.url}"' in body
