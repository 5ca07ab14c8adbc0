"""The post's way from draft to approval: bad input refused with nothing stored, four eyes, the
accessibility checks before approval, and the sign-language plan."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.choices import Role
from core.exceptions import ApplicationError
from publishing import checks, services
from publishing.choices import PostStatus, TwinPlanStatus
from publishing.models import Post, PostMedia
from tests.channels_app.factories import ChannelFactory, image_file
from tests.publishing.factories import (
    add_image,
    approved,
    captions_file,
    draft,
    in_an_hour,
    video_file,
)

pytestmark = pytest.mark.django_db


def test_a_draft_goes_to_review_and_another_editor_approves_it(facebook, author, approver):
    post = draft(facebook, author, planned_at=in_an_hour())
    add_image(post, author)
    services.post_submit(post=post, actor=author)
    post = services.post_approve(post=post, actor=approver)
    assert post.status == PostStatus.SCHEDULED  # it has a planned time
    assert post.approved_by == approver
    assert [h.status for h in post.history.all()][:3] == ["scheduled", "in_review", "draft"]
    assert post.history.first().history_user == approver


def test_the_author_cannot_approve_their_own_post(facebook, author):
    post = draft(facebook, author)
    add_image(post, author)
    services.post_submit(post=post, actor=author)
    with pytest.raises(ApplicationError, match="En annan redaktör") as error:
        services.post_approve(post=post, actor=author)
    assert error.value.code == "own_post"
    assert Post.objects.get(pk=post.pk).status == PostStatus.IN_REVIEW


def test_only_a_post_in_review_is_approved_and_nothing_unapproved_is_published(
    facebook, author, approver
):
    post = draft(facebook, author)
    with pytest.raises(ApplicationError, match="kan inte godkännas"):
        services.post_approve(post=post, actor=approver)
    with pytest.raises(ApplicationError, match="kan inte publiceras"):
        services.post_publish(post=post, actor=approver)
    services.post_submit(post=post, actor=author)
    with pytest.raises(ApplicationError, match="kan inte publiceras"):
        services.post_publish(post=post, actor=approver)
    assert Post.objects.get(pk=post.pk).status == PostStatus.IN_REVIEW


def test_a_person_without_the_editor_role_may_not_draft_or_approve(facebook, author, make_user):
    moderator = make_user(Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        draft(facebook, moderator)
    post = draft(facebook, author)
    services.post_submit(post=post, actor=author)
    with pytest.raises(PermissionDenied):
        services.post_approve(post=post, actor=moderator)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"planned_at": "past"}, "planned_at"),
        ({"text": "x" * 63207}, "text"),
        ({"text": ""}, "text"),
        ({"link_url": "inte en adress"}, "link_url"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(facebook, author, fields, field):
    if fields.get("planned_at") == "past":
        fields["planned_at"] = timezone.now() - timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        draft(facebook, author, **fields)
    assert field in error.value.message_dict
    assert not Post.objects.exists()


def test_instagram_takes_2200_characters(author):
    instagram = ChannelFactory.create(platform="instagram", platform_account_id="17841400000000001")
    with pytest.raises(ValidationError, match="2200"):
        draft(instagram, author, text="å" * 2201)


def test_a_podcast_channel_takes_no_posts(author):
    with pytest.raises(ValidationError) as error:
        draft(ChannelFactory.create(platform="podcast", role="podcast"), author)
    assert "channel" in error.value.message_dict


def test_media_of_a_type_or_size_the_platform_refuses_is_not_stored(author):
    instagram = ChannelFactory.create(platform="instagram", platform_account_id="17841400000000001")
    post = draft(instagram, author)
    with pytest.raises(ValidationError, match="Instagram"):
        services.post_media_add(
            post=post,
            kind="image",
            file=image_file("bild.png", kind="PNG"),
            alt_text="x",
            actor=author,
        )
    facebook = ChannelFactory.create(platform="facebook", platform_account_id="104857600000001")
    on_facebook = draft(facebook, author)
    with pytest.raises(ValidationError, match="Facebook"):
        services.post_media_add(post=on_facebook, kind="video", file=video_file(), actor=author)
    assert not PostMedia.objects.exists()


def test_captions_that_are_not_webvtt_are_refused(author):
    youtube = ChannelFactory.create(
        platform="youtube", platform_account_id="UCq1w2e3r4t5y6u7i8o9p0aZ"
    )
    post = draft(youtube, author)
    with pytest.raises(ValidationError) as error:
        services.post_media_add(
            post=post,
            kind="video",
            file=video_file(),
            captions=captions_file(b"1\n00:00:01,000 --> 00:00:02,000\nSRT\n", "text.vtt"),
            actor=author,
        )
    assert "captions" in error.value.message_dict
    media = services.post_media_add(
        post=post, kind="video", file=video_file(), captions=captions_file(), actor=author
    )
    assert media.captions


def test_an_image_without_alt_text_cannot_be_approved(facebook, author, approver):
    post = draft(facebook, author)
    add_image(post, author, alt_text="")
    services.post_submit(post=post, actor=author)
    with pytest.raises(ApplicationError, match="saknar alternativtext") as error:
        services.post_approve(post=post, actor=approver)
    assert error.value.code == "checks_failed"


def test_a_video_without_captions_cannot_be_approved(author, approver):
    youtube = ChannelFactory.create(
        platform="youtube", platform_account_id="UCq1w2e3r4t5y6u7i8o9p0aZ"
    )
    post = draft(youtube, author)
    services.post_media_add(post=post, kind="video", file=video_file(), actor=author)
    services.post_submit(post=post, actor=author)
    with pytest.raises(ApplicationError, match="saknar undertexter"):
        services.post_approve(post=post, actor=approver)


@pytest.mark.parametrize("link_text", ["här", "Klicka här", "läs mer"])
def test_a_link_text_that_says_nothing_blocks_approval(facebook, author, approver, link_text):
    post = draft(facebook, author, link_url="https://www.orebro.se/skridsko", link_text=link_text)
    services.post_submit(post=post, actor=author)
    with pytest.raises(ApplicationError, match="säger inte vart"):
        services.post_approve(post=post, actor=approver)


def test_a_hard_text_gets_a_readability_hint_above_the_editors_limit(facebook, author, approver):
    hard = (
        "Kommunfullmäktiges budgetöverläggningar beträffande verksamhetsutvecklingsinsatser "
        "inom samhällsbyggnadsförvaltningen fortsätter, varvid konsekvensbeskrivningar "
        "redovisas."
    )
    post = draft(facebook, author, text=hard, lix_limit=40)
    (hint,) = [f for f in checks.post_findings(post) if f.code == "readability"]
    assert not hint.blocking
    assert "LIX" in hint.message
    assert checks.lix(hard) > 40
    assert checks.lix("Vi öppnar i dag. Alla är välkomna.") < 30
    services.post_submit(post=post, actor=author)
    services.post_approve(post=post, actor=approver)  # a hint does not stop approval


def test_a_channel_without_a_token_says_so_before_approval(author):
    unconnected = ChannelFactory.create(platform="facebook", platform_account_id="104857600000009")
    post = draft(unconnected, author)
    (right,) = [f for f in checks.post_findings(post) if f.code == "publishing_right"]
    assert "åtkomsttoken" in right.message


def test_changing_an_approved_post_takes_it_back_to_draft_and_clears_approval(
    facebook, author, approver
):
    post = approved(facebook, author, approver)
    with pytest.raises(ApplicationError, match="Bara ett utkast"):
        services.post_update(post=post, text="Ändrad text.", actor=author)
    post = services.post_reopen(post=post, actor=author)
    assert (post.status, post.approved_by) == (PostStatus.DRAFT, None)
    services.post_update(post=post, text="Ändrad text.", actor=author)


def test_a_withdrawal_needs_a_reason(facebook, author, approver):
    post = approved(facebook, author, approver)
    with pytest.raises(ValidationError):
        services.post_withdraw(post=post, reason=" ", actor=approver)
    post = services.post_withdraw(post=post, reason="Evenemanget är inställt.", actor=approver)
    assert post.status == PostStatus.WITHDRAWN


def test_a_post_on_a_channel_with_a_sign_language_twin_gets_a_plan(
    facebook, signing, author, approver
):
    post = approved(facebook, author, approver, planned_at=in_an_hour())
    plan = post.twin_plan
    assert plan.twin_channel == signing
    assert plan.status == TwinPlanStatus.OPEN
    assert plan.due_on > timezone.localdate(post.planned_at)
    with pytest.raises(ValidationError):
        services.twin_plan_decline(plan=plan, reason="", actor=author)
    services.twin_plan_decline(plan=plan, reason="Tolken är sjuk denna vecka.", actor=author)
    with pytest.raises(ApplicationError):
        services.twin_plan_decline(plan=plan, reason="Igen.", actor=author)


def test_a_post_without_twin_gets_no_plan(facebook, author, approver):
    post = approved(facebook, author, approver)
    assert not hasattr(Post.objects.get(pk=post.pk), "twin_plan")


def test_the_signed_version_must_be_on_the_twin_account(facebook, signing, author, approver):
    plan = approved(facebook, author, approver).twin_plan
    other = draft(facebook, author)
    with pytest.raises(ValidationError):
        services.twin_plan_record(plan=plan, signed_post=other, actor=author)
    signed = draft(signing, author, text="Teckenspråkig version: skridskobanan öppnar.")
    plan = services.twin_plan_record(plan=plan, signed_post=signed, actor=author)
    assert plan.status == TwinPlanStatus.DONE
