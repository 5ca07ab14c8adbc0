"""Admin for the data-protection officer and registrars: requests about a person's own data as
cases, the logged search, the package's preview and delivery, corrections, and the retention
settings and reports. Every save and step goes through privacy.services."""

from functools import partial
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.history_admin import HistoryAdmin
from core.actors import request_actor
from core.admin import ReadOnlyAdmin
from privacy import admin_views, services
from privacy.choices import SubjectRequestStatus
from privacy.models import (
    PackageLink,
    PersonSearch,
    RetentionRun,
    RetentionSettings,
    SubjectRequest,
)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


class SubjectRequestForm(forms.ModelForm):
    identifiers_text = forms.CharField(
        label=_("identifiers"),
        help_text=_(
            "What the person is known by, one per line: platform account, name, profile link, "
            "e-mail or phone. At least three characters each."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    masked_terms_text = forms.CharField(
        label=_("also masked"),
        help_text=_("Other people's names or other words to mask in the package, one per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = SubjectRequest
        fields = [
            "case_number",
            "kind",
            "requester",
            "contact",
            "description",
            "received_at",
            "extended_due_on",
            "extension_reason",
            "decision",
            "answer",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["masked_terms_text"].initial = "\n".join(self.instance.masked_terms)

    def _errors_add(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        request = self.instance
        if request.pk is None:
            identifiers = services.identifiers_clean(_lines(data.get("identifiers_text", "")))
            errors = services.subject_request_errors(
                case_number=data.get("case_number") or "",
                kind=data.get("kind") or "",
                requester=data.get("requester") or "",
                identifiers=identifiers,
                received_at=data.get("received_at") or timezone.now(),
            )
            self._errors_add(
                {"identifiers_text" if k == "identifiers" else k: v for k, v in errors.items()}
            )
            return data
        if "extended_due_on" in self.changed_data or "extension_reason" in self.changed_data:
            self._errors_add(
                services.extension_errors(
                    request=request,
                    until=data.get("extended_due_on"),
                    reason=data.get("extension_reason") or "",
                )
            )
        if data.get("decision") or data.get("answer"):
            self._errors_add(
                services.decision_errors(
                    decision=data.get("decision") or "", answer=data.get("answer") or ""
                )
            )
        return data

    def _post_clean(self) -> None:
        """The services validate and save."""


@admin.register(SubjectRequest)
class SubjectRequestAdmin(HistoryAdmin):
    form = SubjectRequestForm
    list_display = ["case_number", "kind", "requester", "received_at", "due", "status", "decision"]
    list_filter = ["status", "kind", "decision"]
    search_fields = ["case_number", "requester"]
    change_form_template = "admin/privacy/subjectrequest/change_form.html"
    created_fields = ["case_number", "kind", "requester", "contact", "description", "received_at"]
    case_fields = ["extended_due_on", "extension_reason", "decision", "answer", "masked_terms_text"]

    @admin.display(description=_("due"))
    def due(self, obj: SubjectRequest) -> Any:
        return obj.due

    @admin.display(description=_("identifiers"))
    def identifiers_list(self, obj: SubjectRequest) -> str:
        return ", ".join(obj.identifiers)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return [*self.created_fields[:3], "identifiers_text", *self.created_fields[3:]]
        info = [*self.created_fields, "identifiers_list", "due_on", "status"]
        info += ["decided_at", "decided_by", "delivered_at", "corrections"]
        if obj.status == SubjectRequestStatus.DELIVERED:
            return [*info, "extended_due_on", "extension_reason", "decision", "answer"]
        return info + self.case_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        readonly = [*self.created_fields, "identifiers_list", "due_on", "status"]
        readonly += ["decided_at", "decided_by", "delivered_at", "corrections"]
        if obj.status == SubjectRequestStatus.DELIVERED:
            readonly += ["extended_due_on", "extension_reason", "decision", "answer"]
        return readonly

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: SubjectRequest, form: Any, change: bool
    ) -> None:
        actor = request_actor(request)
        data = form.cleaned_data
        if not change:
            created = services.subject_request_create(
                case_number=data["case_number"],
                kind=data["kind"],
                requester=data["requester"],
                contact=data.get("contact", ""),
                description=data.get("description", ""),
                identifiers=_lines(data.get("identifiers_text", "")),
                received_at=data.get("received_at"),
                actor=actor,
            )
            obj.pk = created.pk
            return
        current = SubjectRequest.objects.get(pk=obj.pk)
        if "extended_due_on" in form.changed_data or "extension_reason" in form.changed_data:
            current = services.subject_request_extend(
                request=current,
                until=data["extended_due_on"],
                reason=data["extension_reason"],
                actor=actor,
            )
        if data.get("decision"):
            services.subject_request_decide(
                request=current,
                decision=data["decision"],
                answer=data["answer"],
                masked_terms=_lines(data.get("masked_terms_text", "")),
                actor=actor,
            )

    def get_urls(self) -> list[URLPattern]:
        def view(function: Any) -> Any:
            return self.admin_site.admin_view(partial(function, self))

        return [
            path("<int:pk>/search/", view(admin_views.person_search), name="privacy_search"),
            path("<int:pk>/package/", view(admin_views.package_preview), name="privacy_package"),
            path("<int:pk>/correct/", view(admin_views.correction), name="privacy_correct"),
            *super().get_urls(),
        ]


@admin.register(PersonSearch)
class PersonSearchAdmin(ReadOnlyAdmin):
    list_display = ["searched_at", "searched_by", "request", "term", "found"]
    list_select_related = ["searched_by", "request"]
    search_fields = ["term", "request__case_number"]


@admin.register(PackageLink)
class PackageLinkAdmin(ReadOnlyAdmin):
    """The log of packages sent by link: when mailed, until when, when fetched (the token and
    the package itself are not shown)."""

    list_display = ["request", "created_at", "expires_at", "downloaded_at", "size"]
    list_select_related = ["request"]
    fields = ["request", "file_name", "size", "created_at", "expires_at", "downloaded_at"]
    fields += ["emptied_at"]
    search_fields = ["request__case_number"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "removed"]
    fields = ["ran_at", "removed", "report"]


@admin.register(RetentionSettings)
class RetentionSettingsAdmin(HistoryAdmin):
    """One row: the administrator sets the periods; it exists from the first visit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        services.retention_settings_get()
        return super().changelist_view(request, extra_context)

    def save_model(
        self, request: HttpRequest, obj: RetentionSettings, form: Any, change: bool
    ) -> None:
        services.retention_settings_save(settings_row=obj, actor=request_actor(request))
