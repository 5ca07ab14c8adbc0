"""The sign-language parity per month: on the moderators' metrics page and on /insyn/."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from publishing import selectors, services
from publishing.choices import PostStatus
from publishing.models import Post
from tests.publishing.factories import approved, draft

pytestmark = pytest.mark.django_db


def published(post: Post, at) -> Post:
    """As the sender leaves a post the platform took (the sending is tested on its own)."""
    Post.objects.filter(pk=post.pk).update(status=PostStatus.PUBLISHED, published_at=at)
    return Post.objects.get(pk=post.pk)


@pytest.fixture
def month_of_posts(facebook, signing, author, approver):
    now = timezone.make_aware(datetime(timezone.localdate().year, 6, 12, 10, 0))
    first = published(approved(facebook, author, approver), now - timedelta(days=3))
    second = published(approved(facebook, author, approver), now - timedelta(days=2))
    published(approved(facebook, author, approver), now - timedelta(days=1))
    signed = published(draft(signing, author, text="Teckenspråkig version."), now)
    services.twin_plan_record(plan=first.twin_plan, signed_post=signed, actor=author)
    services.twin_plan_decline(plan=second.twin_plan, reason="Ingen tolk.", actor=author)
    return now


def test_the_parity_counts_posts_signed_versions_and_the_median_delay(month_of_posts):
    (row,) = selectors.twin_parity(year=timezone.localdate(month_of_posts).year)
    assert (row.posts, row.signed, row.declined, row.share) == (3, 1, 1, 33)
    assert row.median_days == 3.0


def test_the_metrics_page_and_insyn_show_the_parity(client, moderator, month_of_posts):
    client.force_login(moderator)
    metrics = client.get(reverse("admin:moderation_metrics")).content.decode()
    assert "Teckenspråkiga versioner av våra inlägg" in metrics
    assert "33 %" in metrics
    client.logout()
    public = client.get("/insyn/").content.decode()
    assert "Teckenspråkiga versioner av våra inlägg" in public
    assert "33 %" in public
