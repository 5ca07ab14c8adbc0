"""The citizen's journey through the real UI: the public page, a podcast show and episode with
its player, the public register and a request for a document. Every page passed is checked by
axe-core at 1280 and 320 px."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.choices import Role
from channels_app.models import Channel
from podcasts.models import Show
from records.models import AccessRequest
from records.services import record_register
from tests.browser.audit import page_audit
from tests.podcasts.factories import EpisodeFactory
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def seeded(make_user):
    call_command("seed")
    registrar = make_user(Role.REGISTRAR)
    channel = Channel.objects.get(slug="facebook-orebro-kommun")
    record = record_register(
        **registration_kwargs(channel, registrar, subject="Fråga om badhusets tider")
    )
    show = Show.objects.get(slug="vardagshjaltarna")
    EpisodeFactory.create(show=show, number=1, title="Kocken")
    return record


def test_citizen_reads_the_page_listens_and_asks_for_a_document(page, axe_violations, seeded):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sociala medier")
    guidelines = page.get_by_role("link", name="Riktlinjer för sociala medier i Örebro kommun")
    expect(guidelines).to_have_text(
        re.compile(r"^Riktlinjer för sociala medier i Örebro kommun\. Pdf, \d+ kB$")
    )
    expect(page.get_by_text("Facebook är en social plattform med flest användare")).to_be_visible()
    expect(page.get_by_text("Youtube är en social plattform för video")).to_be_visible()
    expect(
        page.get_by_role("link", name="Här kan du läsa mer om hur kommunen behandlar")
    ).to_have_attribute("href", "https://www.orebro.se/personuppgifter")
    assert page_audit(page, axe_violations) == []
    if os.environ.get("SAVE_SCREENSHOTS"):  # README's picture of the page
        page.screenshot(path=SCREENSHOTS / "citizen.png", full_page=False)

    page.get_by_role("link", name="Vardagshjältarna", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vardagshjältarna")
    expect(page.get_by_role("link", name="Vardagshjältarna i Apple Podcasts")).to_be_visible()
    expect(page.get_by_role("link", name="Vardagshjältarna på Spotify")).to_be_visible()
    assert page_audit(page, axe_violations) == []

    page.get_by_role("link", name="Kocken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kocken")
    player = page.locator("audio")
    page.wait_for_function("document.querySelector('audio').readyState >= 1")
    box = player.bounding_box()
    assert box is not None
    assert box["height"] >= 30, box  # audio{height:auto} made it 0 px high
    assert box["width"] >= 200, box
    expect(player).to_be_visible()
    assert page_audit(page, axe_violations) == []

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Diarium").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diarium för sociala medier")
    expect(page.locator("tbody tr").first).to_be_visible()
    assert page_audit(page, axe_violations) == []

    page.get_by_role("link", name="Begär ut allmän handling").click()
    assert page_audit(page, axe_violations) == []
    page.get_by_label("Vilka handlingar vill du ta del av?").fill("Kommentarer om badhuset i maj")
    page.get_by_role("button", name="Skicka begäran").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Begäran mottagen")
    assert page_audit(page, axe_violations) == []
    assert AccessRequest.objects.get().scope == "Kommentarer om badhuset i maj"
