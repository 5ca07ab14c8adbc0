"""Admin for editors: posts with their media, the checks before approval and the workflow's
steps on the post's own page; the sign-language plans; and the calendar across channels.
Every save and step goes through the services."""

from copy import copy
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import construct_instance
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.history_admin import HistoryAdmin
from core.actors import request_actor
from core.admin import (
    REFUSALS,
    ServiceSavedFormSet,
    refusal_text,
    service_run,
    split_moment_label,
)
from publishing import checks, selectors, services
from publishing.choices import PostStatus, TwinPlanStatus
from publishing.models import Post, PostMedia, TwinPlan
from publishing.workflow import EDITABLE, STEPS

POST_FIELDS = ["channel", "text", "link_url", "link_text", "planned_at", "lix_limit"]
MEDIA_FIELDS = ["kind", "file", "alt_text", "captions", "order"]
STEP_BUTTONS = {
    "submit": _("Send for review"),
    "approve": _("Approve"),
    "publish": _("Publish now"),
    "reopen": _("Return to draft"),
    "withdraw": _("Withdraw"),
}


class PostAdminForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        split_moment_label(self, "planned_at", _("Planned date"), _("Planned time of day"))

    def clean(self) -> dict[str, Any]:
        """The service's own checks, so a refusal is shown on the form with nothing lost."""
        data = super().clean() or {}
        if not self.errors and "channel" in data:
            post = construct_instance(self, copy(self.instance))
            planned_changed = not post.pk or "planned_at" in self.changed_data
            try:
                services.post_validate(post, planned_changed=planned_changed)
            except ValidationError as error:
                self.add_error(None, error)
        return data


class PostMediaForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and self.has_changed() and not data.get("DELETE"):
            try:
                services.media_validate(construct_instance(self, copy(self.instance)))
            except ValidationError as error:
                self.add_error(None, error)
        return data


class PostMediaInline(admin.StackedInline):
    model = PostMedia
    form = PostMediaForm
    formset = ServiceSavedFormSet  # Media are saved by the services in PostAdmin.save_related.
    fields = tuple(MEDIA_FIELDS)
    extra = 1

    def _editable(self, obj: Post | None) -> bool:
        return obj is None or obj.status in EDITABLE

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and request.user.has_perm("publishing.change_post")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and request.user.has_perm("publishing.change_post")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)


