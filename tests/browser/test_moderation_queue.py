"""The moderator's queue in a real browser: keyboard only, Swedish, and axe-clean."""

import pytest

from accounts.services import system_user
from moderation import seed
from moderation.choices import ItemState
from moderation.models import Decision, Item
from moderation.services import moderation_item_intake
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue_item(db):
    seed._grounds()
    seed._reply_templates()
    channel = ChannelFactory.create(connected=True, name="Örebro kommun", platform_account_id="")
    moderation_item_intake(
        channel=channel,
        item=normalized(channel, text="Tack för snöröjningen i Adolfsberg! ❄️"),
        actor=system_user(),
    )
    return moderation_item_intake(
        channel=channel,
        item=normalized(channel, text="Ni är ena jävla idioter allihop, ring 070-123 45 67"),
        actor=system_user(),
    ).item


def test_claim_by_keyboard_and_remove_with_a_ground(
    page, login, moderator, queue_item, axe_violations
):
    login(moderator.email)
    page.goto(f"/admin/moderation/item/queue/{queue_item.pk}/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", name="Modereringskö").is_visible()
    assert axe_violations(page) == []

    page.keyboard.press("?")
    assert page.locator("#mq-help").is_visible()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")

    with page.expect_navigation():
        page.keyboard.press("c")
    assert page.get_by_text("Du har tagit inlägget i tio minuter.").is_visible()
    assert Item.objects.get(pk=queue_item.pk).claimed_by_id == moderator.pk

    page.keyboard.press("r")
    dialog = page.locator("#mq-dialog")
    assert dialog.is_visible()
    assert dialog.get_by_role("heading", name="Ta bort, med grund").is_visible()
    assert axe_violations(page) == []
    page.keyboard.press("3")  # the third published rule: kränkningar … trakasserier
    assert page.locator("#ground-harassment").is_checked()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Beslut registrerat: ta bort.").is_visible()

    item = Item.objects.get(pk=queue_item.pk)
    assert item.state == ItemState.REMOVED
    decision = Decision.objects.get(item=item, action="remove")
    assert list(decision.grounds.values_list("code", flat=True)) == ["harassment"]
    assert item.record is not None
    assert item.record.number  # registered in the register
    assert axe_violations(page) == []


def test_j_and_k_move_through_the_queue(page, login, moderator, queue_item):
    login(moderator.email)
    page.goto("/admin/moderation/item/queue/")
    first = page.locator(".mq-current a").inner_text()
    with page.expect_navigation():
        page.keyboard.press("j")
    assert page.locator(".mq-current a").inner_text() != first
    with page.expect_navigation():
        page.keyboard.press("k")
    assert page.locator(".mq-current a").inner_text() == first


def test_metrics_page_is_accessible(page, login, moderator, queue_item, axe_violations):
    login(moderator.email)
    page.goto("/admin/moderation/item/metrics/")
    assert page.locator("svg.mq-chart").is_visible()
    assert axe_violations(page) == []


def test_the_issue_done_when(page, login, make_user, queue_item, axe_violations):
    """Claim by keyboard, remove with a ground, see it registered, block the author, see the
    metrics count it; another moderator reconsiders."""
    from accounts.choices import Role
    from moderation.models import Block, Reconsideration

    first, second = make_user(Role.MODERATOR), make_user(Role.MODERATOR)
    login(first.email)
    page.goto(f"/admin/moderation/item/queue/{queue_item.pk}/")
    with page.expect_navigation():
        page.keyboard.press("c")
    page.keyboard.press("r")
    page.keyboard.press("3")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    record = Item.objects.get(pk=queue_item.pk).record
    assert record is not None
    with page.expect_navigation():
        page.get_by_role("link", name="Tillbaka till det beslutade inlägget").click()
    assert page.get_by_role("link", name=record.number).is_visible()

    page.keyboard.press("s")
    assert (
        page.locator("#mq-dialog")
        .get_by_role("heading", name="Blockera författaren, med grund")
        .is_visible()
    )
    page.keyboard.press("3")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Beslut registrerat: blockera författaren.").is_visible()
    assert Block.objects.get().author == queue_item.author

    page.goto("/admin/moderation/item/metrics/")
    per_channel = page.get_by_role("table", name="Borttagna per kanal")
    row = per_channel.get_by_role("row").filter(has_text="Örebro kommun")
    assert row.get_by_role("cell").nth(1).inner_text() == "1"

    page.context.clear_cookies()
    login(second.email)
    page.goto(f"/admin/moderation/item/queue/{queue_item.pk}/")
    page.locator("details.mq-reconsider summary").first.click()
    form = page.locator("details.mq-reconsider").first
    form.get_by_label("Står fast").check()
    form.get_by_label("Motivering").fill("Personangrepp, rätt bedömt.")
    with page.expect_navigation():
        form.get_by_role("button", name="Registrera omprövningen").click()
    assert page.get_by_text("Omprövningen är registrerad.").is_visible()
    reconsideration = Reconsideration.objects.get()
    assert reconsideration.moderator == second
    assert axe_violations(page) == []
