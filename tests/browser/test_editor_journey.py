"""The web editor's journey through the real UI: sign in with a password and a TOTP code, change
a section of the public page and see it on `/` and in its history, create an episode with its
transcript and publish it from its own page, and book a host in the relay rota. Every page passed
is checked by axe-core at 1280 and 320 px."""

import os
import tempfile
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.management import call_command
from playwright.sync_api import expect

from channels_app.models import PageSection, RelayWeek
from podcasts.models import Episode
from tests.browser.audit import page_audit
from tests.podcasts import fixtures

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ENGLISH = ("View history", "CHANGED BY", "None", "Change history", "Changed by", "Date/time")


@pytest.fixture
def signed_in(page, axe_violations, editor, settings):
    """The editor, with TOTP set up, signed in through the login form and the code form."""
    settings.MFA_REQUIRED_FOR_STAFF = True
    settings.MFA_TOTP_TOLERANCE = 1  # as in conftest's login_with_mfa
    call_command("seed")
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("E-postadress").fill(editor.email)
    page.get_by_label("Lösenord").fill("correct horse battery")
    page.get_by_role("button", name="Logga in").click()
    code = page.locator("input[name=code]")
    expect(code).to_be_visible()
    assert page_audit(page, axe_violations) == []
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # this period's
    code.fill(format_hotp_value(hotp_value(secret, counter)))
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("#site-name")).to_be_visible()
    return editor


def test_editor_changes_a_page_section_and_sees_it_with_history(page, axe_violations, signed_in):
    assert page_audit(page, axe_violations) == []
    if os.environ.get("SAVE_SCREENSHOTS"):  # README's picture of the editor's start page
        page.screenshot(path=SCREENSHOTS / "editor.png")
    page.get_by_role("link", name="Sidavsnitt").first.click()
    assert page_audit(page, axe_violations) == []
    page.get_by_role("link", name="Youtube").click()
    assert page_audit(page, axe_violations) == []
    page.get_by_label("Text:", exact=True).fill(
        "Youtube är en social plattform för video, och [Örebro kommun](@personuppgifter) finns där."
    )
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Youtube")

    page.goto("/")
    expect(page.get_by_text("Youtube är en social plattform för video, och")).to_be_visible()

    section = PageSection.objects.get(key="youtube")
    page.goto(f"/admin/channels_app/pagesection/{section.pk}/change/")
    page.get_by_role("link", name="Historik").click()
    expect(page.locator("#change-history")).to_contain_text(signed_in.name)
    content = page.locator("#content").inner_text()
    assert not [word for word in ENGLISH if word in content], content
    assert page_audit(page, axe_violations) == []


def test_editor_creates_an_episode_and_publishes_it(page, axe_violations, signed_in):
    folder = Path(tempfile.mkdtemp())
    (folder / "avsnitt.mp3").write_bytes(fixtures.mp3_bytes())
    (folder / "avsnitt.vtt").write_text(fixtures.VTT, encoding="utf-8")
    page.goto("/admin/podcasts/episode/add/")
    assert page_audit(page, axe_violations) == []
    page.get_by_label("Podd").select_option(label="Vardagshjältarna")
    page.get_by_label("Avsnittsnummer").fill("1")
    page.get_by_label("Titel:", exact=True).fill("Kocken")
    page.get_by_label("Beskrivning").fill("Om att laga mat till tusen elever.")
    page.locator("#id_audio").set_input_files(folder / "avsnitt.mp3")
    page.locator("#id_transcript").set_input_files(folder / "avsnitt.vtt")
    guests = page.locator("#guests-group")
    guests.get_by_label("Namn").first.fill("Sara Lind")
    guests.get_by_label("Yrkestitel").first.fill("Kock")
    page.get_by_role("button", name="Spara och publicera").click()

    # The guest's unit is missing: the error is summarised at the top with a link to the field,
    # and the files chosen are kept.
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Förvaltning")
    assert page_audit(page, axe_violations) == []
    expect(page.get_by_text("avsnitt.mp3")).to_be_visible()
    expect(page.get_by_text("avsnitt.vtt")).to_be_visible()
    assert Episode.objects.count() == 0
    guests.get_by_label("Förvaltning").first.fill("Skolmåltider")
    page.get_by_role("button", name="Spara och publicera").click()
    expect(page.locator(".messagelist")).to_contain_text("publicerat")
    episode = Episode.objects.get()
    assert (episode.status, episode.audio_duration) == ("published", 5)
    assert episode.guests.get().unit == "Skolmåltider"

    page.goto(episode.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Kocken")
    expect(page.get_by_text("Sara Lind")).to_be_visible()


def test_editor_books_a_host_in_the_relay_rota(page, axe_violations, signed_in):
    page.goto("/admin/channels_app/relayweek/rota/")
    assert page_audit(page, axe_violations) == []
    page.get_by_role("link", name="Planera veckan").first.click()
    assert page_audit(page, axe_violations) == []
    page.get_by_label("Värd:", exact=True).fill("Anna Berg")
    page.get_by_label("Värdens e-postadress").fill("anna.berg@orebro.se")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Anna Berg")
    assert RelayWeek.objects.get().host_name == "Anna Berg"
    page.goto("/admin/channels_app/relayweek/rota/")
    expect(page.get_by_role("link", name="Anna Berg")).to_be_visible()
