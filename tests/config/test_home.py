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
    RelayWeekFactory,
)
from tests.factories import ChannelFactory

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
    assert 'Sveriges viktigaste chefspodd</a> <span class="badge">Pausad</span>' in page
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
    # sections, links, their history, facts, hosts, photos, channels with their twins, shows,
    # grounds
    with django_assert_num_queries(9) as first:
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


def _main_text(html: str) -> str:
    """The words of <main> as a reader sees them, whitespace collapsed."""
    from lxml import html as lxml_html

    main = lxml_html.fromstring(html).find(".//main")
    return " ".join(main.text_content().split())


def _seed_paragraphs() -> list[str]:
    """The seed page from its first heading to its last paragraph, bullets without the bullet."""
    from core.seedpage import PAGE

    lines = [line.strip() for line in PAGE.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and not line.startswith(("Senast", "Publicerad"))]
    return [" ".join(line.lstrip("•").split()) for line in lines]


def test_the_page_is_the_seed_page_whole_and_in_its_order(client, seeded):
    from channels_app.models import PageLink
    from channels_app.pagetext import document_size

    text = _main_text(client.get("/").content.decode())
    guidelines = PageLink.objects.get(key="riktlinjer")
    position = 0
    for paragraph in _seed_paragraphs():
        paragraph = paragraph.replace("406 kB", document_size(guidelines.document))
        found = text.find(paragraph, position)
        assert found >= 0, paragraph
        position = found + len(paragraph)


def test_every_here_and_every_document_is_a_link(client, seeded):
    from lxml import html as lxml_html

    from channels_app.models import PageLink
    from channels_app.pagetext import document_size

    tree = lxml_html.fromstring(client.get("/").content.decode())
    links = {" ".join(a.text_content().split()): a.get("href") for a in tree.iter("a")}
    guidelines = PageLink.objects.get(key="riktlinjer")
    name = (
        f"Riktlinjer för sociala medier i Örebro kommun. Pdf, {document_size(guidelines.document)}"
    )
    assert links[name] == guidelines.document.url
    assert guidelines.document.read(5) == b"%PDF-"
    here = "Här kan du läsa mer om hur kommunen behandlar personuppgifter"
    assert links[here] == "https://www.orebro.se/personuppgifter"
    assert links["här"] == "/poddar/tonarstiden/"
    for show in ("vardagshjaltarna", "sveriges-viktigaste-chefspodd", "tonarstiden"):
        assert f"/poddar/{show}/" in links.values()
    assert links["Örebro kommun – Teckenspråk"].startswith("https://www.")
    teckensprak = [a for a in tree.iter("a") if a.text_content() == "Örebro kommun – Teckenspråk"]
    assert len(teckensprak) == 2  # Facebook's and Instagram's, each with its address
    assert all(a.get("href").startswith("https://") for a in teckensprak)


def test_an_editor_changes_a_section_in_admin_with_history(client, seeded, editor):
    from channels_app.models import PageSection

    section = PageSection.objects.get(key="youtube")
    client.force_login(editor)
    url = f"/admin/channels_app/pagesection/{section.pk}/change/"
    response = client.post(
        url,
        {"heading": "Youtube", "body": "Youtube är en plattform för video.", "closing": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Youtube är en plattform för video." in client.get("/").content.decode()
    latest = section.history.latest()
    assert (latest.history_user, latest.body) == (editor, "Youtube är en plattform för video.")
    history = client.get(f"{url.removesuffix('change/')}history/").content.decode()
    assert editor.name in history


def test_a_section_naming_an_unknown_link_is_refused(client, seeded, editor):
    from channels_app.models import PageSection

    section = PageSection.objects.get(key="questions")
    client.force_login(editor)
    response = client.post(
        f"/admin/channels_app/pagesection/{section.pk}/change/",
        {"heading": "Frågor", "body": "Läs [mer](@finns-inte).", "closing": ""},
    )
    assert response.status_code == 200
    assert "@finns-inte" in response.content.decode()
    section.refresh_from_db()
    assert "finns-inte" not in section.body


def test_the_seed_leaves_an_editors_words_alone(seeded, editor):
    from channels_app.models import PageSection

    section = PageSection.objects.get(key="questions")
    services.page_section_update(section=section, actor=editor, body="Ring oss.")
    call_command("seed")
    section.refresh_from_db()
    assert section.body == "Ring oss."


def test_an_editor_uploads_the_guidelines_and_the_page_gives_their_size(client, seeded, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from channels_app.models import PageLink

    guidelines = PageLink.objects.get(key="riktlinjer")
    client.force_login(editor)
    pdf = SimpleUploadedFile("riktlinjer.pdf", b"%PDF-1.7\n" + b"0" * 415_000, "application/pdf")
    response = client.post(
        f"/admin/channels_app/pagelink/{guidelines.pk}/change/",
        {"key": "riktlinjer", "title": guidelines.title, "url": "", "document": pdf},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Örebro kommun. Pdf, 405 kB</a>" in client.get("/").content.decode()
    not_pdf = SimpleUploadedFile("riktlinjer.pdf", b"<html>", "application/pdf")
    response = client.post(
        f"/admin/channels_app/pagelink/{guidelines.pk}/change/",
        {"key": "riktlinjer", "title": guidelines.title, "url": "", "document": not_pdf},
    )
    assert response.status_code == 200
    assert "Filen är inte ett PDF-dokument." in response.content.decode()


def test_the_seeded_guidelines_are_a_placeholder_that_says_how_to_upload_the_real_ones(
    client, seeded, editor
):
    import re
    import zlib

    from channels_app.models import PageLink

    guidelines = PageLink.objects.get(key="riktlinjer")
    pdf = guidelines.document.read()
    text = b"".join(zlib.decompress(s) for s in re.findall(rb"stream\n(.*?)\nendstream", pdf, re.S))
    assert "platshållare".encode("latin-1") in text
    assert b"Spara" in text
    client.force_login(editor)
    page = client.get(f"/admin/channels_app/pagelink/{guidelines.pk}/change/").content.decode()
    assert "Tills kommunens riktlinjer laddas upp här" in page
