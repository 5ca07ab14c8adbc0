"""Every write to posts, their media and their sign-language plans, and the workflow steps
(publishing.workflow): four eyes (the approver is never the author), the accessibility checks
before approval, and the sign-language plan a post on a channel with a twin gets."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from accounts.permissions import permission_require
from channels_app.choices import ChannelRole, ChannelStatus
from channels_app.models import Channel
from core.actors import model_delete, model_save
from core.dispatch import dispatch_on_commit
from core.exceptions import ApplicationError
from core.workdays import next_working_day
from publishing import checks
from publishing.choices import PostStatus, TwinPlanStatus
from publishing.models import Post, PostMedia, TwinPlan
from publishing.workflow import EDITABLE, STEPS

POST_FIELDS = frozenset({"channel", "text", "link_url", "link_text", "planned_at", "lix_limit"})
MEDIA_FIELDS = frozenset({"kind", "file", "alt_text", "captions", "order"})
TWIN_WORKING_DAYS = 5  # the signed version is due a working week after the post goes out


def _planned_check(planned_at: datetime | None) -> None:
    if planned_at is not None and planned_at <= timezone.now():
        raise ValidationError({"planned_at": _("The planned time has already passed.")})


def post_validate(post: Post, *, planned_changed: bool) -> None:
    """Bad input is refused before anything is stored: a channel that takes no posts, a planned
    time in the past, a text longer than the platform takes."""
    post.full_clean(exclude=["author", "approved_by", "record"])
    channel = post.channel
    if channel.platform not in checks.PLATFORM_RULES or channel.status != ChannelStatus.ACTIVE:
        raise ValidationError({"channel": _("Posts cannot be published on this channel.")})
    if planned_changed:
        _planned_check(post.planned_at)
    too_long = [f for f in checks.text_findings(post) if f.code == "too_long"]
    if too_long:
        raise ValidationError({"text": too_long[0].message})


def _fields(fields: dict[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    return fields


@transaction.atomic
def post_create(*, channel: Channel, text: str, actor: User, **fields: Any) -> Post:
    """A new draft by ``actor``."""
    permission_require(actor, "publishing.add_post")
    post = Post(channel=channel, text=text, author=actor, **_fields(fields, POST_FIELDS))
    post_validate(post, planned_changed=True)
    model_save(post, actor)
    return post


def _locked(post: Post) -> Post:
    return Post.objects.select_for_update(of=("self",)).select_related("channel").get(pk=post.pk)


def _editable(post: Post) -> None:
    if post.status not in EDITABLE:
        raise ApplicationError(
            _("Only a draft can be changed: return the post to draft first."), code="not_draft"
        )


@transaction.atomic
def post_update(*, post: Post, actor: User, **fields: Any) -> Post:
    permission_require(actor, "publishing.change_post")
    post = _locked(post)
    _editable(post)
    planned_changed = "planned_at" in fields and fields["planned_at"] != post.planned_at
    for name, value in _fields(fields, POST_FIELDS).items():
        setattr(post, name, value)
    post_validate(post, planned_changed=planned_changed)
    model_save(post, actor)
    return post


def media_validate(media: PostMedia) -> None:
    """A file of a type or size the post's platform refuses, or captions that are not WebVTT,
    are refused before anything is stored."""
    media.full_clean(exclude=["post"])
    rule = checks.PLATFORM_RULES.get(media.post.channel.platform)
    platform = media.post.channel.get_platform_display()
    fields = {"media_type": "file", "media_size": "file", "captions_invalid": "captions"}
    for finding in checks.media_findings(media, rule, platform):
        if finding.code in fields:
            raise ValidationError({fields[finding.code]: finding.message})


@transaction.atomic
def post_media_add(
    *, post: Post, kind: str, file: UploadedFile, actor: User, **fields: Any
) -> PostMedia:
    """An image (with alt text) or a video (with WebVTT captions) on a draft. A type or size
    the channel's platform refuses, or captions that are not WebVTT, are refused here."""
    permission_require(actor, "publishing.change_post")
    post = _locked(post)
    _editable(post)
    media = PostMedia(post=post, kind=kind, file=file, **_fields(fields, MEDIA_FIELDS))
    media_validate(media)
    model_save(media, actor)
    return media


@transaction.atomic
def post_media_update(*, media: PostMedia, actor: User, **fields: Any) -> PostMedia:
    permission_require(actor, "publishing.change_post")
    _editable(_locked(media.post))
    for name, value in _fields(fields, MEDIA_FIELDS).items():
        setattr(media, name, value)
    media_validate(media)
    model_save(media, actor)
    return media


@transaction.atomic
def post_media_remove(*, media: PostMedia, actor: User) -> None:
    permission_require(actor, "publishing.change_post")
    _editable(_locked(media.post))
    model_delete(media, actor)


def _step(post: Post, name: str, actor: User) -> Post:
    """Lock the post and check that the step is allowed from its state."""
    step = STEPS[name]
    permission_require(actor, step.permission)
    post = _locked(post)
    if post.status not in step.sources:
        raise ApplicationError(
            _("A post with the status “%(status)s” cannot be %(step)s.")
            % {"status": post.get_status_display().lower(), "step": STEP_NAMES[name]},
            code="wrong_state",
        )
    post.status = step.target
    return post


