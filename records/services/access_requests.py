"""Requests for public documents (TF 2 kap.): intake from registrars and the public form, the
registrars' notices, decisions with their appeal notice, masking and delivery."""

from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from core.actors import model_save
from core.dispatch import dispatch_on_commit
from core.exceptions import ApplicationError
from core.workdays import next_working_day
from records.choices import RecordStatus, RequestDecision, RequestIntake, RequestStatus
from records.delivery import delivery_build
from records.models import AccessRequest, Record, SecretAccessLog
from records.services.common import registrar_emails
from records.services.secrecy import provision_validate


def _access_request_create(
    *,
    intake: str,
    scope: str,
    requester: str,
    contact: str,
    actor: User | None,
    form_nonce: str | None = None,
) -> AccessRequest:
    scope = scope.strip()
    if not scope:
        raise ValidationError({"scope": _("Say which documents you want.")})
    received_at = timezone.now()
    request = AccessRequest(
        intake=intake,
        received_at=received_at,
        due_on=next_working_day(timezone.localtime(received_at).date()),
        scope=scope,
        requester=requester.strip(),
        contact=contact.strip(),
        form_nonce=form_nonce,
        created_by=actor,
    )
    request.full_clean()
    try:
        with transaction.atomic():
            model_save(request, actor)
    except IntegrityError as error:  # the same form token posted twice at the same moment
        raise ValidationError(
            _("This form has already been sent. Reload the page to send again.")
        ) from error
    return request


@transaction.atomic
def access_request_create(
    *,
    scope: str,
    actor: User,
    requester: str = "",
    contact: str = "",
    records: list[Record] | None = None,
) -> AccessRequest:
    """A request a registrar received (by phone, at the desk, by e-mail)."""
    permission_require(actor, "records.add_accessrequest")
    request = _access_request_create(
        intake=RequestIntake.REGISTRAR,
        scope=scope,
        requester=requester,
        contact=contact,
        actor=actor,
    )
    if records:
        request.records.set(records)
    return request


@transaction.atomic
def access_request_submit(*, scope: str, contact: str, form_nonce: str) -> AccessRequest:
    """A request from the public form: anyone may make it, anonymously (TF 2:18); the form's
    one-time nonce refuses a repeated or forged post."""
    if not form_nonce or AccessRequest.objects.filter(form_nonce=form_nonce).exists():
        raise ValidationError(_("This form has already been sent. Reload the page to send again."))
    created = _access_request_create(
        intake=RequestIntake.PUBLIC_FORM,
        scope=scope,
        requester="",
        contact=contact,
        actor=None,
        form_nonce=form_nonce,
    )
    from records.tasks import access_request_notify

    # Registrars also get the daily alert of due requests: an outage loses no request.
    dispatch_on_commit(access_request_notify, created.pk)
    return created


# Registrars hear of each request from the public form at once, up to this many in the window;
# past it, the rest wait for the digest (records.tasks.access_requests_digest, every 15 minutes).
NOTICES_PER_WINDOW = 3


NOTICE_WINDOW = timedelta(minutes=15)


def _access_request_link(request: AccessRequest) -> str:
    return f"{settings.SITE_URL}/admin/records/accessrequest/{request.pk}/change/"


@transaction.atomic
def access_request_received_notify(*, request: AccessRequest, actor: User) -> int:
    """Tell the registrars at once that a request came in through the public form (handling is
    urgent: TF 2:15–16), unless many came lately: then the digest tells them of all in one mail.
    Returns the number of recipients."""
    permission_require(actor, "records.view_accessrequest")
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    now = timezone.now()
    recently_told = AccessRequest.objects.filter(
        intake=RequestIntake.PUBLIC_FORM, notified_at__gte=now - NOTICE_WINDOW
    ).count()
    if request.notified_at is not None or recently_told >= NOTICES_PER_WINDOW:
        return 0
    recipients = registrar_emails()
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                subject=_("New request for public documents, due %s") % request.due_on.isoformat(),
                message=request.scope[:2000] + "\n\n" + _access_request_link(request),
                from_email=None,
                recipient_list=recipients,
            )
    request.notified_at = now
    request.save(update_fields=["notified_at"])
    return len(recipients)


