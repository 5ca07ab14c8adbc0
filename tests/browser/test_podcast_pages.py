"""The podcast pages in a real browser: axe-core finds no WCAG 2.1 AA violation, the player
loads the audio, and an editor uploads and schedules an episode in admin."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from podcasts.models import Episode
from tests.podcasts import fixtures
from tests.podcasts.factories import EpisodeFactory, ShowFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def episode():
    show = ShowFactory.create(slug="vardagshjaltarna", title="Vardagshjältarna")
    return EpisodeFactory.create(show=show, number=1, sign_language_video=fixtures.video())


def test_podcast_pages_are_accessible(page, axe_violations, episode):
    for path in (
        "/poddar/",
        "/poddar/vardagshjaltarna/",
        "/poddar/vardagshjaltarna/1/",
        "/poddar/vardagshjaltarna/1/transkript.html",
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "sv"
        assert axe_violations(page) == [], path


def test_episode_page_player_and_transcript(page, episode):
    page.goto("/poddar/vardagshjaltarna/1/")
    expect(page.get_by_role("heading", level=1)).to_have_text(episode.title)
    page.wait_for_function("document.querySelector('audio').readyState >= 1")
    assert page.evaluate("Math.round(document.querySelector('audio').duration)") == 5
    page.get_by_role("link", name="Läs transkriberingen").click()
    expect(page.get_by_text("Välkommen till Vardagshjältarna!")).to_be_visible()
    expect(page.get_by_role("heading", name="Gäster")).to_be_visible()


def test_editor_uploads_and_schedules_an_episode_in_admin(page, login, editor):
    ShowFactory.create(title="Vardagshjältarna")
    folder = Path(tempfile.mkdtemp())
    (folder / "avsnitt.mp3").write_bytes(fixtures.mp3_bytes())
    (folder / "avsnitt.vtt").write_text(fixtures.VTT, encoding="utf-8")
    login(editor.email)
    page.goto("/admin/podcasts/episode/add/")
    page.get_by_label("Podd").select_option(label="Vardagshjältarna")
    page.get_by_label("Avsnittsnummer").fill("1")
    page.get_by_label("Titel:", exact=True).fill("Kocken")
    page.get_by_label("Beskrivning").fill("Om att laga mat till tusen elever.")
    page.locator("#id_publish_at_0").fill("2099-01-01")
    page.locator("#id_publish_at_1").fill("08:00:00")
    page.locator("#id_audio").set_input_files(folder / "avsnitt.mp3")
    page.locator("#id_transcript").set_input_files(folder / "avsnitt.vtt")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("Kocken")
    episode = Episode.objects.get()
    assert episode.audio_duration == 5

    page.locator(f"input[name=_selected_action][value='{episode.pk}']").check()
    page.locator("select[name=action]").select_option("schedule")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("1 avsnitt schemalagda"))
    episode.refresh_from_db()
    assert episode.status == "scheduled"