STEP_NAMES = {
    "submit": pgettext_lazy("post step", "sent for review"),
    "reopen": pgettext_lazy("post step", "returned to draft"),
    "approve": pgettext_lazy("post step", "approved"),
    "schedule": pgettext_lazy("post step", "scheduled"),
    "publish": pgettext_lazy("post step", "published"),
    "withdraw": pgettext_lazy("post step", "withdrawn"),
}


@transaction.atomic
def post_submit(*, post: Post, actor: User) -> Post:
    """Send a draft for another editor's review."""
    post = _step(post, "submit", actor)
    model_save(post, actor)
    return post


@transaction.atomic
def post_reopen(*, post: Post, actor: User) -> Post:
    """Back to draft, to be changed; an approval is cleared and must be given again."""
    post = _step(post, "reopen", actor)
    post.approved_by, post.approved_at, post.next_attempt_at = None, None, None
    model_save(post, actor)
    return post


def _queue(post: Post) -> None:
    from publishing.tasks import post_send

    post.next_attempt_at = None
    post.container_checks = 0  # a container kept from an earlier round is checked afresh
    dispatch_on_commit(post_send, post.pk)


@transaction.atomic
def post_approve(*, post: Post, actor: User) -> Post:
    """Approve a post in review: by another editor than its author, with no blocking finding
    (publishing.checks). A post with a planned time is scheduled for it at once; a post on a
    channel with a sign-language twin gets its plan."""
    post = _step(post, "approve", actor)
    if post.author_id == actor.pk:
        raise ApplicationError(
            _("Another editor than the author must approve the post."), code="own_post"
        )
    blocking = [f.message for f in checks.post_findings(post) if f.blocking]
    if blocking:
        raise ApplicationError(
            _("The post cannot be approved yet: %s") % " ".join(blocking),
            code="checks_failed",
            details={"findings": blocking},
        )
    post.approved_by, post.approved_at = actor, timezone.now()
    if post.planned_at is not None:
        _planned_check(post.planned_at)
        post.status = PostStatus.SCHEDULED
    model_save(post, actor)
    _twin_plan_ensure(post, actor)
    return post


@transaction.atomic
def post_schedule(*, post: Post, planned_at: datetime, actor: User) -> Post:
    """Set an approved post to go out at ``planned_at`` (in the future)."""
    _planned_check(planned_at)
    post = _step(post, "schedule", actor)
    post.planned_at = planned_at
    post.next_attempt_at = None
    model_save(post, actor)
    return post


@transaction.atomic
def post_publish(*, post: Post, actor: User) -> Post:
    """Send an approved post now (the sender records the platform's answer on it)."""
    post = _step(post, "publish", actor)
    post.planned_at = timezone.now()
    _queue(post)
    model_save(post, actor)
    return post


@transaction.atomic
def post_withdraw(*, post: Post, reason: str, actor: User) -> Post:
    """Stop a post before it goes out. A post the platform took while it was being withdrawn
    stays withdrawn and its platform id is recorded (see publishing.sending)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the post is withdrawn.")})
    post = _step(post, "withdraw", actor)
    post.withdrawn_reason = reason.strip()
    post.next_attempt_at = None
    model_save(post, actor)
    return post


# --- the sign-language plan ------------------------------------------------------------------


def _twin_plan_ensure(post: Post, actor: User) -> None:
    """A post on a channel with an active sign-language twin gets a plan, due a working week
    after it goes out."""
    if post.channel.role == ChannelRole.SIGN_LANGUAGE or hasattr(post, "twin_plan"):
        return
    twin = (
        post.channel.sign_language_twins.filter(status=ChannelStatus.ACTIVE).order_by("pk").first()
    )
    if twin is None:
        return
    due = timezone.localdate(post.planned_at or timezone.now())
    for _day in range(TWIN_WORKING_DAYS):
        due = next_working_day(due)
    model_save(TwinPlan(post=post, twin_channel=twin, due_on=due), actor)


def _plan_open(plan: TwinPlan) -> TwinPlan:
    plan = TwinPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != TwinPlanStatus.OPEN:
        raise ApplicationError(_("The plan is already closed."), code="plan_closed")
    return plan


@transaction.atomic
def twin_plan_record(*, plan: TwinPlan, signed_post: Post, actor: User) -> TwinPlan:
    """The signed version is the post ``signed_post`` on the twin account."""
    permission_require(actor, "publishing.change_twinplan")
    plan = _plan_open(plan)
    if signed_post.channel_id != plan.twin_channel_id:
        raise ValidationError(
            {"signed_post": _("The signed version must be a post on %s.") % plan.twin_channel}
        )
    plan.signed_post, plan.status = signed_post, TwinPlanStatus.DONE
    plan.closed_at = signed_post.published_at or timezone.now()
    model_save(plan, actor)
    return plan


@transaction.atomic
def twin_plan_decline(*, plan: TwinPlan, reason: str, actor: User) -> TwinPlan:
    """No signed version, and why (recorded, and counted in the parity)."""
    permission_require(actor, "publishing.change_twinplan")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why there is no signed version.")})
    plan = _plan_open(plan)
    plan.status, plan.reason, plan.closed_at = (
        TwinPlanStatus.DECLINED,
        reason.strip(),
        timezone.now(),
    )
    model_save(plan, actor)
    return plan
