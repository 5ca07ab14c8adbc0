"""Admin for web editors: the register, audience facts, the relay rota and the Tillbakablick
plan. Every save and action goes through the services, so the same rules and rights apply as in
the API; the rules' messages show on the form."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import DurationField, Model, QuerySet, URLField
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.history_admin import HistoryAdmin
from channels_app import selectors, services
from channels_app.forms import WorkingTimeField, working_time_words
from channels_app.models import (
    ArchivePhoto,
    AudienceFact,
    Channel,
    PageLink,
    PageSection,
    RelayWeek,
)
from channels_app.services import RELAY_GAP_WEEKS
from channels_app.weeks import next_monday, week_monday
from core.actors import request_actor
from core.admin import ServiceAdminMixin

PLAN_WEEKS = 12


class ServiceAdmin(ServiceAdminMixin, HistoryAdmin):
    """Saves through ``create_service``/``update_service`` with the form's values."""

    create_service: Callable[..., Model]
    update_service: Callable[..., Model]
    update_kwarg: str
    formfield_overrides = {URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        editable = {f.name for f in obj._meta.concrete_fields if f.editable}
        names = form.changed_data if change else form.cleaned_data
        fields = {name: getattr(obj, name) for name in names if name in editable}
        if change:
            type(self).update_service(
                **{self.update_kwarg: obj}, actor=request_actor(request), **fields
            )
        else:
            created = type(self).create_service(actor=request_actor(request), **fields)
            obj.pk = created.pk
            obj._state.adding = False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        if not self.plan_path:
            return super().get_urls()
        opts = self.model._meta
        plan = path(
            self.plan_path,
            self.admin_site.admin_view(self.plan_view),
            name=f"{opts.app_label}_{opts.model_name}_plan",
        )
        return [plan, *super().get_urls()]

    def plan_view(self, request: HttpRequest) -> HttpResponse:
        """The coming weeks per channel with each gap marked, and a warning for gaps soon."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = self.plan_rows(start=next_monday(timezone.localdate()), count=PLAN_WEEKS)
        alert_weeks = self.plan_alert_weeks
        opts = self.model._meta
        add_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        table = []
        for row in rows:
            cells = []
            for index, (year, week, item) in enumerate(row.weeks):
                cells.append(
                    {
                        "year": year,
                        "week": week,
                        "monday": week_monday(year, week),
                        "item": item,
                        "soon": index < alert_weeks,
                        "url": reverse(
                            f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk]
                        )
                        if item
                        else None,
                    }
                )
            soon_gaps = [c for c in cells if c["soon"] and c["item"] is None]
            if soon_gaps:
                messages.warning(
                    request,
                    _("%(channel)s has no entry for week %(weeks)s.")
                    % {
                        "channel": row.channel.name,
                        "weeks": ", ".join(str(c["week"]) for c in soon_gaps),
                    },
                )
            table.append({"channel": row.channel, "cells": cells})
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": self.plan_title,
            "table": table,
            "add_url": add_url,
            "year_field": self.plan_fields[0],
            "week_field": self.plan_fields[1],
            "add_extra": self.plan_add_extra,
        }
        return TemplateResponse(request, "admin/channels_app/weekly_plan.html", context)

    # A model kept by the week shows its coming weeks at ``plan_path`` (see plan_view).
    plan_path = ""
    plan_title: Any = ""
    plan_rows: Callable[..., list[Any]]
    plan_alert_weeks = 0
    plan_fields: tuple[str, str] = ("", "")
    plan_add_extra = ""


class SignLanguageTwinInline(admin.TabularInline):
    """The twins side by side with the main account, read-only: a twin is edited on its own
    page, where its main account is chosen."""

    model = Channel
    fk_name = "sign_language_counterpart"
    verbose_name = _("sign-language twin")
    verbose_name_plural = _("sign-language twins")
    fields = ("twin_link", "handle", "url", "status", "purpose")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("name"))
    def twin_link(self, twin: Channel) -> str:
        url = reverse("admin:channels_app_channel_change", args=[twin.pk])
        return format_html('<a href="{}">{}</a>', url, twin.name)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Channel)
class ChannelAdmin(ServiceAdmin):
    create_service = services.channel_create
    update_service = services.channel_update
    update_kwarg = "channel"
    list_display = [
        "name",
        "platform",
        "handle",
        "role",
        "status",
        "is_public",
        "order",
        "sign_language_counterpart",
        "supervision",
    ]
    list_filter = ["platform", "role", "status", "is_public", "records_policy"]
    formfield_overrides: dict[Any, dict[str, Any]] = {
        **ServiceAdmin.formfield_overrides,
        DurationField: {"form_class": WorkingTimeField},
    }
    search_fields = ["name", "handle", "slug", "purpose", "owning_unit"]
    list_select_related = ["sign_language_counterpart"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["counterpart_side_by_side", "supervision", "created_at", "updated_at"]
    inlines = [SignLanguageTwinInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "platform",
                    "role",
                    "name",
                    "slug",
                    "handle",
                    "url",
                    "platform_account_id",
                ]
            },
        ),
        (_("Content"), {"fields": ["purpose", "audience", "owning_unit"]}),
        (
            _("Status and public page"),
            {"fields": ["status", "started_on", "paused_on", "closed_on", "is_public", "order"]},
        ),
        (
            _("Sign language"),
            {"fields": ["sign_language_counterpart", "counterpart_side_by_side"]},
        ),
        (_("Supervision and records"), {"fields": ["supervision_interval", "records_policy"]}),
        (_("Changes"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        """Read only, the interval is shown in working days and hours, as it is entered."""
        if self.has_change_permission(request, obj):
            return self.fieldsets
        words = {"supervision_interval": "supervision"}
        return [
            (name, {**options, "fields": [words.get(f, f) for f in options["fields"]]})
            for name, options in self.fieldsets
        ]

    @admin.display(description=_("supervision interval"), ordering="supervision_interval")
    def supervision(self, channel: Channel) -> str:
        return working_time_words(channel.supervision_interval)

    @admin.display(description=_("main account"))
    def counterpart_side_by_side(self, channel: Channel) -> str:
        main = channel.sign_language_counterpart
        if main is None:
            return "–"
        url = reverse("admin:channels_app_channel_change", args=[main.pk])
        return format_html(
            '<a href="{}">{}</a><p>{}</p>', url, main, main.purpose or _("No purpose given.")
        )


@admin.register(PageSection)
class PageSectionAdmin(ServiceAdmin):
    """The page's sections are fixed places; an editor changes their words, not their number."""

    update_service = services.page_section_update
    update_kwarg = "section"
    list_display = ["key", "heading", "updated_at"]
    fields = ["key", "heading", "body", "closing", "updated_at"]
    readonly_fields = ["key", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


GUIDELINES_HELP = _(
    "A PDF file; the page shows its size. Until the municipality's guidelines are uploaded "
    "here, the page links to a placeholder that says so: choose the PDF and save."
)


@admin.register(PageLink)
class PageLinkAdmin(ServiceAdmin):
    create_service = services.page_link_create
    update_service = services.page_link_update
    update_kwarg = "page_link"
    list_display = ["key", "title", "url", "document", "updated_at"]
    search_fields = ["key", "title", "url"]
    fields = ["key", "title", "url", "document", "updated_at"]
    readonly_fields = ["updated_at"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        """Where the guidelines are uploaded: a new system has only a placeholder page."""
        kwargs["help_texts"] = (
            {"document": GUIDELINES_HELP} if obj and obj.key == "riktlinjer" else {}
        )
        return super().get_form(request, obj, change, **kwargs)


@admin.register(AudienceFact)
class AudienceFactAdmin(ServiceAdmin):
    create_service = services.audience_fact_create
    update_service = services.audience_fact_update
    update_kwarg = "fact"
    list_display = ["platform", "cohort", "metric", "value", "source", "year", "order"]
    list_filter = ["platform", "metric", "source", "year"]
    search_fields = ["cohort", "value", "source"]


@admin.register(RelayWeek)
class RelayWeekAdmin(ServiceAdmin):
    create_service = services.relay_week_book
    update_service = services.relay_week_update
    update_kwarg = "relay_week"
    plan_fields = ("iso_year", "iso_week")
    plan_path = "rota/"
    plan_title = _("Relay rota, coming weeks")
    plan_rows = staticmethod(selectors.relay_rota_upcoming)
    plan_alert_weeks = RELAY_GAP_WEEKS
    change_list_template = "admin/channels_app/change_list_with_plan.html"
    list_display = [
        "iso_year",
        "iso_week",
        "week_dates",
        "channel",
        "host_name",
        "host_title",
        "host_unit",
        "topic",
        "status",
    ]
    list_filter = ["status", "channel", "iso_year"]
    search_fields = ["host_name", "host_email", "host_unit", "host_title", "topic"]
    list_select_related = ["channel"]
    readonly_fields = ["reminded_at", "created_at", "updated_at"]
    fields = [
        "channel",
        ("iso_year", "iso_week"),
        "host_name",
        "host_title",
        "host_unit",
        "host_email",
        "topic",
        "status",
        "reminded_at",
    ]
    actions = ["confirm", "cancel", "swap"]

    @admin.display(description=_("from"))
    def week_dates(self, week: RelayWeek) -> date:
        return week_monday(week.iso_year, week.iso_week)

    @admin.action(description=_("Confirm the selected weeks"), permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[RelayWeek]) -> None:
        actor = request_actor(request)
        self.run_each(
            request,
            queryset,
            lambda w: services.relay_week_confirm(relay_week=w, actor=actor),
            _("%(count)s weeks confirmed."),
        )

    @admin.action(description=_("Cancel the selected weeks"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[RelayWeek]) -> None:
        actor = request_actor(request)
        self.run_each(
            request,
            queryset,
            lambda w: services.relay_week_cancel(relay_week=w, actor=actor),
            _("%(count)s weeks cancelled."),
        )

    @admin.action(description=_("Swap the hosts of the two selected weeks"), permissions=["change"])
    def swap(self, request: HttpRequest, queryset: QuerySet[RelayWeek]) -> None:
        weeks = list(queryset[:3])
        if len(weeks) != 2:
            self.message_user(request, _("Select exactly two weeks to swap."), messages.ERROR)
            return
        first, second = weeks
        self.run_each(
            request,
            queryset.filter(pk=first.pk),
            lambda w: services.relay_week_swap(
                relay_week=w, other=second, actor=request_actor(request)
            ),
            _("The hosts have swapped weeks."),
        )


@admin.register(ArchivePhoto)
class ArchivePhotoAdmin(ServiceAdmin):
    create_service = services.archive_photo_create
    update_service = services.archive_photo_update
    update_kwarg = "photo"
    plan_fields = ("planned_year", "planned_week")
    plan_add_extra = "&status=scheduled"
    plan_path = "plan/"
    plan_title = _("Tillbakablick, coming weeks")
    plan_rows = staticmethod(selectors.archive_plan_upcoming)
    plan_alert_weeks = 1
    change_list_template = "admin/channels_app/change_list_with_plan.html"
    list_display = [
        "title",
        "archive_reference",
        "year",
        "decade",
        "place",
        "rights_status",
        "planned_year",
        "planned_week",
        "status",
    ]
    list_filter = ["status", "rights_status", "decade", "channel"]
    search_fields = ["title", "archive_reference", "caption", "place", "photographer"]
    list_select_related = ["channel"]
    readonly_fields = ["preview", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["channel", "archive_reference", "title", "caption", "image", "preview"]},
        ),
        (_("Origin"), {"fields": ["year", "decade", "place", "photographer"]}),
        (_("Rights"), {"fields": ["rights_status", "rights_note"]}),
        (
            _("Plan"),
            {"fields": [("planned_year", "planned_week"), "status", "published_url"]},
        ),
    ]
    actions = ["unschedule"]

    @admin.display(description=_("preview"))
    def preview(self, photo: ArchivePhoto) -> str:
        if not photo.image:
            return "–"
        return format_html(
            '<img src="{}" alt="{}" style="max-width:20rem;height:auto">', photo.image.url, photo
        )

    @admin.action(description=_("Unschedule the selected photos"), permissions=["change"])
    def unschedule(self, request: HttpRequest, queryset: QuerySet[ArchivePhoto]) -> None:
        actor = request_actor(request)
        self.run_each(
            request,
            queryset,
            lambda p: services.archive_photo_unschedule(photo=p, actor=actor),
            _("%(count)s photos unscheduled."),
        )
