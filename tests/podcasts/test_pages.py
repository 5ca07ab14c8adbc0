"""Public pages: the shows, a show with its episodes, an episode with player, transcript,
guests, the sign-language video and the links to the apps."""

import pytest
from django.core.management import call_command

from accounts.services import system_user
from podcasts import services
from podcasts.choices import ShowStatus
from podcasts.models import Show
from tests.podcasts import fixtures
from tests.podcasts.factories import EpisodeFactory, ShowFactory

pytestmark = pytest.mark.django_db


def test_index_lists_the_seeded_shows_and_the_paused_notice(client):
    call_command("seed")
    page = client.get("/poddar/").content.decode()
    assert "Vardagshjältarna" in page
    assert "Tonårstiden – Hur svårt kan det va?" in page
    assert "Podden är pausad, men alla tidigare avsnitt finns kvar" in page


def test_show_page_lists_published_episodes_only(client):
    show = ShowFactory.create(slug="vardagshjaltarna")
    EpisodeFactory.create(show=show, number=1, title="Lokalvårdaren")
    EpisodeFactory.create(show=show, number=2, title="Utkastet", publish=False)
    page = client.get("/poddar/vardagshjaltarna/").content.decode()
    assert "Lokalvårdaren" in page
    assert "Utkastet" not in page
    assert show.apple_podcasts_url in page
    assert show.spotify_url in page
    assert 'type="application/rss+xml"' in page


def test_episode_page_has_player_transcript_guests_and_video(client):
    episode = EpisodeFactory.create(sign_language_video=fixtures.video())
    response = client.get(episode.get_absolute_url())
    page = response.content.decode()
    assert "<audio controls" in page
    assert "<video controls" in page
    assert 'kind="captions"' in page
    assert "<strong>Sara Ek</strong>, Lokalvårdare, Servicenämnden" in page
    assert "<strong>Anna Lind:</strong> Välkommen till Vardagshjältarna! I dag träffar vi" in page
    assert "roligt att vara här &amp; prata jobb." in page
    assert "Ladda ner avsnittet (5 s)" in page


def test_drafts_and_hidden_shows_are_not_public(client):
    draft = EpisodeFactory.create(publish=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    shown = EpisodeFactory.create()
    services.show_update(show=shown.show, actor=system_user(), status=ShowStatus.HIDDEN)
    assert client.get(shown.get_absolute_url()).status_code == 404
    assert client.get(shown.show.get_absolute_url()).status_code == 404


def test_seed_links_the_shows_to_their_channels_in_the_pages_words():
    from core.seedpage import paragraph

    call_command("seed")
    call_command("seed")
    assert Show.objects.count() == 3
    assert Show.history.count() == 3
    chefspodd = Show.objects.get(slug="sveriges-viktigaste-chefspodd")
    assert chefspodd.status == ShowStatus.PAUSED
    assert chefspodd.channel.slug == "podcast-sveriges-viktigaste-chefspodd"
    assert chefspodd.description == paragraph("Poddar", "Podden Sveriges viktigaste chefspodd")
    assert chefspodd.update_frequency_text in chefspodd.description
    tonarstiden = Show.objects.get(slug="tonarstiden")
    twin = tonarstiden.sign_language_channel
    assert twin is not None
    assert twin.slug == "podcast-tonarstiden-teckensprak"
    assert tonarstiden.owner_units == "Föräldrastöd och Fältgruppen"
    assert tonarstiden.apple_category == "Kids & Family › Parenting"
