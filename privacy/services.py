"""Every write about a person's own data: their requests as cases (due, extension, decision,
answer), the logged search for them, corrections appended to the register, the alert before a
request is due, and the retention run over what is not a public document."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from accounts.permissions import permission_require
from core.actors import model_save
from core.exceptions import ApplicationError
from privacy.choices import SubjectRequestDecision, SubjectRequestKind, SubjectRequestStatus
from privacy.delivery import Sent, package_links_empty, package_send
from privacy.models import PersonSearch, RetentionRun, RetentionSettings, SubjectRequest
from privacy.package import Package, package_build
from privacy.registry import (
    HeldData,
    ProfileCorrection,
    RetentionPeriods,
    held_order,
    person_data_find,
    person_data_holders,
    person_profile_correct,
)
from records.choices import AmendmentKind
from records.models import Record
from records.services import record_amend

# A search term shorter than this finds half the register: the search refuses it.
MIN_TERM_LENGTH = 3
# GDPR art. 12(3): one month, extendable by two further months where necessary.
ANSWER_WITHIN = relativedelta(months=1)
LONGEST_EXTENSION = relativedelta(months=2)
# The officers hear of a request this many days before it is due.
ALERT_DAYS_BEFORE = 5


def term_validate(term: str) -> str:
    term = " ".join(term.split())
    if len(term.replace(" ", "")) < MIN_TERM_LENGTH:  # "A n" is two characters
        raise ValidationError({"term": _("Search for at least %s characters.") % MIN_TERM_LENGTH})
    return term


def identifiers_clean(identifiers: list[str]) -> list[str]:
    return [" ".join(i.split()) for i in identifiers if i.strip()]


def subject_request_errors(
    *, case_number: str, kind: str, requester: str, identifiers: list[str], received_at: datetime
) -> dict[str, str]:
    """What is wrong with a new request (the admin form shows the same)."""
    errors: dict[str, str] = {}
    case_number = case_number.strip()
    if not case_number:
        errors["case_number"] = _("Give the case number of the request.")
    elif SubjectRequest.objects.filter(case_number=case_number).exists():
        errors["case_number"] = _("A request with this case number already exists.")
    if kind not in SubjectRequestKind.values:
        errors["kind"] = _("Unknown kind of request: %s.") % kind
    if not requester.strip():
        errors["requester"] = _("Say who made the request.")
    if not identifiers:
        errors["identifiers"] = _("Give at least one thing the person is known by.")
    elif any(len(i) < MIN_TERM_LENGTH for i in identifiers):
        errors["identifiers"] = _("Each identifier needs at least %s characters.") % MIN_TERM_LENGTH
    if received_at > timezone.now():
        errors["received_at"] = _("The request cannot be received in the future.")
    return errors


@transaction.atomic
def subject_request_create(
    *,
    case_number: str,
    kind: str,
    requester: str,
    identifiers: list[str],
    actor: User,
    contact: str = "",
    description: str = "",
    received_at: datetime | None = None,
) -> SubjectRequest:
    """A data subject's request, received by the officer or the case-management system; due
    one month after receipt."""
    permission_require(actor, "privacy.add_subjectrequest")
    received_at = received_at or timezone.now()
    cleaned = identifiers_clean(identifiers)
    errors = subject_request_errors(
        case_number=case_number,
        kind=kind,
        requester=requester,
        identifiers=cleaned,
        received_at=received_at,
    )
    if errors:
        raise ValidationError(errors)
    request = SubjectRequest(
        case_number=case_number.strip(),
        kind=kind,
        requester=requester.strip(),
        contact=contact.strip(),
        identifiers=cleaned,
        description=description.strip(),
        received_at=received_at,
        due_on=timezone.localtime(received_at).date() + ANSWER_WITHIN,
        created_by=actor,
    )
    model_save(request, actor)
    return request


def _locked(request: SubjectRequest) -> SubjectRequest:
    return SubjectRequest.objects.select_for_update().get(pk=request.pk)


def extension_errors(*, request: SubjectRequest, until: date | None, reason: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["extension_reason"] = _("Give the reason for the extension.")
    latest = request.due_on + LONGEST_EXTENSION
    if until is None or until <= request.due_on or until > latest:
        errors["extended_due_on"] = (
            _("The extension runs after the due date and at most two further months (to %s).")
            % latest.isoformat()
        )
    return errors


@transaction.atomic
def subject_request_extend(
    *, request: SubjectRequest, until: date, reason: str, actor: User
) -> SubjectRequest:
    """Extend the time to answer (art. 12(3)): at most two further months, with the reason the
    person is told of."""
    permission_require(actor, "privacy.change_subjectrequest")
    request = _locked(request)
    if request.status == SubjectRequestStatus.DELIVERED:
        raise ApplicationError(_("The request has already been answered."), code="answered")
    errors = extension_errors(request=request, until=until, reason=reason)
    if errors:
        raise ValidationError(errors)
    request.extended_due_on = until
    request.extension_reason = reason.strip()
    request.alerted_at = None  # the officers hear again before the new date
    model_save(request, actor)
    return request


@transaction.atomic
def person_search(*, request: SubjectRequest, term: str, actor: User) -> list[HeldData]:
    """Everything held about the person ``term`` names, for the case ``request``; the search
    is logged (who, for what, in which case, how much it found)."""
    permission_require(actor, "privacy.search_person")
    term = term_validate(term)
    found = person_data_find(term)
    PersonSearch.objects.create(request=request, term=term, found=len(found), searched_by=actor)
    return found


def subject_request_package(*, request: SubjectRequest, actor: User) -> Package:
    """The package as it would be sent now: everything held about the person by any of their
    identifiers (names matched whole), each piece once; each identifier's search is logged."""
    permission_require(actor, "privacy.search_person")
    held: dict[str, HeldData] = {}
    if request.kind == SubjectRequestKind.ACCESS:
        with transaction.atomic():
            for term in request.identifiers:
                found = person_data_find(term, exact=True)
                PersonSearch.objects.create(
                    request=request, term=term, found=len(found), searched_by=actor
                )
                for data in found:
                    held.setdefault(data.ref, data)
    return package_build(request, sorted(held.values(), key=held_order))


