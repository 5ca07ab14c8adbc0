"""The moderator's main journey in a real browser: sign in with two-factor authentication,
work the queue by keyboard (claim, hide and remove dialogs, a rationale confirmed with Enter),
move on to the next item, and find the police-report checklist a removal opened where the
next person looks for it. axe-core checks every page at 1280 and 320 px."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.services import system_user
from moderation import seed
from moderation.choices import ItemState
from moderation.models import Decision, Item, PoliceReportChecklist
from moderation.services import moderation_item_intake
from tests.browser.audit import page_audit
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def queue(db):
    seed._grounds()
    seed._reply_templates()
    channel = ChannelFactory.create(connected=True, name="Örebro kommun", platform_account_id="")
    threat = moderation_item_intake(
        channel=channel,
        item=normalized(channel, text="Jag ska skjuta er på kontoret i morgon", author_id="7001"),
        actor=system_user(),
    ).item
    question = moderation_item_intake(
        channel=channel,
        item=normalized(channel, text="När öppnar badhuset efter renoveringen?", author_id="7002"),
        actor=system_user(),
    ).item
    return threat, question


def test_the_moderator_removes_a_threat_and_the_checklist_is_where_the_next_person_looks(
    page, login_with_mfa, axe_violations, moderator, queue
):
    threat, question = queue
    login_with_mfa(moderator)
    page.goto("/admin/moderation/item/queue/")
    assert page.get_by_role("heading", name="Modereringskö").is_visible()
    assert page_audit(page, axe_violations) == []
    if os.environ.get("SAVE_SCREENSHOTS"):  # README's picture of the moderator's start page
        page.screenshot(path=SCREENSHOTS / "moderator.png")
    with page.expect_navigation():
        page.get_by_role("link", name="Jag ska skjuta er").click()

    with page.expect_navigation():
        page.keyboard.press("c")
    assert Item.objects.get(pk=threat.pk).claimed_by_id == moderator.pk

    # The hide and remove dialogs do not offer a block end: only blocking blocks.
    page.keyboard.press("h")
    dialog = page.locator("#mq-dialog")
    ends = dialog.locator("#mq-ends")
    assert dialog.get_by_role("heading", name="Dölj, med grund").is_visible()
    expect(ends).to_be_hidden()
    assert page_audit(page, axe_violations) == []
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()  # closed before the next shortcut is read
    page.keyboard.press("s")
    expect(ends).to_be_visible()
    assert ends.inner_text() == "Blockeringen upphör (valfritt)"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()  # closed before the next shortcut is read

    page.keyboard.press("r")
    expect(ends).to_be_hidden()
    page.keyboard.press("1")  # the first published rule: olaga hot, to be reported
    assert page.locator("#ground-threat-incitement").is_checked()
    rationale = dialog.get_by_label("Motivering", exact=True)
    rationale.click()
    rationale.type("Hot mot personalen.")
    page.keyboard.press("Shift+Enter")  # a new line, not a decision
    rationale.type("Polisanmäls.")
    assert not Decision.objects.exists()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    decision = Decision.objects.get(item=threat, action="remove")
    assert decision.rationale.splitlines() == ["Hot mot personalen.", "Polisanmäls."]
    assert Item.objects.get(pk=threat.pk).state == ItemState.REMOVED
    # The page moved on to the next item and says what the removal opened.
    assert f"/queue/{question.pk}/" in page.url
    checklist = PoliceReportChecklist.objects.get(decision=decision)
    assert page.get_by_text("Grunden ska polisanmälas: en checklista är öppnad.").is_visible()
    assert page.get_by_role("link", name=str(checklist)).first.is_visible()
    assert page_audit(page, axe_violations) == []

    with page.expect_navigation():
        page.get_by_role("link", name="Tillbaka till det beslutade inlägget").click()
    assert page_audit(page, axe_violations) == []
    with page.expect_navigation():
        page.locator(".mq-checklist").get_by_role("link", name=str(checklist)).click()
    assert page.get_by_role("heading", level=2, name=str(checklist)).is_visible()
    assert page_audit(page, axe_violations) == []
    page.get_by_label("Bevis säkrat (inlägg, metadata och plattforms-id)").check()
    page.get_by_label("Polisanmält").check()
    page.get_by_label("Polisens diarienummer").fill("5000-K123456-26")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara", exact=True).click()
    assert PoliceReportChecklist.objects.get().completed_at is not None
    assert page_audit(page, axe_violations) == []