@transaction.atomic
def access_requests_digest_send(*, actor: User) -> int:
    """One mail to the registrars listing every request from the public form not yet told of;
    returns how many it listed."""
    permission_require(actor, "records.view_accessrequest")
    waiting = list(
        AccessRequest.objects.select_for_update()
        .filter(intake=RequestIntake.PUBLIC_FORM, notified_at__isnull=True)
        .order_by("received_at")
    )
    if not waiting:
        return 0
    recipients = registrar_emails()
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            entries = [
                _("Request %(id)s, received %(received)s, due %(due)s:")
                % {
                    "id": request.pk,
                    "received": formats.date_format(
                        timezone.localtime(request.received_at), "DATETIME_FORMAT"
                    ),
                    "due": request.due_on.isoformat(),
                }
                + f"\n{request.scope[:300]}\n{_access_request_link(request)}"
                for request in waiting
            ]
            send_mail(
                subject=_("%(count)s new requests for public documents") % {"count": len(waiting)},
                message="\n\n".join(entries),
                from_email=None,
                recipient_list=recipients,
            )
    AccessRequest.objects.filter(pk__in=[r.pk for r in waiting]).update(notified_at=timezone.now())
    return len(waiting)


@transaction.atomic
def access_request_records_set(
    *, request: AccessRequest, records: list[Record], actor: User
) -> AccessRequest:
    permission_require(actor, "records.change_accessrequest")
    if request.status != RequestStatus.RECEIVED:
        raise ApplicationError(_("The request has already been decided."), code="decided")
    request.records.set(records)
    return request


APPEAL_NOTICE = _(
    "You may appeal against this decision to the Administrative Court of Appeal "
    "(kammarrätten). Send the appeal in writing to Örebro kommun within three weeks from the "
    "day you received the decision; say which decision you appeal against and how you want it "
    "changed. The municipality forwards the appeal to the court."
)


@transaction.atomic
def access_request_decide(
    *,
    request: AccessRequest,
    decision: str,
    actor: User,
    provision: str = "",
    reason: str = "",
    masked_terms: list[str] | None = None,
) -> AccessRequest:
    """Decide a request: release, partial release with masking, or refusal. Partial release
    and refusal cite the OSL provision and carry an appeal notice. A partial release masks
    personal data and, besides, each of ``masked_terms`` (e.g. names)."""
    permission_require(actor, "records.change_accessrequest")
    if decision not in RequestDecision.values:
        raise ValidationError({"decision": _("Unknown decision: %s.") % decision})
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.RECEIVED and not access_request_secret_since_decision(
        request
    ):
        raise ApplicationError(_("The request has already been decided."), code="decided")
    if decision != RequestDecision.RELEASE:
        provision = provision_validate(provision, "decision_provision")
    elif not request.records.exists():
        raise ValidationError({"records": _("Link the entries to release first.")})
    if decision == RequestDecision.PARTIAL and not request.records.exists():
        raise ValidationError({"records": _("Link the entries to release first.")})
    if decision == RequestDecision.RELEASE and request.records.filter(is_secret=True).exists():
        # OSL: a document marked secret is released only after a secrecy review, i.e. masked
        # (partial release) or after its marking has been lifted.
        raise ValidationError(
            {
                "decision": _(
                    "An entry marked secret cannot be released in full: release it in part "
                    "with masking, refuse, or lift the secrecy marking first."
                )
            }
        )
    request.decision = decision
    request.decision_provision = provision if decision != RequestDecision.RELEASE else ""
    request.decision_reason = reason.strip()
    terms = [t.strip() for t in (masked_terms or []) if t.strip()]
    request.masked_terms = terms if decision == RequestDecision.PARTIAL else []
    with translation.override(settings.LANGUAGE_CODE):
        request.appeal_notice = str(APPEAL_NOTICE) if decision != RequestDecision.RELEASE else ""
    request.status = RequestStatus.DECIDED
    request.decided_at = timezone.now()
    request.decided_by = actor
    model_save(request, actor)
    return request


