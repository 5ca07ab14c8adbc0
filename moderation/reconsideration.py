"""The author's request for reconsideration (omprövning): the comment is found by its link, the
request goes to a moderator other than the one who decided and is due on the Swedish working
calendar; once another moderator has reconsidered the decision, the answer is e-mailed to the
address the author gave, if any."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from accounts.permissions import permission_require
from core.dispatch import dispatch_on_commit
from core.exceptions import ApplicationError
from core.workdays import add_working_time
from moderation.choices import DecisionAction
from moderation.models import Decision, Item, Reconsideration, ReconsiderationRequest, ReplyTemplate

# What an author may ask to have reconsidered: what was done to their comment or to them.
REQUESTABLE = (DecisionAction.HIDE, DecisionAction.REMOVE, DecisionAction.BLOCK)
FORM_PATH = "/insyn/omprovning/"


def reconsideration_form_url() -> str:
    return f"{settings.SITE_URL}{FORM_PATH}"


def reply_text(template: ReplyTemplate) -> str:
    """A template reply as sent on the platform: the template, then where to ask for the
    decision to be reconsidered."""
    with translation.override(settings.LANGUAGE_CODE):
        invitation = _("If you want the decision about your comment reconsidered: %s")
    return f"{template.text}\n\n{invitation % reconsideration_form_url()}"


def _permalink_variants(permalink: str) -> list[str]:
    link = permalink.strip()
    bare = link.rstrip("/")
    return [link, bare, f"{bare}/"]


def reconsideration_decision_find(*, permalink: str) -> Decision:
    """The latest decision on the comment at ``permalink`` that its author may ask to have
    reconsidered. Refuses a link that is no item of ours, and an item with nothing to
    reconsider, with a reason the form shows (nothing is stored)."""
    item = (
        Item.objects.filter(permalink__in=_permalink_variants(permalink)).order_by("pk").first()
        if permalink.strip()
        else None
    )
    if item is None:
        raise ApplicationError(
            _(
                "We have no comment with this link on our accounts. Check that you copied the "
                "link to the comment itself. Nothing you entered has been saved."
            ),
            code="not_ours",
        )
    decision = (
        Decision.objects.filter(item=item, action__in=REQUESTABLE)
        .exclude(Exists(Reconsideration.objects.filter(decision=OuterRef("pk"))))
        .select_related("channel", "moderator")
        .order_by("-created_at", "-pk")
        .first()
    )
    if decision is None:
        raise ApplicationError(
            _(
                "There is no decision to reconsider on this comment: it has not been hidden or "
                "removed, its author has not been blocked, or the decision has already been "
                "reconsidered. Nothing you entered has been saved."
            ),
            code="nothing_to_reconsider",
        )
    return decision


def _open_requests() -> QuerySet[ReconsiderationRequest]:
    answered = Reconsideration.objects.filter(decision=OuterRef("decision"))
    return ReconsiderationRequest.objects.exclude(Exists(answered))


def _assignee(decision: Decision) -> User | None:
    """The active moderator, other than the one who decided, with the fewest open requests."""
    load = (
        _open_requests()
        .filter(assigned_to=OuterRef("pk"))
        .order_by()
        .values("assigned_to")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        User.objects.filter(groups__name=Role.MODERATOR, is_active=True)
        .exclude(pk=decision.moderator_id)
        .annotate(load=Coalesce(Subquery(load), 0))
        .order_by("load", "pk")
        .first()
    )


@transaction.atomic
def reconsideration_request_submit(
    *, permalink: str, reason: str, contact: str, form_nonce: str
) -> ReconsiderationRequest:
    """A request from the public form: anyone may make it; the form's one-time nonce refuses a
    repeated or forged post. Due on the working calendar, assigned to another moderator than
    the one who decided."""
    if not form_nonce or ReconsiderationRequest.objects.filter(form_nonce=form_nonce).exists():
        raise ValidationError(_("This form has already been sent. Reload the page to send again."))
    decision = reconsideration_decision_find(permalink=permalink)
    now = timezone.now()
    days = settings.MODERATION_RECONSIDERATION_WORKING_DAYS
    created = ReconsiderationRequest.objects.create(
        decision=decision,
        permalink=permalink.strip(),
        reason=reason.strip(),
        contact=contact.strip(),
        assigned_to=_assignee(decision),
        received_at=now,
        due_at=add_working_time(timezone.localtime(now), timedelta(days=days)),
        form_nonce=form_nonce,
    )
    from moderation.tasks import reconsideration_request_notify

    dispatch_on_commit(reconsideration_request_notify, created.pk)
    return created


def reconsideration_request_received_notify(*, request: ReconsiderationRequest, actor: User) -> int:
    """Tell the assigned moderator (or, with nobody to assign, every moderator) that an author
    asks for reconsideration. Returns the number of recipients."""
    permission_require(actor, "moderation.view_reconsiderationrequest")
    assigned = request.assigned_to
    recipients = [assigned.email] if assigned else User.objects.emails(Role.MODERATOR)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            due = timezone.localtime(request.due_at)
            send_mail(
                subject=_("Request for reconsideration, to be answered by %s")
                % f"{due:%Y-%m-%d %H:%M}",
                message=f"{request.reason[:2000]}\n\n{settings.SITE_URL}/admin/moderation/item/"
                f"{request.decision.item_id}/",
                from_email=None,
                recipient_list=recipients,
            )
    return len(recipients)


def reconsideration_answer_send(*, reconsideration: Reconsideration, actor: User) -> int:
    """E-mail the outcome and its reasons to every author who asked and gave an address.
    Returns the number of answers sent."""
    permission_require(actor, "moderation.view_reconsiderationrequest")
    contacts = sorted(
        set(
            ReconsiderationRequest.objects.filter(decision=reconsideration.decision_id)
            .exclude(contact="")
            .values_list("contact", flat=True)
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your request for reconsideration has been decided")
        body = _(
            "Another moderator has reconsidered the decision about your comment.\n\n"
            "Outcome: %(outcome)s\nReasons: %(rationale)s"
        ) % {
            "outcome": reconsideration.get_outcome_display(),
            "rationale": reconsideration.rationale,
        }
        for contact in contacts:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[contact])
    return len(contacts)


def reconsideration_request_list(*, open_only: bool = False) -> QuerySet[ReconsiderationRequest]:
    """Requests with what the moderators' list shows, due first."""
    requests = _open_requests() if open_only else ReconsiderationRequest.objects.all()
    return requests.select_related(
        "decision__channel", "decision__moderator", "decision__item", "assigned_to"
    ).order_by("due_at", "pk")
