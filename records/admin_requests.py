"""Admin for requests the registrars answer: requests for public documents (TF 2 kap.) and
GDPR requests for erasure; every save and action goes through the services."""

from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from accounts.history_admin import HistoryAdmin
from core.actors import request_actor
from records import admin_delivery, services
from records.choices import RequestStatus
from records.models import (
    AccessRequest,
    ErasureRequest,
)


class AccessRequestForm(forms.ModelForm):
    masked_terms_text = forms.CharField(
        label=_("also masked"),
        help_text=_(
            "For a partial release: words or phrases to mask besides personal data, one per line."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = AccessRequest
        fields = [
            "requester",
            "contact",
            "scope",
            "records",
            "decision",
            "decision_provision",
            "decision_reason",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision and decision != "release":
            try:
                services.provision_validate(
                    data.get("decision_provision", ""), "decision_provision"
                )
            except ValidationError as error:
                self.add_error("decision_provision", error.message_dict["decision_provision"])
        if decision in ("release", "partial") and not data.get("records"):
            self.add_error("records", _("Link the entries to release first."))
        return data

    def _post_clean(self) -> None:
        """The services validate and save."""


@admin.register(AccessRequest)
class AccessRequestAdmin(HistoryAdmin):
    form = AccessRequestForm
    list_display = ["__str__", "intake", "received_at", "due_on", "status", "decision"]
    list_filter = ["status", "decision", "intake"]
    search_fields = ["scope", "requester"]
    autocomplete_fields = ["records"]
    readonly_fields = [
        "intake",
        "received_at",
        "due_on",
        "status",
        "appeal_notice",
        "decided_at",
        "decided_by",
        "delivered_at",
        "alerted_at",
    ]
    actions = ["deliver"]
    change_form_template = "admin/records/accessrequest/change_form.html"

    decision_fields = ["decision", "decision_provision", "decision_reason"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(self.readonly_fields)
        if obj is None:
            return readonly + self.decision_fields
        readonly += ["requester", "contact", "scope"]
        if obj.status != RequestStatus.RECEIVED:
            readonly += ["records", "masked_terms"]
            if not services.access_request_secret_since_decision(obj):
                readonly += self.decision_fields
        return readonly

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fields = list(super().get_fields(request, obj))
        if obj is None or "decision" in self.get_readonly_fields(request, obj):
            fields.remove("masked_terms_text")
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: AccessRequest, form: Any, change: bool) -> None:
        actor = request_actor(request)
        data = form.cleaned_data
        if not change:
            created = services.access_request_create(
                scope=data["scope"],
                requester=data.get("requester", ""),
                contact=data.get("contact", ""),
                records=list(data.get("records") or []),
                actor=actor,
            )
            obj.pk = created.pk
            return
        current = AccessRequest.objects.get(pk=obj.pk)
        if "records" in form.changed_data and current.status == RequestStatus.RECEIVED:
            services.access_request_records_set(
                request=current, records=list(data["records"]), actor=actor
            )
        if data.get("decision"):  # editable only while the request may be decided
            services.access_request_decide(
                request=current,
                decision=data["decision"],
                provision=data.get("decision_provision", ""),
                reason=data.get("decision_reason", ""),
                masked_terms=data.get("masked_terms_text", "").splitlines(),
                actor=actor,
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Linked entries are set by the service in save_model."""

    def get_urls(self) -> list[URLPattern]:
        preview = self.admin_site.admin_view(partial(admin_delivery.delivery_preview, self))
        return [
            path("<int:pk>/delivery/", preview, name="records_accessrequest_delivery"),
            *super().get_urls(),
        ]

    @admin.action(description=_("Deliver: preview what the requester receives, then send it"))
    def deliver(self, request: HttpRequest, queryset: QuerySet[AccessRequest]) -> Any:
        if queryset.count() != 1:
            messages.error(request, _("Choose one request at a time."))
            return None
        return HttpResponseRedirect(admin_delivery.preview_url(queryset.get()))


class ErasureRequestForm(forms.ModelForm):
    class Meta:
        model = ErasureRequest
        fields = ["requester", "description", "records"]

    def _post_clean(self) -> None:
        """The service validates and saves."""


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    form = ErasureRequestForm
    list_display = ["__str__", "answered_at", "answered_by"]
    autocomplete_fields = ["records"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["requester", "description", "records", "answer", "answered_at", "answered_by"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return ["requester", "description", "records"]
        return self.get_readonly_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: ErasureRequest, form: Any, change: bool
    ) -> None:
        if change:
            return
        answered = services.erasure_request_answer(
            requester=form.cleaned_data["requester"],
            description=form.cleaned_data["description"],
            records=list(form.cleaned_data.get("records") or []),
            actor=request_actor(request),
        )
        obj.pk = answered.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service links the entries."""