def access_request_secret_since_decision(request: AccessRequest) -> list[Record]:
    """The linked entries a delivery may not send as decided: marked secret after the decision
    (its secrecy review did not cover them), or secret under a decision to release in full."""
    if request.status != RequestStatus.DECIDED:
        return []
    secret = request.records.filter(is_secret=True, status=RecordStatus.ACTIVE).order_by("pk")
    if request.decision != RequestDecision.RELEASE:
        secret = secret.filter(secrecy_marked_at__gt=request.decided_at)
    return list(secret)


@transaction.atomic
def access_request_deliver(*, request: AccessRequest, actor: User) -> tuple[str, IO[bytes]]:
    """The package for the requester (records.delivery, as the preview showed it): a ZIP with
    the decision, a readable document and each released entry as JSON (masked for a partial
    release). Marks the request delivered. Returns (file name, the ZIP in a temporary file:
    the caller closes it)."""
    permission_require(actor, "records.change_accessrequest")
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == RequestStatus.RECEIVED:
        raise ApplicationError(_("Decide the request before delivering it."), code="undecided")
    if request.decision == RequestDecision.REFUSE:
        raise ApplicationError(_("A refused request has nothing to deliver."), code="refused")
    secret = access_request_secret_since_decision(request)
    if secret:
        # Secrecy is checked when the package is sent, not only when it was decided.
        raise ApplicationError(
            _("Marked secret since the decision: %s. Decide the request again.")
            % ", ".join(str(record) for record in secret),
            code="secret_since_decision",
        )
    delivery = delivery_build(request)
    for entry in delivery.entries:
        if entry.record.is_secret:
            SecretAccessLog.objects.create(
                record=entry.record, user=actor, purpose=f"access request {request.pk}"
            )
    request.status = RequestStatus.DELIVERED
    request.delivered_at = timezone.now()
    model_save(request, actor, update_fields=["status", "delivered_at"])
    return f"begaran-{request.pk}.zip", delivery.zip()


# Personal data whose release would breach the GDPR is secret (OSL 21 kap. 7 §).
PERSONAL_DATA_PROVISION = "OSL 21 kap. 7 §"


@transaction.atomic
def access_request_personal_data_mask(*, request: AccessRequest, actor: User) -> AccessRequest:
    """The preview's one step when the detectors warn: a release in full becomes a partial
    release that masks personal identity numbers, e-mail addresses and phone numbers, under
    OSL 21 kap. 7 § and with the appeal notice a partial refusal carries."""
    permission_require(actor, "records.change_accessrequest")
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.DECIDED:
        raise ApplicationError(
            _("Only a decided request that is not yet delivered can be masked."), code="status"
        )
    if request.decision != RequestDecision.RELEASE:
        raise ApplicationError(_("The release is already masked."), code="masked")
    with translation.override(settings.LANGUAGE_CODE):
        request.decision_reason = "\n\n".join(
            part
            for part in (
                request.decision_reason,
                _(
                    "Personal identity numbers, e-mail addresses and phone numbers are masked: "
                    "releasing them would breach the General Data Protection Regulation."
                ),
            )
            if part
        )
        request.appeal_notice = str(APPEAL_NOTICE)
    request.decision = RequestDecision.PARTIAL
    request.decision_provision = PERSONAL_DATA_PROVISION
    request.decided_at = timezone.now()
    request.decided_by = actor
    model_save(request, actor)
    return request


def access_requests_alert_due(*, actor: User) -> int:
    """E-mail the registrars about undecided requests due today or overdue; each once."""
    permission_require(actor, "records.change_accessrequest")
    today = timezone.localdate()
    due = list(
        AccessRequest.objects.filter(
            status=RequestStatus.RECEIVED, due_on__lte=today, alerted_at__isnull=True
        ).order_by("due_on", "pk")
    )
    recipients = registrar_emails()
    if not due or not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Request %(id)s, due %(due)s: %(scope)s")
            % {"id": r.pk, "due": r.due_on.isoformat(), "scope": r.scope[:200]}
            for r in due
        ]
        send_mail(
            subject=_("Requests for public documents due today"),
            message="\n".join(lines) + "\n\n" + settings.SITE_URL + "/admin/records/accessrequest/",
            from_email=None,
            recipient_list=recipients,
        )
    AccessRequest.objects.filter(pk__in=[r.pk for r in due]).update(alerted_at=timezone.now())
    return len(due)
