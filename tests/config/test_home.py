"""The public "Sociala medier" page: rendered from the data, in Swedish, in a fixed number of
queries."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.services import system_user
from channels_app import services
from channels_app.choices import ChannelPlatform, ChannelStatus, RelayWeekStatus
from channels_app.models import Channel
from moderation.models import Ground
from tests.channels_app.factories import (
    ArchivePhotoFactory,
    AudienceFactFactory,
    ChannelFactory,
    RelayWeekFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed")


def test_the_page_shows_rules_channels_facts_twins_podcasts_and_contact(client, seeded):
    page = client.get("/").content.decode()
    assert "<h1>Sociala medier</h1>" in page
    for ground in Ground.objects.all():
        assert ground.wording in page
    for channel in Channel.objects.filter(is_public=True):
        assert channel.name in page
    assert "16 år eller äldre: <strong>8 av 10</strong> – använt under året" in page
    assert "<li>90-talisterna</li><li>80-talisterna</li><li>00-talisterna</li>" in page
    assert "Källa: Svenskarna och internet 2021" in page
    assert "På teckenspråk" in page
    assert '<h2 id="podcasts">Poddar</h2>' in page
    assert 'Sveriges viktigaste chefspodd <span class="badge">Pausad</span>' in page
    assert "Personuppgifter på sociala medier" in page
    assert 'href="tel:+4619211000">019-21 10 00</a>' in page


def test_the_twin_is_shown_under_its_main_account(client, seeded):
    page = client.get("/").content.decode()
    facebook = page.index('id="channel-facebook-orebro-kommun"')
    twins = page.index("På teckenspråk", facebook)
    instagram = page.index('id="platform-instagram"')
    assert facebook < twins < instagram
    assert 'id="channel-facebook-orebro-kommun-teckensprak"' not in page


def test_an_editors_change_shows_at_once(client, seeded, editor):
    channel = Channel.objects.get(slug="youtube-orebro-kommun")
    services.channel_update(channel=channel, actor=editor, purpose="Filmer från kommunen.")
    linkedin = Channel.objects.get(slug="linkedin-orebro-kommun")
    services.channel_update(channel=linkedin, actor=editor, is_public=False)
    ground = Ground.objects.get(code="political")
    ground.wording = "partipolitiska diskussioner."
    ground.save()
    page = client.get("/").content.decode()
    assert "Filmer från kommunen." in page
    assert "linkedin.com" not in page
    assert "partipolitiska diskussioner." in page


def test_closed_channels_are_not_shown(client, seeded):
    services.channel_update(
        channel=Channel.objects.get(slug="podcast-sveriges-viktigaste-chefspodd"),
        actor=system_user(),
        status=ChannelStatus.CLOSED,
        closed_on="2026-01-01",
    )
    assert "Sveriges viktigaste chefspodd" not in client.get("/").content.decode()


def test_a_fixed_number_of_queries_whatever_the_number_of_channels(
    client, seeded, django_assert_num_queries
):
    with django_assert_num_queries(6) as first:  # facts, hosts, photos, channels, twins, grounds
        client.get("/")
    for _n in range(15):
        main = ChannelFactory.create(platform=ChannelPlatform.LINKEDIN)
        ChannelFactory.create(platform=ChannelPlatform.LINKEDIN, sign_language_counterpart=main)
        AudienceFactFactory.create(platform=ChannelPlatform.LINKEDIN)
        RelayWeekFactory.create(**this_week())
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get("/").content.decode()
    assert page.count('class="channel"') == 8 + 15 + 15
    assert page.count("Veckans värd:") == 15


def test_the_page_is_swedish(client, seeded):
    response = client.get("/")
    assert response.headers["Content-Language"] == "sv"
    assert '<html lang="sv">' in response.content.decode()


def this_week():
    iso = timezone.localdate().isocalendar()
    return {"iso_year": iso.year, "iso_week": iso.week}


def test_this_weeks_host_and_photo_are_shown(client, seeded, editor):
    relay = Channel.objects.get(slug="instagram-orebrokommun")
    week = RelayWeekFactory.create(
        channel=relay,
        host_name="Anna Berg",
        host_title="Stadsträdgårdsmästare",
        host_email="anna.berg@orebro.se",
        topic="Parkerna i höst",
        status=RelayWeekStatus.PROPOSED,
        **this_week(),
    )
    archive = Channel.objects.get(slug="instagram-tborebro")
    photo = ArchivePhotoFactory.create(channel=archive, title="Stortorget", year=1932)
    assert "Anna Berg" not in client.get("/").content.decode()  # only when confirmed
    services.relay_week_confirm(relay_week=week, actor=editor)
    iso = this_week()
    services.archive_photo_schedule(
        photo=photo, planned_year=iso["iso_year"], planned_week=iso["iso_week"], actor=editor
    )
    page = client.get("/").content.decode()
    assert "Veckans värd:</strong> Anna Berg, Stadsträdgårdsmästare" in page
    assert "Parkerna i höst" in page
    assert "anna.berg@orebro.se" not in page
    assert "Veckans tillbakablick:</strong> Stortorget (1932)" in page
    assert photo.image.url in page
