"""Two editors through the real admin: one drafts a post with an image and its alt text and sends
it for review, the other approves it; the post, the sign-language plan and the calendar (week
and month, reached by keyboard) pass axe-core at 1280 and 320 px."""

import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.choices import Role
from channels_app.choices import ChannelRole
from publishing.choices import PostStatus
from publishing.models import Post
from tests.browser.audit import page_audit
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def photo() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "skridskor.jpg"
        Image.new("RGB", (800, 600), (30, 90, 160)).save(path, "JPEG")
        yield path


def test_a_post_is_drafted_approved_and_planned_in_the_calendar(
    page, axe_violations, login, make_user, photo
):
    facebook = ChannelFactory.create(name="Örebro kommun", platform_account_id="104857600000001")
    ChannelFactory.create(
        name="Örebro kommun – Teckenspråk",
        role=ChannelRole.SIGN_LANGUAGE,
        sign_language_counterpart=facebook,
    )
    author = make_user(Role.EDITOR, name="Anna Andersson")
    approver = make_user(Role.EDITOR, name="Bertil Berg")
    planned = timezone.localtime(timezone.now() + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )

    login(author.email)
    page.goto("/admin/publishing/post/add/")
    assert page_audit(page, axe_violations) == []
    page.locator("#id_channel").select_option(label=str(facebook))
    page.locator("#id_text").fill("Nu öppnar skridskobanan på Stortorget!")
    page.locator("#id_planned_at_0").fill(planned.strftime("%Y-%m-%d"))
    page.locator("#id_planned_at_1").fill("10:00:00")
    page.locator("#id_media-0-kind").select_option("image")
    page.locator("#id_media-0-file").set_input_files(str(photo))
    page.locator("#id_media-0-alt_text").fill("Barn åker skridskor på Stortorget")
    page.locator("input[name=_continue]").click()
    expect(page.get_by_text("Kanalen saknar åtkomsttoken", exact=False)).to_be_visible()
    assert page_audit(page, axe_violations) == []
    page.get_by_role("button", name="Skicka för granskning").click()
    expect(page.locator(".messagelist")).to_contain_text("granskas")
    post = Post.objects.get()
    assert post.status == PostStatus.IN_REVIEW

    page.context.clear_cookies()
    login(approver.email)
    page.goto(f"/admin/publishing/post/{post.pk}/change/")
    page.get_by_role("button", name="Godkänn").click()
    expect(page.locator(".messagelist")).to_contain_text("planerad")
    assert page_audit(page, axe_violations) == []
    page.get_by_role("link", name="Örebro kommun – Teckenspråk").click()
    assert page_audit(page, axe_violations) == []

    page.goto(f"/admin/publishing/post/calendar/?date={planned.date().isoformat()}")
    assert page_audit(page, axe_violations) == []
    link = page.get_by_role("link", name="Nu öppnar skridskobanan på Stortorget!")
    expect(link).to_be_visible()
    for _step in range(60):  # the post is reached with the keyboard
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("The post in the calendar cannot be reached with Tab.")
    page.get_by_role("link", name="Visa månad").click()
    expect(link).to_be_visible()
    assert page_audit(page, axe_violations) == []
    link.click()
    expect(page.locator("#id_withdraw_reason")).to_be_visible()
