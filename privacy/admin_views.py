"""The officer's steps on a request: the logged search for the person (paged, with the count),
the preview of the package and its delivery, and a correction appended to register entries."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.actors import request_actor
from core.exceptions import ApplicationError
from privacy import services
from privacy.choices import SubjectRequestKind, SubjectRequestStatus
from privacy.delivery import Sent, contact_address
from privacy.models import SubjectRequest
from records.models import Record
from records.web import zip_response

RESULTS_PER_PAGE = 50


def _context(
    model_admin: "admin.ModelAdmin[SubjectRequest]", request: HttpRequest, subject: SubjectRequest
) -> dict[str, Any]:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": SubjectRequest._meta,
        "original": subject,
        "subject_request": subject,
        "change_url": reverse("admin:privacy_subjectrequest_change", args=[subject.pk]),
    }


def _error(request: HttpRequest, error: ValidationError | ApplicationError) -> None:
    text = error.message if isinstance(error, ApplicationError) else "; ".join(error.messages)
    messages.error(request, text)


def _may(model_admin: Any, request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _sent_message(sent: Sent) -> str:
    if sent.link is None:
        return _("The answer is e-mailed to %s with the package attached.") % sent.to
    return _(
        "The package is larger than the mail limit: %(to)s is e-mailed a link that works once, "
        "until %(expires)s."
    ) % {
        "to": sent.to,
        "expires": formats.date_format(timezone.localtime(sent.link.expires_at), "j F Y H:i"),
    }


def person_search(
    model_admin: "admin.ModelAdmin[SubjectRequest]", request: HttpRequest, pk: int
) -> HttpResponse:
    """Search for the person in every holder; each search is logged against the case."""
    _may(model_admin, request, "privacy.search_person")
    subject = get_object_or_404(SubjectRequest, pk=pk)
    term = request.GET.get("term", "")
    page = None
    if term:
        try:
            found = services.person_search(request=subject, term=term, actor=request_actor(request))
            page = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        except ValidationError as error:
            _error(request, error)
    context = {
        **_context(model_admin, request, subject),
        "title": _("Search for the person: %s") % subject,
        "term": term,
        "page": page,
    }
    return TemplateResponse(request, "admin/privacy/subjectrequest/search.html", context)


def package_preview(
    model_admin: "admin.ModelAdmin[SubjectRequest]", request: HttpRequest, pk: int
) -> HttpResponseBase:
    """Exactly what the person receives; delivering it e-mails the package to the contact
    address (or downloads it, when the contact is no e-mail address)."""
    _may(model_admin, request, "privacy.change_subjectrequest")
    subject = get_object_or_404(SubjectRequest, pk=pk)
    actor = request_actor(request)
    if request.method == "POST":
        try:
            delivered = services.subject_request_deliver(request=subject, actor=actor)
        except ApplicationError as error:
            _error(request, error)
            return HttpResponseRedirect(reverse("admin:privacy_package", args=[pk]))
        if delivered.sent is None:  # no e-mail address: the officer sends it another way
            return zip_response(delivered.file_name, delivered.package)
        delivered.package.close()
        messages.success(request, _sent_message(delivered.sent))
        return HttpResponseRedirect(reverse("admin:privacy_subjectrequest_change", args=[pk]))
    package = None
    if subject.status == SubjectRequestStatus.DECIDED:
        package = services.subject_request_package(request=subject, actor=actor)
    context = {
        **_context(model_admin, request, subject),
        "title": _("Preview of the answer: %s") % subject,
        "package": package,
        "held": package.held if package else [],
        "send_to": contact_address(subject),
    }
    return TemplateResponse(request, "admin/privacy/subjectrequest/package.html", context)


def correction(
    model_admin: "admin.ModelAdmin[SubjectRequest]", request: HttpRequest, pk: int
) -> HttpResponse:
    """A rectification: correct the name or profile link of the person's platform accounts
    (shown at once in the queue, the item pages and the API) and append the correction to the
    register entries chosen (what was registered stays as received)."""
    _may(model_admin, request, "privacy.change_subjectrequest")
    subject = get_object_or_404(SubjectRequest, pk=pk)
    if subject.kind != SubjectRequestKind.RECTIFICATION:
        raise PermissionDenied
    actor = request_actor(request)
    held = {
        data.ref: data
        for identifier in subject.identifiers
        for data in services.person_search(request=subject, term=identifier, actor=actor)
    }
    accounts = [data for data in held.values() if data.correctable]
    ids = sorted({int(ref.split(":")[1]) for ref in held if ref.startswith("records.record:")})
    records = list(Record.objects.filter(pk__in=ids).select_related("channel"))
    if request.method == "POST":
        chosen = [r for r in records if str(r.pk) in request.POST.getlist("records")]
        refs = [data.ref for data in accounts if data.ref in request.POST.getlist("accounts")]
        try:
            count = services.subject_request_correct(
                request=subject,
                records=chosen,
                accounts=refs,
                name=request.POST.get("name", ""),
                profile_url=request.POST.get("profile_url", ""),
                correction=request.POST.get("correction", ""),
                actor=actor,
            )
        except (ValidationError, ApplicationError) as error:
            _error(request, error)
        else:
            messages.success(request, _("%s accounts and entries are corrected.") % count)
            return HttpResponseRedirect(reverse("admin:privacy_subjectrequest_change", args=[pk]))
    context = {
        **_context(model_admin, request, subject),
        "title": _("Correct the person's data: %s") % subject,
        "accounts": accounts,
        "records": records,
        "form": request.POST,
        "chosen_accounts": request.POST.getlist("accounts"),
    }
    return TemplateResponse(request, "admin/privacy/subjectrequest/correct.html", context)
