"""Admin for web editors: shows and episodes with uploads, the feed-entry preview, the
conformance panel and the publishing actions. Every save goes through the services."""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.history_admin import HistoryAdmin
from core.actors import request_actor
from core.admin import ServiceAdminMixin, ServiceSavedFormSet
from podcasts import conformance, services
from podcasts.admin_forms import EpisodeAdminForm, GuestForm, error_summary
from podcasts.feeds import item_preview
from podcasts.models import Episode, EpisodeGuest, Show


def _model_fields(form: forms.ModelForm) -> dict[str, Any]:
    """The values the form put on its instance, for the service to apply and check."""
    names = {f.name for f in form.instance._meta.get_fields()}
    return {name: getattr(form.instance, name) for name in form.cleaned_data if name in names}


def _findings_html(findings: list[conformance.Finding]) -> SafeString:
    if not findings:
        return format_html("<p>{}</p>", _("Nothing that Apple, Spotify or Podcasting 2.0 rejects."))
    rows = format_html_join(
        "", "<li><strong>{}</strong>: {}</li>", ((f.authority, f.message) for f in findings)
    )
    return format_html('<ul class="conformance">{}</ul>', rows)


@admin.register(Show)
class ShowAdmin(HistoryAdmin):
    list_display = ["title", "status", "apple_category", "channel", "feed_link"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["podcast_guid", "video_podcast_guid", "feed_link", "conformance_panel"]
    fieldsets = [
        (None, {"fields": ["channel", "sign_language_channel", "title", "slug", "description"]}),
        (
            _("Apple Podcasts and Spotify"),
            {
                "fields": [
                    "artwork",
                    "artwork_alt",
                    "apple_category",
                    "language",
                    "explicit",
                    "show_type",
                    "status",
                    "update_frequency_text",
                    "author",
                    "owner_name",
                    "owner_email",
                    "owner_units",
                    "copyright",
                    "apple_podcasts_url",
                    "spotify_url",
                    "order",
                ]
            },
        ),
        (
            _("Feed"),
            {"fields": ["feed_link", "podcast_guid", "video_podcast_guid", "conformance_panel"]},
        ),
    ]

    @admin.display(description=_("feed"))
    def feed_link(self, show: Show) -> str:
        if not show.pk:
            return "–"
        return format_html('<a href="{0}">{0}</a>', show.feed_url)

    @admin.display(description=_("conformance check"))
    def conformance_panel(self, show: Show) -> SafeString:
        return _findings_html(conformance.show_check(show))

    def save_model(self, request: HttpRequest, obj: Show, form: Any, change: bool) -> None:
        if change:
            services.show_update(show=obj, actor=request_actor(request), **_model_fields(form))
        else:
            obj.pk = services.show_create(actor=request_actor(request), **_model_fields(form)).pk


class EpisodeGuestInline(admin.TabularInline):
    model = EpisodeGuest
    form = GuestForm
    formset = ServiceSavedFormSet  # Guests are saved by the service in EpisodeAdmin.save_related.
    fields = ["name", "job_title", "unit"]
    extra = 1


PUBLISH_NOW = "_publish"


KEPT = ("kept_audio", "kept_transcript", "kept_sign_language_video")


@admin.register(Episode)
class EpisodeAdmin(ServiceAdminMixin, HistoryAdmin):
    form = EpisodeAdminForm
    change_form_template = "admin/podcasts/episode/change_form.html"
    list_display = [
        "number",
        "title",
        "show",
        "status",
        "publish_at",
        "published_at",
        "has_transcript",
        "has_sign_language",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["show", "status"]
    search_fields = ["title", "description", "guests__name"]
    inlines = [EpisodeGuestInline]
    actions = ["publish", "schedule", "unpublish"]
    readonly_fields = [
        "status",
        "guid",
        "published_at",
        "audio_type",
        "audio_size",
        "audio_duration",
        "audio_bitrate",
        "sign_language_video_size",
        "conformance_panel",
        "feed_preview",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "show",
                    ("number", "season", "episode_type"),
                    "title",
                    "description",
                    "explicit",
                ]
            },
        ),
        (
            _("Files"),
            {
                "fields": [
                    "audio",
                    "kept_audio",
                    ("audio_type", "audio_size", "audio_duration", "audio_bitrate"),
                    "transcript",
                    "kept_transcript",
                    ("sign_language_video", "sign_language_video_size"),
                    "kept_sign_language_video",
                ]
            },
        ),
        (_("Publishing"), {"fields": ["status", "publish_at", "published_at", "guid"]}),
        (_("Before publishing"), {"fields": ["conformance_panel", "feed_preview"]}),
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        """Who may only look is not shown the form's own fields that keep uploads."""
        if self.has_change_permission(request, obj):
            return self.fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in KEPT]})
            for name, options in cast(list[tuple[Any, dict[str, Any]]], self.fieldsets)
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Episode]:
        return super().get_queryset(request).select_related("show")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user_pk": request.user.pk})

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        """After a refused try, the files chosen are kept and the errors listed at the top,
        each linked to its field."""
        form = context["adminform"].form
        formsets = [inline.formset for inline in context.get("inline_admin_formsets", [])]
        if form.is_bound and (form.errors or any(not f.is_valid() for f in formsets)):
            form.keep_files()
            context["error_summary"] = error_summary(form, formsets)
        context["may_publish"] = self.has_publish_permission(request)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(
        self, request: HttpRequest, obj: Episode, post_url_continue: str | None = None
    ) -> HttpResponse:
        return self._publish_step(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request: HttpRequest, obj: Episode) -> HttpResponse:
        return self._publish_step(request, obj) or super().response_change(request, obj)

    def _publish_step(self, request: HttpRequest, episode: Episode) -> HttpResponse | None:
        """ "Save and publish" on the episode's own page: the episode is saved, then published;
        a refusal is told on the page, where the episode stays a draft."""
        if PUBLISH_NOW not in request.POST:
            return None
        change_url = reverse("admin:podcasts_episode_change", args=[episode.pk])
        published = self.run(
            request, lambda: services.episode_publish(episode=episode, actor=request_actor(request))
        )
        if published is not None:
            messages.success(
                request, _("The episode “%(title)s” is published.") % {"title": episode.title}
            )
        return HttpResponseRedirect(change_url)

    @admin.display(description=_("transcript"), boolean=True)
    def has_transcript(self, episode: Episode) -> bool:
        return bool(episode.transcript)

    @admin.display(description=_("sign language"), boolean=True)
    def has_sign_language(self, episode: Episode) -> bool:
        return bool(episode.sign_language_video)

    @admin.display(description=_("conformance check"))
    def conformance_panel(self, episode: Episode) -> SafeString | str:
        if not episode.pk:
            return "–"
        return _findings_html(conformance.episode_check(episode))

    @admin.display(description=_("the episode in the feed"))
    def feed_preview(self, episode: Episode) -> SafeString | str:
        if not episode.pk:
            return "–"
        return format_html(
            '<pre class="feed-preview" style="white-space: pre-wrap; overflow-wrap: anywhere">'
            "{}</pre>",
            item_preview(episode),
        )

    def save_model(self, request: HttpRequest, obj: Episode, form: Any, change: bool) -> None:
        fields = _model_fields(form)
        if change:
            services.episode_update(episode=obj, actor=request_actor(request), **fields)
        else:
            show = fields.pop("show")
            obj.pk = services.episode_create(show=show, actor=request_actor(request), **fields).pk
        form.kept_files_delete()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            if formset.model is EpisodeGuest:
                guests = [
                    data
                    for data in formset.cleaned_data
                    if data and not data.get("DELETE") and data.get("name")
                ]
                services.episode_guests_set(
                    episode=form.instance, guests=guests, actor=request_actor(request)
                )

    def has_delete_permission(self, request: HttpRequest, obj: Episode | None = None) -> bool:
        return False  # unpublish instead: an episode stays in admin and history

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("podcasts.publish_episode")

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Episode]) -> None:
        actor = request_actor(request)
        self.run_each(
            request,
            queryset,
            lambda e: services.episode_publish(episode=e, actor=actor),
            str(_("%(count)s episodes published.")),
        )

    @admin.action(description=_("Schedule at the publish time"), permissions=["publish"])
    def schedule(self, request: HttpRequest, queryset: QuerySet[Episode]) -> None:
        actor = request_actor(request)

        def step(episode: Episode) -> None:
            if episode.publish_at is None:
                raise ValidationError(_("Set the publish time first."))
            services.episode_schedule(episode=episode, publish_at=episode.publish_at, actor=actor)

        self.run_each(request, queryset, step, str(_("%(count)s episodes scheduled.")))

    @admin.action(description=_("Unpublish"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Episode]) -> None:
        actor = request_actor(request)
        self.run_each(
            request,
            queryset,
            lambda e: services.episode_unpublish(episode=e, actor=actor),
            str(_("%(count)s episodes unpublished.")),
        )
