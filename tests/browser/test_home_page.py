"""The public "Sociala medier" page in a real Chromium: WCAG 2.1 AA by axe-core, on a wide and
on a narrow (phone) viewport."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from channels_app.choices import ArchivePhotoStatus
from channels_app.models import Channel
from tests.channels_app.factories import ArchivePhotoFactory, RelayWeekFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded():
    """The page's data, with this week's relay host and Tillbakablick photo."""
    call_command("seed")
    iso = timezone.localdate().isocalendar()
    RelayWeekFactory.create(
        channel=Channel.objects.get(slug="instagram-orebrokommun"),
        iso_year=iso.year,
        iso_week=iso.week,
        host_name="Anna Berg",
        topic="Parkerna i höst",
    )
    ArchivePhotoFactory.create(
        channel=Channel.objects.get(slug="instagram-tborebro"),
        planned_year=iso.year,
        planned_week=iso.week,
        status=ArchivePhotoStatus.SCHEDULED,
        caption="Stortorget en marknadsdag 1932.",
    )


def test_home_page_is_accessible(page, axe_violations, seeded):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Sociala medier"
    assert page.get_by_role("heading", name="Poddar").is_visible()
    assert page.locator("ul.rules li").count() == 8
    assert page.get_by_text("Veckans värd:").is_visible()
    assert page.get_by_alt_text("Stortorget en marknadsdag 1932.").count() == 1
    assert axe_violations(page) == []


def test_home_page_fits_a_phone(page, axe_violations, seeded):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert page.get_by_role("main").get_by_role("link", name="019-21 10 00").is_visible()
    assert axe_violations(page) == []


def test_skip_link_reaches_the_content(page, seeded):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