def decision_errors(*, decision: str, answer: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if decision not in SubjectRequestDecision.values:
        errors["decision"] = _("Unknown decision: %s.") % decision
    if not answer.strip():
        errors["answer"] = _("Write the answer the person receives.")
    return errors


@transaction.atomic
def subject_request_decide(
    *,
    request: SubjectRequest,
    decision: str,
    answer: str,
    actor: User,
    masked_terms: list[str] | None = None,
) -> SubjectRequest:
    """Decide the request and write the answer the person receives."""
    permission_require(actor, "privacy.change_subjectrequest")
    request = _locked(request)
    if request.status == SubjectRequestStatus.DELIVERED:
        raise ApplicationError(_("The request has already been answered."), code="answered")
    errors = decision_errors(decision=decision, answer=answer)
    if errors:
        raise ValidationError(errors)
    request.decision = decision
    request.answer = answer.strip()
    request.masked_terms = [t.strip() for t in masked_terms or [] if t.strip()]
    request.status = SubjectRequestStatus.DECIDED
    request.decided_at = timezone.now()
    request.decided_by = actor
    model_save(request, actor)
    return request


@dataclass(frozen=True)
class Delivered:
    """The package as delivered, and where it went: ``sent`` is None when the contact is no
    e-mail address and the officer sends the package another way."""

    file_name: str
    package: IO[bytes]  # the ZIP in a temporary file, rewound: whoever takes it closes it
    sent: Sent | None


@transaction.atomic
def subject_request_deliver(*, request: SubjectRequest, actor: User) -> Delivered:
    """The package for the person, as the preview showed it, e-mailed to the contact address
    (attached, or a one-time link when larger than the mail limit); marks the request
    answered. A mail that fails leaves the request unanswered."""
    permission_require(actor, "privacy.change_subjectrequest")
    request = _locked(request)
    if request.status != SubjectRequestStatus.DECIDED:
        raise ApplicationError(
            _("Decide the request before answering it.")
            if request.status == SubjectRequestStatus.RECEIVED
            else _("The request has already been answered."),
            code="status",
        )
    package = subject_request_package(request=request, actor=actor)
    request.status = SubjectRequestStatus.DELIVERED
    request.delivered_at = timezone.now()
    model_save(request, actor, update_fields=["status", "delivered_at"])
    file_name, package_file = f"registerutdrag-{request.pk}.zip", package.zip()
    sent = package_send(request=request, file_name=file_name, package=package_file)
    package_file.seek(0)
    return Delivered(file_name=file_name, package=package_file, sent=sent)


def _correction_errors(
    *, correction: str, records: list[Record], accounts: list[str], profile: ProfileCorrection
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if profile.profile_url:
        try:
            URLValidator()(profile.profile_url)
        except ValidationError:
            errors["profile_url"] = _("Give the profile link as a whole web address.")
    if (profile.name or profile.profile_url) and not accounts:
        errors["accounts"] = _("Choose the platform accounts whose name or link is corrected.")
    if accounts and not (profile.name or profile.profile_url):
        errors["name"] = _("Give the corrected name or profile link.")
    if records and not (correction or profile.name or profile.profile_url):
        errors["correction"] = _("Say what is corrected.")
    if not records and not accounts:
        errors["records"] = _("Choose the register entries or platform accounts to correct.")
    return errors


@transaction.atomic
def subject_request_correct(
    *,
    request: SubjectRequest,
    records: list[Record],
    correction: str,
    actor: User,
    accounts: Sequence[str] = (),
    name: str = "",
    profile_url: str = "",
) -> int:
    """A rectification (art. 16). A platform account's name and profile link are corrected
    where they are read (the queue, the item pages, the API: ``accounts`` are the refs the
    search found); the correction is appended to each register entry chosen, whose snapshot
    stays as received; and what was corrected, from what, is kept on the request. Returns
    the number of accounts and entries corrected."""
    permission_require(actor, "privacy.change_subjectrequest")
    request = _locked(request)
    if request.kind != SubjectRequestKind.RECTIFICATION:
        raise ApplicationError(_("Only a request for rectification corrects."), code="kind")
    profile = ProfileCorrection(
        case_number=request.case_number,
        name=" ".join(name.split()),
        profile_url=profile_url.strip(),
    )
    correction = correction.strip() or " ".join(
        part
        for part in (
            profile.name and _("The name is %s.") % profile.name,
            profile.profile_url and _("The profile link is %s.") % profile.profile_url,
        )
        if part
    )
    errors = _correction_errors(
        correction=correction, records=records, accounts=list(accounts), profile=profile
    )
    if errors:
        raise ValidationError(errors)
    lines = person_profile_correct(list(accounts), profile) if accounts else []
    note = _("Rectification, case %(case)s: %(correction)s") % {
        "case": request.case_number,
        "correction": correction,
    }
    for record in records:
        record_amend(
            record=record,
            text=correction,
            raw_payload={"case_number": request.case_number},
            reason=AmendmentKind.CORRECTION,
            note=note,
            occurred_at=timezone.now(),
            actor=actor,
        )
        lines.append(_("Register entry %s: the correction is appended.") % record)
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    request.corrections = "\n".join(
        [request.corrections, *(f"{stamp} {line}" for line in lines)]
    ).strip()
    model_save(request, actor, update_fields=["corrections"])
    return len(records) + len([ref for ref in accounts if ref])


@transaction.atomic
def subject_requests_alert_due(*, actor: User) -> int:
    """E-mail the officers about unanswered requests due within ALERT_DAYS_BEFORE days; once
    per due date (an extension alerts again). Returns how many it listed."""
    permission_require(actor, "privacy.change_subjectrequest")
    horizon = timezone.localdate() + timedelta(days=ALERT_DAYS_BEFORE)
    due = [
        request
        for request in SubjectRequest.objects.select_for_update()
        .exclude(status=SubjectRequestStatus.DELIVERED)
        .filter(alerted_at__isnull=True)
        .order_by("due_on", "pk")
        if request.due <= horizon
    ]
    recipients = User.objects.emails(Role.PRIVACY_OFFICER, Role.REGISTRAR)
    if not due or not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("%(case)s (%(kind)s), due %(due)s")
            % {"case": r.case_number, "kind": r.get_kind_display(), "due": r.due.isoformat()}
            for r in due
        ]
        send_mail(
            subject=_("Requests about personal data due soon"),
            message="\n".join(lines)
            + "\n\n"
            + settings.SITE_URL
            + "/admin/privacy/subjectrequest/",
            from_email=None,
            recipient_list=recipients,
        )
    SubjectRequest.objects.filter(pk__in=[r.pk for r in due]).update(alerted_at=timezone.now())
    return len(due)


def retention_settings_get() -> RetentionSettings:
    settings_row, _created = RetentionSettings.objects.get_or_create(pk=1)
    return settings_row


def retention_settings_save(*, settings_row: RetentionSettings, actor: User) -> RetentionSettings:
    permission_require(actor, "privacy.change_retentionsettings")
    settings_row.full_clean()
    model_save(settings_row, actor)
    return settings_row


@transaction.atomic
def retention_run(*, actor: User) -> RetentionRun:
    """Remove, in every holder, what is not a public document and has passed its period (the
    administrator's settings), and report it. Register entries follow their own disposal."""
    permission_require(actor, "privacy.add_retentionrun")
    row = retention_settings_get()
    periods = RetentionPeriods(
        orphan_accounts_days=row.orphan_accounts_days,
        author_notes_days=row.author_notes_days,
        expired_blocks_days=row.expired_blocks_days,
        queue_working_data_days=row.queue_working_data_days,
    )
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            line
            for holder in person_data_holders()
            if holder.retain is not None
            for line in holder.retain(periods, now)
        ]
        lines += package_links_empty(now)
        report = "\n".join(lines) or _("Nothing had passed its period.")
    return RetentionRun.objects.create(removed=len(lines), report=report)
