"""Admin for moderation: the catalogues editors and administrators keep (grounds, word lists,
reply templates), read-only views of the audit trail, and the moderator's queue and metrics
pages (moderation.views), reached through the item admin's URLs."""

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.history_admin import HistoryAdmin
from core.actors import request_actor
from core.admin import ReadOnlyAdmin, ServiceAdminMixin
from moderation import services, views
from moderation.models import (
    Block,
    ChannelConnection,
    Decision,
    EscalationContact,
    Ground,
    Item,
    PlatformAction,
    PoliceReportChecklist,
    ReconsiderationRequest,
    ReplyTemplate,
    ThreatTerm,
    UrgentAlert,
    Word,
)
from moderation.platforms import connections
from moderation.reconsideration import reconsideration_request_list
from records.access import (
    Access,
    ContentState,
    content_access,
    content_view_log,
    item_access,
    item_content_state,
    withheld_label,
)
from records.quoting import secret_quotation


def quotes_annotate(rows: QuerySet[Any]) -> QuerySet[Any]:
    """``quotes_secret``: the row's free text pastes words of a secret entry."""
    return rows.annotate(quotes_secret=secret_quotation(rows.model))


class ItemContentAdmin(ReadOnlyAdmin):
    """Rows about an item (decisions, blocks, requests for reconsideration) whose
    ``content_fields`` carry the citizen's content or identity (the author, rationales and
    reasons that may quote the item): shown only as the access policy allows for the item, in
    the list and on the change page; a moderator sees them through the logged "show content"
    step on the item. Nothing of the request is kept on the shared admin object."""

    content_fields: tuple[str, ...] = ()
    item_path = "item"  # the row's item, as a dotted attribute path

    def content_item(self, obj: Any) -> Item | None:
        item = obj
        for name in self.item_path.split("."):
            item = getattr(item, name, None)
        return item

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return quotes_annotate(super().get_queryset(request))

    def content_shown(self, request: HttpRequest, obj: Any) -> Access:
        """The item's access; free text that pastes a secret entry's words (records.quoting)
        is withheld as that entry is."""
        item, viewer = self.content_item(obj), request_actor(request)
        access = Access.SHOWN if item is None else item_access(viewer, item)
        if access.shows_content and getattr(obj, "quotes_secret", False):
            return content_access(viewer, ContentState.SECRET)
        return access

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fields = list(super().get_fields(request, obj))
        if obj is not None and not self.content_shown(request, obj).shows_content:
            fields = [name for name in fields if name not in self.content_fields]
        return fields

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        """Each content column asks the policy for its row, as this request's viewer."""

        def column(name: str) -> Any:
            def shown(obj: Any) -> Any:
                access = self.content_shown(request, obj)
                if access.shows_content:
                    return getattr(obj, name)
                item = self.content_item(obj)
                state = item_content_state(item) if item is not None else ContentState.SECRET
                return withheld_label(state)

            return admin.display(description=self.model._meta.get_field(name).verbose_name)(shown)

        return [
            column(name) if name in self.content_fields else name
            for name in super().get_list_display(request)
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        item = self.content_item(obj) if obj is not None else None
        if item is not None and self.content_shown(request, obj) == Access.LOGGED:
            content_view_log(
                record=item.record,  # type: ignore[arg-type]  # LOGGED: the entry is secret
                user=request_actor(request),
                purpose=f"admin {self.model._meta.model_name} {object_id}",
            )
        return super().change_view(request, object_id, form_url, extra_context)


class CatalogueAdmin(HistoryAdmin):
    """Grounds, words and templates are saved through the service, with its permission check."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.catalogue_entry_save(entry=obj, actor=request_actor(request))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # retire with "active" instead: decisions cite them


@admin.register(Ground)
class GroundAdmin(CatalogueAdmin):
    list_display = ["wording", "code", "mandatory_removal", "requires_rationale", "police_report"]
    list_filter = ["mandatory_removal", "requires_rationale", "police_report", "is_active"]


@admin.register(Word)
class WordAdmin(CatalogueAdmin):
    list_display = ["term", "list", "ground", "is_active"]
    list_filter = ["list", "ground", "is_active"]
    search_fields = ["term"]
    fields = ["list", "term", "ground", "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super(CatalogueAdmin, self).has_delete_permission(request, obj)


@admin.register(ThreatTerm)
class ThreatTermAdmin(CatalogueAdmin):
    """The threat detector's lexicon (moderation.threats): editors tune it here."""

    list_display = ["term", "category", "note", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["term", "note"]
    fields = ["category", "term", "note", "is_active"]


@admin.register(EscalationContact)
class EscalationContactAdmin(CatalogueAdmin):
    list_display = ["order", "name", "email", "is_active"]
    fields = ["order", "name", "email", "is_active"]


@admin.register(UrgentAlert)
class UrgentAlertAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "item", "level", "recipients", "webhook_status"]
    list_select_related = ["item__channel"]
    date_hierarchy = "sent_at"


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(CatalogueAdmin):
    list_display = ["title", "code", "is_active"]
    fields = ["code", "title", "text", "is_active"]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    """The item list is the queue page; the metrics page sits beside it."""

    list_display = ["external_id", "channel", "state", "priority", "due_at"]
    # What carries the citizen's content or identity: shown only as the access policy allows.
    content_fields = ("text", "raw_payload", "author")
    readonly_fields = ["raw_payload_shown"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fields = [f for f in super().get_fields(request, obj) if f != "raw_payload_shown"]
        if obj is not None and not item_access(request.user, obj).shows_content:
            fields = [name for name in fields if name not in self.content_fields]
        return ["raw_payload_shown" if f == "raw_payload" else f for f in fields]

    @admin.display(description=_("raw payload"))
    def raw_payload_shown(self, item: Item) -> str:
        """What the platform sent, as it sent it, laid out to be read."""
        payload = json.dumps(item.raw_payload, indent=2, ensure_ascii=False)
        return format_html('<pre class="raw-payload">{}</pre>', payload)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("queue/", wrap(views.queue), name="moderation_queue"),
            path("queue/<int:pk>/", wrap(views.queue), name="moderation_queue_item"),
            path("queue/<int:pk>/act/", wrap(views.queue_act), name="moderation_queue_act"),
            path("queue/<int:pk>/status/", wrap(views.queue_status), name="moderation_status"),
            path("queue/<int:pk>/rows/", wrap(views.queue_rows), name="moderation_queue_rows"),
            path("queue/bulk/", wrap(views.queue_bulk), name="moderation_queue_bulk"),
            path("metrics/", wrap(views.metrics), name="moderation_metrics"),
            path("metrics.csv", wrap(views.metrics_csv), name="moderation_metrics_csv"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:moderation_queue"))


@admin.register(Decision)
class DecisionAdmin(ItemContentAdmin):
    list_display = ["created_at", "action", "channel", "item", "author", "moderator", "automated"]
    list_filter = ["action", "automated", "channel"]
    list_select_related = ["channel", "item__channel", "item__record", "author", "moderator"]
    date_hierarchy = "created_at"
    content_fields = ("author", "rationale")


class ReconsiderationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("open", _("Waiting for an answer")), ("overdue", _("Past its due time"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("open", "overdue"):
            queryset = queryset.filter(decision__reconsideration__isnull=True)
        if self.value() == "overdue":
            queryset = queryset.filter(due_at__lt=timezone.now())
        return queryset


@admin.register(ReconsiderationRequest)
class ReconsiderationRequestAdmin(ItemContentAdmin):
    """Authors' requests (from the public form), due first; a moderator other than the one who
    decided answers on the item's page."""

    list_display = ["received_at", "due_at", "channel", "decided", "assigned_to", "answer", "item"]
    list_filter = [ReconsiderationStatusFilter]
    fields = ["decision", "permalink", "reason", "contact", "assigned_to", "received_at", "due_at"]
    # The author's own words and address, about a comment whose content may be withheld.
    content_fields = ("reason", "contact")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReconsiderationRequest]:
        return quotes_annotate(
            reconsideration_request_list().select_related(
                "decision__reconsideration", "decision__item__record"
            )
        )

    item_path = "decision.item"

    @admin.display(description=_("channel"))
    def channel(self, obj: ReconsiderationRequest) -> str:
        return obj.decision.channel.name

    @admin.display(description=_("decision"))
    def decided(self, obj: ReconsiderationRequest) -> str:
        return f"{obj.decision.get_action_display()} – {obj.decision.moderator.name}"

    @admin.display(description=_("answer"))
    def answer(self, obj: ReconsiderationRequest) -> str:
        answered = getattr(obj.decision, "reconsideration", None)
        if answered is not None:
            return str(answered.get_outcome_display())
        return str(_("Past its due time") if obj.due_at < timezone.now() else _("Waiting"))

    @admin.display(description=_("item"))
    def item(self, obj: ReconsiderationRequest) -> str:
        if obj.decision.item_id is None:
            return ""
        url = reverse("admin:moderation_queue_item", args=[obj.decision.item_id])
        return format_html('<a href="{}">{}</a>', url, _("Open in the queue"))


@admin.register(Block)
class BlockAdmin(ServiceAdminMixin, ItemContentAdmin):
    list_display = ["author", "channel", "created_by", "created_at", "ends_at", "lifted_at"]
    list_filter = ["channel"]
    list_select_related = ["author", "channel", "created_by", "decision__item__record"]
    actions = ["lift"]
    # A block decided on a secret item names its author and may quote the item.
    content_fields = ("author", "rationale")

    item_path = "decision.item"

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not request.user.has_perm("moderation.change_block"):
            actions.pop("lift", None)
        return actions

    @admin.action(description=_("Lift the selected blocks"))
    def lift(self, request: HttpRequest, queryset: QuerySet[Block]) -> None:
        actor = request_actor(request)
        self.run_each(
            request,
            queryset.filter(lifted_at__isnull=True),
            lambda block: services.block_lift(block=block, actor=actor),
            _("%(count)s blocks lifted."),
        )


@admin.register(PlatformAction)
class PlatformActionAdmin(ItemContentAdmin):
    content_fields = ("text",)  # a reply may paste the words of a secret entry
    item_path = "decision.item"
    list_display = [
        "created_at",
        "action",
        "channel",
        "target_external_id",
        "state",
        "attempts",
        "next_attempt_at",
        "last_status_code",
    ]
    list_filter = ["state", "action", "channel"]
    list_select_related = ["channel"]


class ChannelConnectionForm(forms.ModelForm):
    """The token is write-only: it is never put back in the page, only whether one is set."""

    access_token = forms.CharField(
        label=_("new access token"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("The page or channel token. Leave empty to keep the stored one."),
    )
    forget_token = forms.BooleanField(label=_("remove the stored token"), required=False)

    class Meta:
        model = ChannelConnection
        fields = ["channel", "token_expires_at"]

    def clean_access_token(self) -> str:
        token: str = self.cleaned_data["access_token"]
        if any(c.isspace() for c in token):
            raise ValidationError(_("A token contains no spaces."))
        return token


@admin.register(ChannelConnection)
class ChannelConnectionAdmin(admin.ModelAdmin):
    """Capture health per channel, and the channel's token (saved through the service)."""

    form = ChannelConnectionForm
    list_display = [
        "channel",
        "account_id",
        "token_status",
        "last_delivery_at",
        "last_poll_at",
        "last_sent_at",
        "last_error_at",
        "last_error_start",
    ]
    list_select_related = ["channel"]
    list_filter = ["channel__platform"]
    readonly_fields = [
        "token_status",
        "last_delivery_at",
        "last_poll_at",
        "poll_deferred_until",
        "last_sent_at",
        "last_error_at",
        "last_error",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["channel", *self.readonly_fields] if obj else list(self.readonly_fields)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        """Who may only look sees whether a token is set, not the boxes that change it."""
        fields = list(super().get_fields(request, obj))
        if self.has_change_permission(request, obj):
            return fields
        return [f for f in fields if f not in ("access_token", "forget_token")]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("platform account id"))
    def account_id(self, connection: ChannelConnection) -> str:
        return connection.channel.platform_account_id or "–"

    @admin.display(description=_("token"))
    def token_status(self, connection: ChannelConnection) -> str:
        if not connection.has_token:
            return str(_("not set"))
        expires = connection.token_expires_at
        if expires is None:
            return str(_("set"))
        when = date_format(timezone.localtime(expires), "SHORT_DATETIME_FORMAT")
        if expires <= timezone.now():
            return str(_("set, expired %s")) % when
        return str(_("set, expires %s")) % when

    @admin.display(description=_("last error"))
    def last_error_start(self, connection: ChannelConnection) -> str:
        return connection.last_error[:120] or "–"

    def save_model(
        self, request: HttpRequest, obj: ChannelConnection, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        token = "" if data["forget_token"] else (data["access_token"] or None)
        saved = connections.channel_connection_save(
            channel=obj.channel,
            access_token=token,
            token_expires_at=data["token_expires_at"],
            actor=request_actor(request),
        )
        obj.pk = saved.pk
        obj._state.adding = False


@admin.register(PoliceReportChecklist)
class PoliceReportChecklistAdmin(HistoryAdmin):
    list_display = ["__str__", "evidence_secured", "reported_to_police", "completed_at"]
    list_select_related = ["decision__item", "decision__author"]
    fields = [
        "item_link",
        "evidence_secured",
        "reported_to_police",
        "police_reference",
        "security_informed",
    ]
    readonly_fields = ["item_link"]

    @admin.display(description=_("item"))
    def item_link(self, obj: PoliceReportChecklist) -> str:
        if obj.decision.item_id is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:moderation_queue_item", args=[obj.decision.item_id]),
            _("Open the item in the queue"),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: PoliceReportChecklist, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        complete = bool(
            data["evidence_secured"] and data["reported_to_police"] and data["police_reference"]
        )
        services.police_checklist_update(
            checklist=PoliceReportChecklist.objects.get(pk=obj.pk),
            evidence_secured=data["evidence_secured"],
            reported_to_police=data["reported_to_police"],
            police_reference=data["police_reference"],
            security_informed=data["security_informed"],
            complete=complete,
            actor=request_actor(request),
        )
