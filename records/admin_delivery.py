"""The registrar's preview of a delivery to a requester: exactly what the package will hold
(records.delivery builds both), the personal data the detectors still find in it, one step to
mask that, and the delivery itself."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from core.actors import request_actor
from core.admin import service_run
from records import services
from records.choices import RequestDecision, RequestStatus
from records.delivery import delivery_build
from records.models import AccessRequest
from records.web import zip_response


def preview_url(access_request: AccessRequest) -> str:
    return reverse("admin:records_accessrequest_delivery", args=[access_request.pk])


def _act(request: HttpRequest, access_request: AccessRequest) -> HttpResponseBase:
    actor = request_actor(request)
    action = request.POST.get("action", "")
    if action == "deliver":
        delivered = service_run(
            request,
            lambda: services.access_request_deliver(request=access_request, actor=actor),
        )
        if delivered is not None:
            return zip_response(*delivered)
    elif action == "mask":
        masked = service_run(
            request,
            lambda: services.access_request_personal_data_mask(request=access_request, actor=actor),
        )
        if masked is not None:
            messages.success(
                request,
                _(
                    "Personal data is masked: the decision is now a partial release under "
                    "OSL 21 kap. 7 §. Read the preview again before you deliver."
                ),
            )
    else:
        messages.error(request, _("Unknown action."))
    return HttpResponseRedirect(preview_url(access_request))


def delivery_preview(
    model_admin: "admin.ModelAdmin[AccessRequest]", request: HttpRequest, pk: int
) -> HttpResponseBase:
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    access_request = get_object_or_404(AccessRequest, pk=pk)
    if request.method == "POST":
        return _act(request, access_request)
    deliverable = (
        access_request.status != RequestStatus.RECEIVED
        and access_request.decision != RequestDecision.REFUSE
    )
    delivery = delivery_build(access_request) if deliverable else None
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "title": _("Preview of the delivery: %s") % access_request,
        "opts": AccessRequest._meta,
        "original": access_request,
        "access_request": access_request,
        "delivery": delivery,
        "entries": delivery.entries if delivery else [],
        "masked": delivery.masked if delivery else False,
        "can_mask": delivery is not None
        and access_request.status == RequestStatus.DECIDED
        and access_request.decision == RequestDecision.RELEASE,
        "change_url": reverse("admin:records_accessrequest_change", args=[access_request.pk]),
    }
    return TemplateResponse(request, "admin/records/accessrequest/delivery_preview.html", context)
