"""/insyn/ and the request for reconsideration in a real browser at desktop and phone widths,
checked by axe-core."""

import pytest

from accounts.choices import Role
from accounts.services import system_user
from moderation import seed, services
from moderation.models import Item, ReconsiderationRequest
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = [1280, 320]
LINK = "https://www.facebook.com/orebrokommun/posts/1?comment_id=7"


@pytest.fixture
def moderated(make_user):
    """Five comments on a channel, four hidden by one moderator; one of them has a link."""
    seed._grounds()
    seed._reply_templates()
    moderator = make_user(Role.MODERATOR)
    make_user(Role.MODERATOR)  # another moderator, to reconsider
    channel = ChannelFactory.create(connected=True, name="Örebro kommun")
    items = [
        services.moderation_item_intake(
            channel=channel, item=normalized(channel), actor=system_user()
        ).item
        for _ in range(5)
    ]
    Item.objects.filter(pk=items[0].pk).update(permalink=LINK)
    for item in items[:4]:
        services.item_claim(item=item, actor=moderator)
        services.item_decide(item=item, action="hide", ground_codes=["harassment"], actor=moderator)
    return channel


@pytest.mark.parametrize("width", WIDTHS)
def test_public_account_is_accessible(page, axe_violations, moderated, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    page.get_by_role("link", name="Insyn i modereringen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Insyn i modereringen"
    assert page.get_by_role("img", name="Kommentarer per månad").is_visible()
    assert page.get_by_role("cell", name="färre än 3").first.is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_reconsideration_form_is_accessible(page, axe_violations, moderated, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/insyn/")
    page.get_by_role("link", name="Begär omprövning av ett beslut om din kommentar").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []
    page.get_by_label("Länk till din kommentar").fill("https://www.facebook.com/annan/posts/9")
    page.get_by_role("button", name="Skicka begäran").click()
    page.wait_for_load_state()
    assert page.get_by_text("Vi har ingen kommentar med den här länken").is_visible()
    assert axe_violations(page) == []
    assert not ReconsiderationRequest.objects.exists()
    page.get_by_label("Länk till din kommentar").fill(LINK)
    page.get_by_role("button", name="Skicka begäran").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Begäran mottagen"
    assert axe_violations(page) == []
    assert ReconsiderationRequest.objects.count() == 1
