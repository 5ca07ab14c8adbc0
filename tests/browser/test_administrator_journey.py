"""The administrator's main journey in a real browser: sign in with two-factor authentication,
invite a new moderator, and follow the invitation as the new person does: choose a first
password, sign in, and land on setting up two-factor authentication. axe-core checks every
page at 1280 and 320 px."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.choices import Role
from accounts.models import User
from tests.browser.audit import page_audit

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "Snöröjning i Adolfsberg 2026"


def test_the_administrator_invites_a_moderator_who_sets_a_password_and_signs_in(
    page, login_with_mfa, axe_violations, administrator
):
    login_with_mfa(administrator)
    page.goto("/admin/accounts/user/")
    expect(page.get_by_role("link", name=administrator.email)).to_be_visible()
    assert page_audit(page, axe_violations) == []
    if os.environ.get("SAVE_SCREENSHOTS"):  # README's picture of the administrator's start page
        page.screenshot(path=SCREENSHOTS / "administrator.png")

    with page.expect_navigation():
        page.get_by_role("link", name="Lägg till användare").first.click()
    assert page_audit(page, axe_violations) == []
    page.get_by_label("E-postadress").fill("ny.moderator@orebro.se")
    page.get_by_label("Namn").fill("Nora Nyström")
    page.get_by_label("Förvaltning").fill("Kommunledningsförvaltningen")
    page.get_by_label("Moderator").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Spara", exact=True).click()
    sent = page.get_by_text("En inbjudan har skickats till ny.moderator@orebro.se.")
    expect(sent).to_be_visible()
    assert page_audit(page, axe_violations) == []
    invited = User.objects.get(email="ny.moderator@orebro.se")
    assert list(invited.groups.values_list("name", flat=True)) == [Role.MODERATOR]

    # The invited person opens the e-mailed link in their own browser.
    (invitation,) = [m for m in mail.outbox if m.subject.startswith("Inbjudan")]
    link = re.search(r"https?://\S+", str(invitation.body))
    assert link is not None
    page.context.clear_cookies()
    page.goto("/" + link.group(0).split("/", 3)[3])
    expect(page.get_by_role("heading", level=1, name="Välj ditt lösenord")).to_be_visible()
    assert page.title().startswith("Välj ditt lösenord")
    assert page_audit(page, axe_violations) == []
    page.get_by_label("Nytt lösenord:", exact=True).fill(PASSWORD)
    page.get_by_label("Nytt lösenord (igen):", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_role("heading", level=1, name="Ditt lösenord är sparat")).to_be_visible()
    assert page_audit(page, axe_violations) == []

    with page.expect_navigation():
        page.get_by_role("link", name="Logga in").last.click()
    page.get_by_label("E-postadress").fill("ny.moderator@orebro.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()
    page.goto("/admin/moderation/item/queue/")
    # Where the new moderator lands: two-factor authentication is set up before any staff page.
    assert "/accounts/2fa/" in page.url
    assert page_audit(page, axe_violations) == []
