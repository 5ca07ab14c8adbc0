"""Admin for registrars: every save and action goes through the services."""

from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.history_admin import HistoryAdmin
from core.actors import request_actor
from core.admin import ReadOnlyAdmin, ServiceAdminMixin
from records import (
    admin_media,
    admin_requests,  # noqa: F401  (registers the requests' admin pages)
    retention,
    services,
)
from records.access import (
    Access,
    content_views_log,
    record_access,
    record_content_state,
    withheld_label,
)
from records.admin_content import ContentHistoryAdmin
from records.admin_media import media_file_url
from records.choices import (
    MediaKind,
    MediaStatus,
    RecordDirection,
    RecordSource,
    RegistrationReason,
)
from records.models import (
    DisposalRun,
    FixityAudit,
    Record,
    RetentionClass,
    RetentionDefault,
    SecretAccessLog,
)
from records.selectors import may_see_secret, record_content_get, record_disposal_candidates
from records.web import zip_response


class RecordAddForm(forms.ModelForm):
    retention_code = forms.ModelChoiceField(
        label=_("retention class"), queryset=RetentionClass.objects.all(), required=False
    )
    reason = forms.ChoiceField(
        label=_("registration reason"),
        choices=RegistrationReason.choices,
        initial=RegistrationReason.RECEIVED,
    )

    class Meta:
        model = Record
        fields = [
            "channel",
            "source_id",
            "permalink",
            "direction",
            "document_date",
            "counterparty_name",
            "counterparty_handle",
            "counterparty_platform_id",
            "counterparty_protected",
            "subject",
            "text",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.registration_validate(
                channel=data.get("channel"),
                source_id=data.get("source_id", ""),
                document_date=data.get("document_date"),
                direction=data.get("direction", RecordDirection.INCOMING),
                reason=data.get("reason", ""),
                raw_payload={},
                media=[],
            )
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                self.add_error(field if field in self.fields else None, texts)
        return data

    def _post_clean(self) -> None:
        """The service builds the entry; the model's own validation runs there."""


class RecordChangeForm(forms.ModelForm):
    """Only metadata can be changed, each through its service."""

    class Meta:
        model = Record
        fields = [
            "subject",
            "public_subject",
            "is_secret",
            "secrecy_provision",
            "retention_class",
            "legal_hold",
            "legal_hold_reason",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_secret") and {"is_secret", "secrecy_provision"} & set(self.changed_data):
            try:
                services.provision_validate(data.get("secrecy_provision", ""), "secrecy_provision")
            except ValidationError as error:
                self.add_error("secrecy_provision", error.message_dict["secrecy_provision"])
        if data.get("legal_hold") and not (data.get("legal_hold_reason") or "").strip():
            self.add_error("legal_hold_reason", _("A legal hold needs its reason."))
        return data

    def _post_clean(self) -> None:
        """The instance is changed by the services in save_model, not by the form."""


@admin.register(Record)
class RecordAdmin(ServiceAdminMixin, ContentHistoryAdmin):
    list_display = [
        "number",
        "document_date",
        "channel",
        "direction",
        "public_subject_or_secret",
        "registration_basis",
        "is_secret",
        "legal_hold",
        "status",
    ]
    list_filter = [
        "registration_basis",
        "is_secret",
        "legal_hold",
        "status",
        "direction",
        "channel",
        "retention_class",
    ]
    # Registrars search content and counterparty too (issue 16); see get_search_results.
    search_fields = [
        "number",
        "public_subject",
        "source_id",
        "subject",
        "text",
        "counterparty_name",
        "counterparty_handle",
        "counterparty_platform_id",
    ]
    date_hierarchy = "document_date"
    list_select_related = ["channel"]
    actions = ["export_package", "dispose_selected"]
    change_form_template = "admin/records/record/change_form.html"
    snapshot_fields = [
        "number",
        "channel",
        "source_id",
        "permalink",
        "in_reply_to",
        "direction",
        "document_date",
        "captured_at",
        "registered_at",
        "registration_reason",
        "registration_basis",
        "registration_rule",
        "sha256",
        "secrecy_marked_at",
        "secrecy_marked_by",
        "disposal_due",
        "status",
        "disposed_at",
        "disposal_run",
        "content_erased_at",
        "content_erased_by",
        "content_erasure_basis",
        "content_erasure_reference",
        "created_by",
    ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = RecordChangeForm if obj else RecordAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return [*RecordAddForm.Meta.fields, "reason", "retention_code"]
        fields = [*self.snapshot_fields, *RecordChangeForm.Meta.fields]
        if record_access(request_actor(request), obj) in (Access.REVEALABLE, Access.SECRET):
            # The subject of a secret entry is for registrars only (OSL 5:2 2nd para.).
            fields = [f for f in fields if f not in ("subject", "public_subject")]
        return fields

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Record], search_term: str
    ) -> tuple[QuerySet[Record], bool]:
        """The change list's search and every autocomplete of entries: a secret entry is found
        only by its number or source id unless the policy shows the searcher its content
        (a match on its subject, text or counterparty would tell what it holds); when it does,
        each secret entry found otherwise is logged as a view of its content."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if not term:
            return found, duplicates
        viewer = request_actor(request)
        by_identity = Q(number=term.upper()) | Q(source_id=term)
        if not may_see_secret(viewer):
            return found.filter(Q(is_secret=False) | by_identity), duplicates
        secret = found.filter(is_secret=True).exclude(by_identity)
        content_views_log(
            record_ids=list(secret.values_list("pk", flat=True)),
            user=viewer,
            purpose=str(_("Search in the register admin")),
        )
        return found, duplicates

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        editable = request.user.has_perm("records.change_record")
        readonly = list(self.snapshot_fields)
        if not editable or obj.is_disposed:
            readonly += RecordChangeForm.Meta.fields
        elif not obj.has_content:  # erased as unlawful: the neutral subject stays
            readonly += ["subject", "public_subject"]
        elif not request.user.has_perm("records.mark_secret_record"):
            readonly += ["is_secret", "secrecy_provision"]
        return readonly

    @admin.display(description=_("amendments"))
    def amendment_list(self, record: Record) -> str:
        """When and why the entry was amended, with each amendment's hash (not its text)."""
        return (
            format_html_join(
                "",
                "<li>{} · {} · {} · {}</li>",
                (
                    (
                        timezone.localtime(a.occurred_at).strftime("%Y-%m-%d %H:%M"),
                        a.get_kind_display(),
                        a.reason,
                        a.sha256,
                    )
                    for a in record.amendments.all()
                ),
            )
            or "–"
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        media = self.admin_site.admin_view(partial(admin_media.media_file, self))
        return [
            path("<int:pk>/media/<int:position>/", media, name="records_record_media"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        """With the result of the last fixity audit above the list."""
        extra_context = extra_context or {}
        if request.user.has_perm("records.view_fixityaudit"):
            extra_context["show_fixity"] = True
            extra_context["last_fixity_audit"] = FixityAudit.objects.first()
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("public subject"))
    def public_subject_or_secret(self, record: Record) -> str:
        return str(_("Secret")) if record.is_secret else record.public_subject

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Record | None = None,
    ) -> Any:
        """The snapshot below the metadata, as the policy allows the viewer (a registrar's view
        of a secret entry is logged); worked out per request, never kept on the admin."""
        if obj is not None:
            viewer = request_actor(request)
            access = record_access(viewer, obj)
            context["record_content"] = (
                record_content_get(record=obj, user=viewer, purpose="admin", access=access)
                if access.shows_content
                else None
            )
            for media in (context["record_content"] or {}).get("media_files", []):
                media["kind_label"] = MediaKind(media["kind"]).label
                media["status_label"] = MediaStatus(media["status"]).label
                if media["status"] == MediaStatus.STORED:
                    media["url"] = media_file_url(obj.pk, media["position"])
            context["record_withheld"] = (
                "" if access.shows_content else withheld_label(record_content_state(obj))
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request: HttpRequest, obj: Record, form: Any, change: bool) -> None:
        actor = request_actor(request)
        data = form.cleaned_data
        if not change:
            retention = data.get("retention_code")
            created = services.record_register(
                channel=data["channel"],
                source_id=data["source_id"],
                document_date=data["document_date"],
                direction=data["direction"],
                subject=data.get("subject", ""),
                text=data.get("text", ""),
                raw_payload={},
                reason=data["reason"],
                actor=actor,
                counterparty_name=data.get("counterparty_name", ""),
                counterparty_handle=data.get("counterparty_handle", ""),
                counterparty_platform_id=data.get("counterparty_platform_id", ""),
                counterparty_protected=data.get("counterparty_protected", False),
                permalink=data.get("permalink", ""),
                retention_class=retention.code if retention else "",
                source_kind=RecordSource.REGISTRAR,
            )
            obj.pk = created.pk
            return
        record = Record.objects.get(pk=obj.pk)
        changed = set(form.changed_data)
        if changed & {"subject", "public_subject"}:
            record = services.record_subject_set(
                record=record,
                subject=data["subject"],
                public_subject=data["public_subject"],
                actor=actor,
            )
        if changed & {"is_secret", "secrecy_provision"}:
            if data["is_secret"]:
                record = services.record_secrecy_mark(
                    record=record, provision=data["secrecy_provision"], actor=actor
                )
            elif record.is_secret:
                record = services.record_secrecy_unmark(record=record, actor=actor)
        if "retention_class" in changed and data["retention_class"]:
            record = services.record_retention_set(
                record=record, retention_class=data["retention_class"].code, actor=actor
            )
        if changed & {"legal_hold", "legal_hold_reason"}:
            services.record_legal_hold_set(
                record=record,
                hold=data["legal_hold"],
                reason=data.get("legal_hold_reason", ""),
                actor=actor,
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The services in save_model saved everything there is to save."""

    @admin.action(
        description=_("Export to the e-archive (E-ARK package)"), permissions=["view_secret"]
    )
    def export_package(self, request: HttpRequest, queryset: QuerySet[Record]) -> Any:
        exported = self.run(
            request,
            lambda: services.records_export(records=list(queryset), actor=request_actor(request)),
        )
        return None if exported is None else zip_response(*exported)

    @admin.action(
        description=_("Preview disposal of the selected entries"), permissions=["dispose"]
    )
    def dispose_selected(self, request: HttpRequest, queryset: QuerySet[Record]) -> None:
        run = self.run(
            request,
            lambda: services.disposal_run_preview(
                actor=request_actor(request), records=list(queryset)
            ),
        )
        if run is not None:
            messages.success(request, _("Disposal run %s created for review.") % run.pk)

    def has_view_secret_permission(self, request: HttpRequest) -> bool:
        return may_see_secret(request_actor(request))

    def has_dispose_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("records.add_disposalrun")


@admin.register(RetentionClass)
class RetentionClassAdmin(HistoryAdmin):
    list_display = ["code", "name", "retention_years", "decision_reference", "is_example"]
    list_filter = ["is_example"]
    search_fields = ["code", "name", "decision_reference"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: RetentionClass, form: Any, change: bool
    ) -> None:
        services.retention_class_save(retention_class=obj, actor=request_actor(request))


@admin.register(RetentionDefault)
class RetentionDefaultAdmin(HistoryAdmin):
    """Registrars choose the class each channel's captures get, per registration basis."""

    list_display = ["__str__", "channel", "registration_basis", "retention_class"]
    list_filter = ["registration_basis", "retention_class"]
    list_select_related = ["channel", "retention_class"]
    fields = ["channel", "registration_basis", "retention_class"]

    def save_model(
        self, request: HttpRequest, obj: RetentionDefault, form: Any, change: bool
    ) -> None:
        retention.retention_default_save(retention_default=obj, actor=request_actor(request))

    def delete_model(self, request: HttpRequest, obj: RetentionDefault) -> None:
        retention.retention_default_delete(retention_default=obj, actor=request_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RetentionDefault]) -> None:
        for retention_default in queryset:
            self.delete_model(request, retention_default)


class DisposalRunForm(forms.ModelForm):
    class Meta:
        model = DisposalRun
        fields = ["cutoff"]

    def clean_cutoff(self) -> Any:
        cutoff = self.cleaned_data["cutoff"]
        if not record_disposal_candidates(cutoff).filter(legal_hold=False).exists():
            raise ValidationError(_("No entries are due for disposal."))
        return cutoff


@admin.register(DisposalRun)
class DisposalRunAdmin(ServiceAdminMixin, HistoryAdmin):
    form = DisposalRunForm
    list_display = ["__str__", "cutoff", "status", "created_by", "approved_by", "executed_at"]
    list_filter = ["status"]
    actions = ["approve", "execute"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["cutoff"]
        return [
            "cutoff",
            "status",
            "entries",
            "skipped_list",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
            "executed_at",
            "report",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"cutoff": timezone.localdate()}

    @admin.display(description=_("entries to dispose of"))
    def entries(self, run: DisposalRun) -> str:
        return format_html_join(
            "",
            "<li>{} {} {}</li>",
            (
                (r.number or _("(unregistered)"), r.document_date.date(), r.public_subject)
                for r in run.records.all()
            ),
        )

    @admin.display(description=_("skipped"))
    def skipped_list(self, run: DisposalRun) -> str:
        return format_html_join(
            "",
            "<li>{} {}: {}</li>",
            ((s["number"], s.get("subject", ""), s["reason"]) for s in run.skipped),
        )

    def save_model(self, request: HttpRequest, obj: DisposalRun, form: Any, change: bool) -> None:
        run = services.disposal_run_preview(actor=request_actor(request), cutoff=obj.cutoff)
        obj.pk = run.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The preview sets the entries."""

    @admin.action(description=_("Approve the selected disposal runs"), permissions=["approve"])
    def approve(self, request: HttpRequest, queryset: QuerySet[DisposalRun]) -> None:
        actor = request_actor(request)
        for run in queryset:
            if self.run(request, partial(services.disposal_run_approve, run=run, actor=actor)):
                messages.success(request, _("%s approved.") % run)

    @admin.action(
        description=_("Execute the selected, approved disposal runs"), permissions=["approve"]
    )
    def execute(self, request: HttpRequest, queryset: QuerySet[DisposalRun]) -> None:
        actor = request_actor(request)
        for run in queryset:
            executed = self.run(
                request, partial(services.disposal_run_execute, run=run, actor=actor)
            )
            if executed:
                messages.success(request, _("%s executed; see its report.") % executed)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("records.approve_disposalrun")


@admin.register(FixityAudit)
class FixityAuditAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "checked", "mismatch_count"]

    @admin.display(description=_("mismatches"))
    def mismatch_count(self, audit: FixityAudit) -> int:
        return len(audit.mismatches)


@admin.register(SecretAccessLog)
class SecretAccessLogAdmin(ReadOnlyAdmin):
    list_display = ["record", "user", "accessed_at", "purpose"]
    list_filter = ["user"]
    search_fields = ["record__number"]
    list_select_related = ["record", "user"]
