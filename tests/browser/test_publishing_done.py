"""Issue 20's "Done when", as on ``make run`` (the platforms answering from their recordings):
one editor drafts a post with an image and its alt text for the Facebook account, a second
editor approves it, it goes out at its time, shows as published in the calendar, stands in the
register as a drawn-up entry, and the sign-language plan is open with its due date. Every page
passes axe-core."""

import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import formats, timezone, translation
from PIL import Image
from playwright.sync_api import expect

from accounts.choices import Role
from channels_app.choices import ChannelRole
from publishing import tasks
from publishing.choices import PostStatus
from publishing.models import Post
from tests.browser.audit import page_audit
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import FIXTURES
from tests.publishing.conftest import PAGE, connect

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Nu öppnar skridskobanan på Stortorget!"


@pytest.fixture
def photo() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "skridskor.jpg"
        Image.new("RGB", (800, 600), (30, 90, 160)).save(path, "JPEG")
        yield path


def test_a_post_drafted_and_approved_goes_out_at_its_time_and_is_registered(
    page, axe_violations, login, make_user, photo, settings
):
    settings.PLATFORMS_RECORDED_ANSWERS = str(FIXTURES)  # as the local settings have it
    facebook = connect(
        ChannelFactory.create(
            slug="facebook-orebro-kommun", name="Örebro kommun", platform_account_id=PAGE
        )
    )
    twin = ChannelFactory.create(
        name="Örebro kommun – Teckenspråk",
        role=ChannelRole.SIGN_LANGUAGE,
        sign_language_counterpart=facebook,
    )
    author = make_user(Role.EDITOR, name="Anna Andersson")
    approver = make_user(Role.EDITOR, name="Bertil Berg")
    registrar = make_user(Role.REGISTRAR, name="Cecilia Carlsson")
    planned = timezone.localtime(timezone.now() + timedelta(minutes=30)).replace(microsecond=0)

    login(author.email)
    page.goto("/admin/publishing/post/add/")
    page.locator("#id_channel").select_option(label=str(facebook))
    page.locator("#id_text").fill(TEXT)
    page.locator("#id_planned_at_0").fill(planned.strftime("%Y-%m-%d"))
    page.locator("#id_planned_at_1").fill(planned.strftime("%H:%M:%S"))
    page.locator("#id_media-0-kind").select_option("image")
    page.locator("#id_media-0-file").set_input_files(str(photo))
    page.locator("#id_media-0-alt_text").fill("Barn åker skridskor på Stortorget")
    page.locator("input[name=_continue]").click()
    expect(page.get_by_text("Kanalen saknar åtkomsttoken", exact=False)).to_have_count(0)
    assert page_audit(page, axe_violations) == []
    page.get_by_role("button", name="Skicka för granskning").click()
    expect(page.locator(".messagelist")).to_contain_text("granskas")
    post = Post.objects.get()

    page.context.clear_cookies()
    login(approver.email)
    page.goto(f"/admin/publishing/post/{post.pk}/change/")
    page.get_by_role("button", name="Godkänn").click()
    expect(page.locator(".messagelist")).to_contain_text("planerad")
    post.refresh_from_db()
    assert (post.status, post.approved_by) == (PostStatus.SCHEDULED, approver)

    # The clock reaches the planned time; beat's minute task sends what is due.
    Post.objects.filter(pk=post.pk).update(planned_at=timezone.now() - timedelta(seconds=1))
    assert tasks.posts_send_due() == 1
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.external_id.startswith(f"{PAGE}_")

    page.reload()
    expect(page.locator("#content")).to_contain_text(post.permalink)
    assert page_audit(page, axe_violations) == []
    page.goto(f"/admin/publishing/post/calendar/?date={timezone.localdate().isoformat()}")
    entry = page.locator("li", has=page.get_by_role("link", name=TEXT))
    expect(entry).to_contain_text("Publicerad")
    assert page_audit(page, axe_violations) == []

    page.goto("/admin/publishing/twinplan/")
    row = page.locator("tr", has_text=TEXT)
    expect(row).to_contain_text(str(twin))
    expect(row).to_contain_text("Ska spelas in")
    due = post.twin_plan.due_on
    assert due > timezone.localdate()
    with translation.override("sv"):
        expect(row).to_contain_text(formats.date_format(due))
    assert page_audit(page, axe_violations) == []

    page.context.clear_cookies()
    login(registrar.email)
    page.goto(f"/admin/records/record/{post.record_id}/change/")
    expect(page.locator("#content")).to_contain_text("Upprättad")
    expect(page.locator("#content")).to_contain_text(post.external_id)
    expect(page.locator("#id_subject")).to_have_value(
        f"Inlägget ”{TEXT}” på Facebook (Örebro kommun)"
    )
    assert page_audit(page, axe_violations) == []
