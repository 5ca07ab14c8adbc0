"""The editors' admin: a post drafted with its image, the checks and the steps on its page, four
eyes, a refusal shown on the form with nothing stored, the sign-language plan, and the calendar
across channels."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from publishing.choices import PostStatus, TwinPlanStatus
from publishing.models import Post
from tests.channels_app.factories import ArchivePhotoFactory, RelayWeekFactory, image_file
from tests.podcasts.factories import EpisodeFactory
from tests.publishing.factories import approved, draft, in_an_hour

pytestmark = pytest.mark.django_db
ADD = reverse("admin:publishing_post_add")
CALENDAR = reverse("admin:publishing_post_calendar")


def media_management(total: int = 1, initial: int = 0) -> dict[str, object]:
    return {
        "media-TOTAL_FORMS": total,
        "media-INITIAL_FORMS": initial,
        "media-MIN_NUM_FORMS": 0,
        "media-MAX_NUM_FORMS": 1000,
    }


def change_url(post: Post) -> str:
    return reverse("admin:publishing_post_change", args=[post.pk])


def test_an_editor_drafts_a_post_with_an_image_and_alt_text(client, facebook, author):
    client.force_login(author)
    planned = timezone.localtime(in_an_hour())
    response = client.post(
        ADD,
        {
            "channel": facebook.pk,
            "text": "Nu öppnar skridskobanan.",
            "link_url": "",
            "link_text": "",
            "planned_at_0": planned.strftime("%Y-%m-%d"),
            "planned_at_1": planned.strftime("%H:%M:%S"),
            "lix_limit": 40,
            **media_management(),
            "media-0-kind": "image",
            "media-0-file": image_file(),
            "media-0-alt_text": "Barn åker skridskor",
            "media-0-order": 0,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get()
    assert (post.author, post.status) == (author, PostStatus.DRAFT)
    assert post.media.get().alt_text == "Barn åker skridskor"
    page = client.get(change_url(post)).content.decode()
    assert "Inget hindrar godkännande." in page
    assert "Skicka för granskning" in page


def test_a_planned_time_in_the_past_is_shown_on_the_form_and_nothing_is_stored(
    client, facebook, author
):
    client.force_login(author)
    past = timezone.localtime(timezone.now() - timedelta(days=1))
    response = client.post(
        ADD,
        {
            "channel": facebook.pk,
            "text": "För sent.",
            "planned_at_0": past.strftime("%Y-%m-%d"),
            "planned_at_1": past.strftime("%H:%M:%S"),
            "lix_limit": 40,
            **media_management(0),
        },
    )
    assert response.status_code == 200
    assert "Den planerade tiden har redan passerat." in response.content.decode()
    assert not Post.objects.exists()


def test_the_steps_on_the_post_page_and_four_eyes(client, facebook, signing, author, approver):
    post = draft(facebook, author, planned_at=in_an_hour())
    from tests.publishing.factories import add_image

    add_image(post, author)
    client.force_login(author)
    client.post(change_url(post), {"_step": "submit"})
    assert Post.objects.get(pk=post.pk).status == PostStatus.IN_REVIEW
    response = client.post(change_url(post), {"_step": "approve"}, follow=True)
    assert "En annan redaktör än författaren måste godkänna inlägget." in response.content.decode()
    client.force_login(approver)
    response = client.post(change_url(post), {"_step": "approve"}, follow=True)
    assert Post.objects.get(pk=post.pk).status == PostStatus.SCHEDULED
    page = response.content.decode()
    assert "Örebro kommun – Teckenspråk" in page  # the plan, with its due date
    assert "Dra tillbaka" in page


def test_a_withdrawal_from_the_page_needs_its_reason(client, facebook, author, approver):
    post = approved(facebook, author, approver)
    client.force_login(approver)
    response = client.post(
        change_url(post), {"_step": "withdraw", "withdraw_reason": ""}, follow=True
    )
    assert "Ange varför inlägget dras tillbaka." in response.content.decode()
    client.post(change_url(post), {"_step": "withdraw", "withdraw_reason": "Inställt."})
    assert Post.objects.get(pk=post.pk).status == PostStatus.WITHDRAWN


def test_an_editor_records_why_there_is_no_signed_version(
    client, facebook, signing, author, approver
):
    plan = approved(facebook, author, approver).twin_plan
    client.force_login(author)
    url = reverse("admin:publishing_twinplan_change", args=[plan.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"signed_post": "", "reason": "Ingen tolk denna vecka."})
    plan.refresh_from_db()
    assert (plan.status, plan.reason) == (TwinPlanStatus.DECLINED, "Ingen tolk denna vecka.")


def test_the_calendar_shows_posts_relay_hosts_tillbakablick_and_episodes(
    client, facebook, author, approver
):
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    iso = monday.isocalendar()
    approved(
        facebook,
        author,
        approver,
        text="Julmarknad på Stortorget.",
        planned_at=timezone.make_aware(datetime.combine(monday + timedelta(days=2), time.min))
        + timedelta(hours=10),
    )
    RelayWeekFactory.create(iso_year=iso.year, iso_week=iso.week, host_name="Sara Lind")
    ArchivePhotoFactory.create(
        title="Stortorget 1952", planned_year=iso.year, planned_week=iso.week, status="scheduled"
    )
    episode = EpisodeFactory.create(publish=False, title="Vardagshjälten på återvinningen")
    from accounts.services import system_user
    from podcasts import services as podcast_services

    podcast_services.episode_schedule(
        episode=episode,
        publish_at=timezone.make_aware(datetime.combine(monday, time.min)) + timedelta(hours=6),
        actor=system_user(),
    )
    client.force_login(author)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(CALENDAR, {"date": monday.isoformat()}).content.decode()
    for text in ("Julmarknad på Stortorget.", "Sara Lind", "Stortorget 1952", "Vardagshjälten"):
        assert text in page
    assert f"Vecka {iso.week}" in page
    assert "10:00" in page
    month = client.get(CALENDAR, {"view": "month", "date": monday.isoformat()}).content.decode()
    assert "Julmarknad på Stortorget." in month
    assert len(queries) < 20


def test_the_calendar_takes_a_bad_date_as_today(client, author):
    client.force_login(author)
    assert client.get(CALENDAR, {"date": "inte-ett-datum"}).status_code == 200


def test_an_image_the_platform_refuses_is_shown_on_the_form_and_nothing_is_stored(client, author):
    from tests.factories import ChannelFactory
    from tests.publishing.conftest import connect

    instagram = connect(
        ChannelFactory.create(platform="instagram", platform_account_id="17841400000000001")
    )
    client.force_login(author)
    response = client.post(
        ADD,
        {
            "channel": instagram.pk,
            "text": "Bild i fel format.",
            "lix_limit": 40,
            **media_management(),
            "media-0-kind": "image",
            "media-0-file": image_file("bild.png", kind="PNG"),
            "media-0-alt_text": "En bild",
            "media-0-order": 0,
        },
    )
    assert response.status_code == 200
    assert "Instagram tar inte emot bild.png" in response.content.decode()
    assert not Post.objects.exists()
