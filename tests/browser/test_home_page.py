"""The public "Sociala medier" page in a real Chromium: WCAG 2.1 AA by axe-core, on a wide and
on a narrow (phone) viewport."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded():
    call_command("seed")


def test_home_page_is_accessible(page, axe_violations, seeded):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Sociala medier"
    assert page.get_by_role("heading", name="Poddar").is_visible()
    assert page.locator("ul.rules li").count() == 8
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