@admin.register(Post)
class PostAdmin(HistoryAdmin):
    form = PostAdminForm
    change_form_template = "admin/publishing/post/change_form.html"
    list_display = ["__str__", "channel", "status", "planned_at", "author", "approved_by"]
    list_filter = ["status", "channel"]
    search_fields = ["text"]
    date_hierarchy = "planned_at"
    inlines = [PostMediaInline]
    list_select_related = ["channel", "author", "approved_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": POST_FIELDS}),
        (_("Before approval"), {"fields": ["checks_panel", "twin_plan_panel"]}),
        (
            _("Workflow"),
            {
                "fields": [
                    "status",
                    "author",
                    ("approved_by", "approved_at"),
                    "withdrawn_reason",
                ]
            },
        ),
        (
            _("On the platform"),
            {
                "fields": [
                    ("attempts", "last_status_code"),
                    "last_answer",
                    ("container_id", "container_checks"),
                    ("external_id", "permalink"),
                    "published_at",
                    "record",
                ]
            },
        ),
    ]
    readonly_fields = [
        "checks_panel",
        "twin_plan_panel",
        "status",
        "author",
        "approved_by",
        "approved_at",
        "withdrawn_reason",
        "attempts",
        "last_status_code",
        "last_answer",
        "container_id",
        "container_checks",
        "external_id",
        "permalink",
        "published_at",
        "record",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.status not in EDITABLE:
            return [*POST_FIELDS, *self.readonly_fields]
        return self.readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        return selectors.post_list(user=request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # withdraw instead: a post stays in admin and history

    @admin.display(description=_("checks"))
    def checks_panel(self, post: Post) -> SafeString | str:
        if not post.pk:
            return "–"
        findings = checks.post_findings(post)
        if not findings:
            return format_html("<p>{}</p>", _("Nothing stops approval."))
        rows = format_html_join(
            "",
            "<li><strong>{}</strong> {}</li>",
            ((_("Must be fixed:") if f.blocking else _("Hint:"), f.message) for f in findings),
        )
        return format_html('<ul class="post-checks">{}</ul>', rows)

    @admin.display(description=_("sign-language version"))
    def twin_plan_panel(self, post: Post) -> Any:
        plan = getattr(post, "twin_plan", None) if post.pk else None
        if plan is None:
            twins = post.channel.sign_language_twins.all() if post.pk else []
            if twins:
                return _("A plan is made when the post is approved.")
            return _("The channel has no sign-language twin.")
        url = reverse("admin:publishing_twinplan_change", args=[plan.pk])
        return format_html(
            '<a href="{}">{}</a>: {}, {}',
            url,
            plan.twin_channel,
            plan.get_status_display(),
            _("due %s") % date_format(plan.due_on, "j F Y"),
        )

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        steps = []
        if obj is not None:
            for name, label in STEP_BUTTONS.items():
                step = STEPS[name]
                if obj.status in step.sources and request.user.has_perm(step.permission):
                    steps.append({"name": name, "label": label})
        context["steps"] = steps
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        fields = {
            name: form.cleaned_data[name] for name in POST_FIELDS if name in form.cleaned_data
        }
        if not change:
            obj.pk = services.post_create(actor=request_actor(request), **fields).pk
        elif fields and obj.status in EDITABLE:
            services.post_update(post=obj, actor=request_actor(request), **fields)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        post = Post.objects.get(pk=form.instance.pk)
        actor = request_actor(request)
        for formset in formsets:
            for media_form in formset.forms:
                data = getattr(media_form, "cleaned_data", None)
                if not data:
                    continue
                media = data.get("id")
                if data.get("DELETE"):
                    if media is not None:
                        services.post_media_remove(media=media, actor=actor)
                    continue
                values = {name: data[name] for name in MEDIA_FIELDS if name in data}
                if media is None:
                    services.post_media_add(post=post, actor=actor, **values)
                elif media_form.has_changed():
                    services.post_media_update(media=media, actor=actor, **values)
            formset.save()  # nothing more to save; gives the admin's change message its lists

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        if request.method != "POST":  # a missing right is Django's 403, not a refusal
            return super().changeform_view(request, object_id, form_url, extra_context)
        if object_id and "_step" in request.POST:
            return self.step_view(request, object_id)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except REFUSALS as error:
            # A refusal the forms could not foresee (a state changed meanwhile): nothing stored.
            messages.error(request, refusal_text(error))
            return HttpResponseRedirect(request.get_full_path())

    def step_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A step of the workflow, from its own form under the post (the post's fields are
        saved with their own button first)."""
        post = self.get_object(request, object_id)
        if post is None:
            raise Http404
        name = request.POST["_step"]
        if name not in STEP_BUTTONS:
            raise Http404
        actor = request_actor(request)
        if name == "withdraw":
            reason = request.POST.get("withdraw_reason", "")
            done = service_run(
                request, lambda: services.post_withdraw(post=post, reason=reason, actor=actor)
            )
        else:
            done = service_run(
                request, lambda: getattr(services, f"post_{name}")(post=post, actor=actor)
            )
        if done is not None:
            post = Post.objects.get(pk=post.pk)
            messages.success(request, _("The post is now %s.") % post.get_status_display().lower())
        return HttpResponseRedirect(reverse("admin:publishing_post_change", args=[post.pk]))

    def get_urls(self) -> list[URLPattern]:
        calendar = path(
            "calendar/",
            self.admin_site.admin_view(self.calendar_view),
            name="publishing_post_calendar",
        )
        return [calendar, *super().get_urls()]

    def calendar_view(self, request: HttpRequest) -> HttpResponse:
        """Week or month across channels: posts, the relay rota's hosts, the Tillbakablick
        plan and podcast episodes, each linked to its page."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        month_view = request.GET.get("view") == "month"
        try:
            anchor = date.fromisoformat(request.GET.get("date", ""))
        except ValueError:
            anchor = timezone.localdate()
        if month_view:
            first = anchor.replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
            last = following - timedelta(days=1)
            previous, after = (first - timedelta(days=1)).replace(day=1), following
            start = first - timedelta(days=first.weekday())
            end = last + timedelta(days=6 - last.weekday())
        else:
            first = anchor - timedelta(days=anchor.weekday())
            last = first + timedelta(days=6)
            previous, after = first - timedelta(days=7), first + timedelta(days=7)
            start, end = first, last
        entries = selectors.calendar_entries(first=start, last=end)
        by_day: dict[date, list[selectors.CalendarEntry]] = {}
        for entry in entries:
            by_day.setdefault(entry.day, []).append(entry)
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        weeks = [
            [
                {"day": day, "entries": by_day.get(day, []), "outside": not first <= day <= last}
                for day in days[n : n + 7]
            ]
            for n in range(0, len(days), 7)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Calendar"),
            "month_view": month_view,
            "first": first,
            "last": last,
            "weeks": weeks,
            "previous": previous.isoformat(),
            "next": after.isoformat(),
            "anchor": anchor.isoformat(),
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "admin/publishing/calendar.html", context)


@admin.register(TwinPlan)
class TwinPlanAdmin(HistoryAdmin):
    """The sign-language plans: record the signed version, or why there is none."""

    list_display = ["post", "twin_channel", "due_on", "status"]
    list_filter = ["status", "twin_channel"]
    list_select_related = ["post__channel", "twin_channel"]
    fields = ["post", "twin_channel", "due_on", "status", "signed_post", "reason", "closed_at"]
    readonly_fields: Any = ["post", "twin_channel", "due_on", "status", "closed_at"]
    autocomplete_fields: list[str] = []

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.status != TwinPlanStatus.OPEN:
            return [*self.readonly_fields, "signed_post", "reason"]
        return self.readonly_fields

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "signed_post":
            kwargs["queryset"] = Post.objects.select_related("channel").filter(
                channel__role="sign_language", status=PostStatus.PUBLISHED
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a plan is made when a post is approved

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: TwinPlan, form: Any, change: bool) -> None:
        actor = request_actor(request)
        plan = TwinPlan.objects.get(pk=obj.pk)
        if form.cleaned_data.get("signed_post"):
            services.twin_plan_record(
                plan=plan, signed_post=form.cleaned_data["signed_post"], actor=actor
            )
        elif form.cleaned_data.get("reason"):
            services.twin_plan_decline(plan=plan, reason=form.cleaned_data["reason"], actor=actor)
