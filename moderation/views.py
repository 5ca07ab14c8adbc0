"""The moderator's pages inside the admin site: the queue (list, item, keyboard actions, a
status poll so two moderators do not decide the same item) and the monthly metrics with CSV."""

import csv
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from channels_app.models import Channel
from core.admin import REFUSALS, refusal_text
from core.api.filters import ID_MAX
from core.sections import page_sections_render
from moderation import selectors, services, statistics
from moderation.choices import DecisionAction, ItemState
from moderation.filters import ItemFilterSet
from moderation.models import Block, Decision, Item, PoliceReportChecklist, ReplyTemplate
from moderation.queue import (
    PAGE_COLUMNS,
    PAGE_NAMED,
    QUEUE_LENGTH,
    excerpt,
    item_queue,
    page_rows,
    page_rows_html,
    short_time,
)
from records.access import (
    Access,
    ContentState,
    content_access,
    item_access,
    item_content_state,
    row_content_state,
    withheld_label,
)
from records.admin_media import stored_media_links

ITEM_ACTIONS = {
    DecisionAction.KEEP,
    DecisionAction.HIDE,
    DecisionAction.UNHIDE,
    DecisionAction.REMOVE,
    DecisionAction.ESCALATE,
    DecisionAction.REOPEN,
    DecisionAction.BLOCK,
    DecisionAction.REPLY,
}
# Decisions that settle the item for now: the page moves on to the next item in the queue.
ADVANCING_ACTIONS = {
    DecisionAction.KEEP,
    DecisionAction.HIDE,
    DecisionAction.REMOVE,
    DecisionAction.ESCALATE,
    DecisionAction.BLOCK,
}
SHORTCUTS = [
    ("j", _("Next item")),
    ("k", _("Previous item")),
    ("c", _("Claim the item")),
    ("b", _("Keep")),
    ("h", _("Hide, with a ground")),
    ("r", _("Remove, with a ground")),
    ("s", _("Block the author, with a ground")),
    ("e", _("Escalate")),
    ("1–9", _("In the ground dialog: choose a ground")),
    ("?", _("Show this help")),
    ("Esc", _("Close a dialog")),
]


class QueueActForm(forms.Form):
    """The references and the end date an action on the item may carry, read before any
    service runs: a malformed one is refused with a message, never a server error."""

    ends_at = forms.DateTimeField(label=gettext_lazy("ends"), required=False)
    decision = forms.ModelChoiceField(
        label=gettext_lazy("decision"), queryset=Decision.objects.none()
    )
    block = forms.ModelChoiceField(label=gettext_lazy("block"), queryset=Block.objects.all())
    reply_template = forms.ModelChoiceField(
        label=gettext_lazy("reply template"),
        queryset=ReplyTemplate.objects.filter(is_active=True),
        required=False,
    )

    def __init__(self, *args: Any, item: Item, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ModelChoiceField)
        decision.queryset = Decision.objects.filter(item=item)
        decision.required = action == "reconsider"
        self.fields["block"].required = action == "lift"

    def refusal(self) -> str:
        return " ".join(
            f"{capfirst(self.fields[name].label)}: {' '.join(str(m) for m in messages)}"
            for name, messages in self.errors.items()
        )


def _require(request: HttpRequest, permission: str) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm(permission):
        raise PermissionDenied
    return user


def _filters(params: QueryDict) -> QueryDict:
    params = params.copy()
    if not any(params.get(key) for key in ("channel", "state", "ground", "due", "q")):
        params["due"] = "open"
    return params


def _items_shown(
    rows: list[dict[str, Any]],
    viewer: User,
    current: Item,
    access: Access,
    *,
    query: str,
    length: int,
    time_format: str,
) -> None:
    """Mark each item beside the current one (thread, the author's earlier items: plain rows)
    with whether the policy shows its content, the current one as the page shows it, and
    with what the page lists of it, worked out here rather than by the template's tags and
    filters: its state's label, its page's address, its platform time as the date filter's
    "j b" and ``time_format``, and its text cut to ``length`` characters."""
    states = {str(value): str(label) for value, label in ItemState.choices}
    # The item's page is the queue's address and the item's id ("queue/<int:pk>/").
    queue_url = reverse("admin:moderation_queue")
    for row in rows:
        row_access = (
            access if row["id"] == current.pk else content_access(viewer, row_content_state(row))
        )
        row["content_shown"] = row_access.shows_content
        row["state_label"] = states.get(row["state"], row["state"])
        row["url"] = f"{queue_url}{row['id']}/?{query}"
        row["when"] = short_time(row["platform_time"], time_format)
        row["excerpt"] = excerpt(row["text"], length) if row_access.shows_content else ""


def _free_text_withheld(related: dict[str, Any], viewer: User, except_record: int | None) -> None:
    """Notes and rationales tied to a secret entry besides the item (they paste its words, or
    are about its author) say so instead of their text, unless the policy shows the viewer
    secret content (``selectors.free_text_ties``; ``except_record``: the entry whose content
    the viewer was just shown)."""
    if content_access(viewer, ContentState.SECRET).shows_content:
        return
    notes = [*related["notes"], *related["author_notes"]]
    ties = selectors.free_text_ties(
        decisions=related["decisions"], notes=notes, except_record=except_record
    )
    label = withheld_label(ContentState.SECRET)
    for note in notes:
        tied = ties.tied(note) or note.author_id in ties.secret_authors
        note.withheld = label if tied else ""
    for decision in related["decisions"]:
        decision.rationale_withheld = ties.tied(decision)
        decision.reconsideration_withheld = hasattr(decision, "reconsideration") and ties.tied(
            decision.reconsideration
        )
        for asked in decision.reconsideration_requests.all():
            asked.withheld = ties.tied(asked)


def _queue_filterset(
    query: QueryDict, request: HttpRequest, *columns: str, **named: Any
) -> ItemFilterSet:
    """The queue under the page's filter, as plain rows of ``columns`` and ``named``."""
    return ItemFilterSet(
        _filters(query), queryset=item_queue(columns=columns, **named), request=request
    )


def _queue_ids(query: str, request: HttpRequest) -> list[int]:
    return [
        row["id"] for row in _queue_filterset(QueryDict(query), request, "id").qs[:QUEUE_LENGTH]
    ]


def _next_item(decided: int, before: list[int], query: str, request: HttpRequest) -> int | None:
    """The item that followed the decided one in the queue the moderator saw, if it is still in
    the queue; else the first item still waiting."""
    after = [pk for pk in _queue_ids(query, request) if pk != decided]
    position = before.index(decided) + 1 if decided in before else 0
    for pk in before[position:]:
        if pk in after:
            return pk
    return after[0] if after else None


# The queue filter's fields the page shows, in order.
FILTER_FIELDS = ("channel", "state", "ground", "due", "q")


def _filter_fields(form: forms.Form) -> list[tuple[str, str, SafeString]]:
    """The filter's fields as the page shows them (id, label, control), the HTML Django's
    select and text widgets give, written here: their templates, one per option, were much
    of the page's CPU (bench/NOTES.md)."""
    fields = []
    for name in FILTER_FIELDS:
        field = form[name]
        value = field.value()
        invalid = ' aria-invalid="true" aria-describedby="{0}_error"' if field.errors else ""
        attrs = format_html(invalid + ' id="{0}"', field.auto_id)
        if isinstance(field.field, forms.ChoiceField):
            selected = "" if value is None else str(value)
            # Flat choices, no groups: a list or a callable's (the filter's channels, grounds).
            flat = cast(Iterable[tuple[Any, Any]], field.field.choices)
            choices = [(str(key), label) for key, label in flat]
            first = next((key for key, _label in choices if key == selected), None)
            options = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>\n',
                ((key, " selected" if key == first else "", label) for key, label in choices),
            )
            control = format_html(
                '<select name="{}"{}>{}\n</select>', field.html_name, attrs, options
            )
        else:
            shown = format_html(' value="{}"', value) if value not in (None, "") else ""
            control = format_html(
                '<input type="text" name="{}"{}{}>', field.html_name, shown, attrs
            )
        fields.append((field.auto_id, str(capfirst(field.label)), control))
    return fields


def _admin_frame(request: HttpRequest) -> dict[str, Any]:
    """The admin's context for the queue's page: ``AdminSite.each_context`` without the list
    of every app and model it builds for the sidebar. The page is its own two columns (the
    queue, the item) and shows no sidebar, whose list was much of its CPU (bench/NOTES.md);
    the breadcrumbs lead home."""
    return {
        "site_title": admin.site.site_title,
        "site_header": admin.site.site_header,
        "site_url": admin.site.site_url,
        "has_permission": admin.site.has_permission(request),
        "is_popup": False,
        "is_nav_sidebar_enabled": False,
    }


@require_GET
def queue(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _queue_page(request, pk, params=request.GET)


def _queue_page(
    request: HttpRequest, pk: int | None, *, params: QueryDict, revealed: Access | None = None
) -> HttpResponse:
    """The queue and the current item; ``revealed`` is the access the logged "show content"
    step gave for that item (this response only)."""
    user = _require(request, "moderation.view_item")
    filterset = _queue_filterset(params, request, "id")
    ids = [row["id"] for row in filterset.qs[:QUEUE_LENGTH]]
    current: Item | None = None
    if pk is not None or ids:
        current = get_object_or_404(selectors.item_page(), pk=ids[0] if pk is None else pk)
    query = params.urlencode()
    can_decide = user.has_perm("moderation.decide_item")
    context: dict[str, Any] = {
        **_admin_frame(request),
        "title": _("Moderation queue"),
        "filter_fields": _filter_fields(filterset.form),
        "queue_ids": ids,
        "current": current,
        "query": query,
        "shortcuts": SHORTCUTS,
        "can_decide": can_decide,
        "now": timezone.now(),
    }
    if current is not None:
        access = revealed or item_access(user, current)
        shown = access.shows_content
        position = ids.index(current.pk) if current.pk in ids else -1
        hits = selectors.hit_list(version=current.current_version_id)
        related = selectors.item_context(item=current, shown=shown)
        _free_text_withheld(related, user, current.record_id if revealed is not None else None)
        _items_shown(
            related["thread"], user, current, access, query=query, length=200, time_format="%H:%M"
        )
        _items_shown(
            related["earlier_items"],
            user,
            current,
            access,
            query=query,
            length=120,
            time_format="%Y",
        )
        context.update(
            related,
            content_access=access.value,
            content_shown=shown,
            content_withheld_label="" if shown else withheld_label(item_content_state(current)),
            hits=hits if shown else [],
            media_files=_media_links(user, current),
            segments=selectors.text_segments(current.text, hits) if shown else [],
            previous_id=ids[position - 1] if position > 0 else None,
            next_id=ids[position + 1] if 0 <= position < len(ids) - 1 else None,
            # Only the forms of those who may decide list the grounds and reply templates.
            grounds=list(selectors.ground_list()) if can_decide else [],
            templates=list(ReplyTemplate.objects.filter(is_active=True)) if can_decide else [],
            claimed_by_me=current.claimed_by_id == user.pk
            and current.state == ItemState.CLAIMED
            and bool(current.claimed_until and current.claimed_until > timezone.now()),
        )
    return render(request, "admin/moderation/queue.html", context)


@require_GET
def queue_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """The queue's rows beside item ``pk`` (the list of the item's page, fetched by its script
    after the page): the same filter, the same withholding as the API's list of the queue."""
    user = _require(request, "moderation.view_item")
    filterset = _queue_filterset(request.GET, request, *PAGE_COLUMNS, **PAGE_NAMED)
    rows = list(filterset.qs[:QUEUE_LENGTH])
    items = page_rows(
        rows, current_id=pk, query=request.GET.urlencode(), now=timezone.now(), viewer=user
    )
    html = page_rows_html(items, can_decide=user.has_perm("moderation.decide_item"))
    return HttpResponse(html, content_type="text/html; charset=utf-8")


def _media_links(user: User, item: Item) -> list[dict[str, object]]:
    """The item's entry's stored files, where the register would serve them to ``user``: the
    policy shows the content without the logged step, and the user may read the register."""
    if not (item_access(user, item).shows_content and user.has_perm("records.view_record")):
        return []
    return stored_media_links(item.record_id)


def _back(pk: int | None, query: str) -> HttpResponseRedirect:
    if pk is None:
        url = reverse("admin:moderation_queue")
    else:
        url = reverse("admin:moderation_queue_item", args=[pk])
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


def _decided_message(decision: Decision, *, query: str, moved_on: bool) -> str:
    """What the moderator is told after a decision: the decision, whether the platform was not
    told, the police-report checklist a removal opened, and a way back when the page moved on."""
    text = format_html("{}", _("Decision recorded: %s.") % decision.get_action_display().lower())
    if not decision.platform_connected and decision.action in services.PLATFORM_ACTION_FOR:
        text = format_html(
            "{} {}",
            text,
            _(
                "The channel is not connected to its platform: nothing was sent there. "
                "Take the action on the platform."
            ),
        )
    checklist = PoliceReportChecklist.objects.filter(decision=decision).first()
    if checklist is not None:
        text = format_html(
            '{} {} <a href="{}">{}</a>',
            text,
            _("The ground is to be reported to the police: a checklist is opened."),
            reverse("admin:moderation_policereportchecklist_change", args=[checklist.pk]),
            checklist,
        )
    if moved_on and decision.item_id is not None:
        url = reverse("admin:moderation_queue_item", args=[decision.item_id])
        text = format_html(
            '{} <a href="{}">{}</a>',
            text,
            f"{url}?{query}" if query else url,
            _("Back to the decided item"),
        )
    return text


@require_POST
def queue_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Every button and shortcut on the item posts here; the service decides and re-checks the
    claim, so a stale page cannot overrule another moderator. Only those who may decide may
    post here at all; the services check each step's own permission again."""
    user = _require(request, "moderation.decide_item")
    item = get_object_or_404(Item, pk=pk)
    data = request.POST
    action = data.get("action", "")
    rationale = data.get("rationale", "")
    query = data.get("query", "")
    target: int | None = pk
    if action == "reveal":
        try:
            access = services.item_content_reveal(
                item=Item.objects.select_related("record").get(pk=pk),
                reason=data.get("reason", ""),
                actor=user,
            )
        except REFUSALS as exc:
            messages.error(request, refusal_text(exc))
            return _back(pk, query)
        return _queue_page(request, pk, params=QueryDict(query), revealed=access)
    form = QueueActForm(data, item=item, action=action)
    if not form.is_valid():
        messages.error(request, form.refusal())
        return _back(pk, query)
    fields = form.cleaned_data
    try:
        if action == "claim":
            services.item_claim(item=item, actor=user)
            messages.success(request, _("You have claimed the item for ten minutes."))
        elif action == "release":
            services.item_release(item=item, actor=user)
            messages.success(request, _("The item is back in the queue."))
        elif action == "note":
            services.note_create(item=item, text=data.get("text", ""), actor=user)
            messages.success(request, _("The note is saved."))
        elif action == "author_note":
            services.note_create(author=item.author, text=data.get("text", ""), actor=user)
            messages.success(request, _("The note is saved."))
        elif action == "reconsider":
            services.decision_reconsider(
                decision=fields["decision"],
                outcome=data.get("outcome", ""),
                rationale=rationale,
                actor=user,
            )
            messages.success(request, _("The reconsideration is recorded."))
        elif action == "lift":
            services.block_lift(block=fields["block"], rationale=rationale, actor=user)
            messages.success(request, _("The block is lifted."))
        elif action in ITEM_ACTIONS:
            target = _queue_decide(request, item, action, fields, actor=user)
        else:
            messages.error(request, _("Unknown action."))
    except REFUSALS as exc:
        messages.error(request, refusal_text(exc))
    return _back(target, query)


def _queue_decide(
    request: HttpRequest, item: Item, action: str, fields: dict[str, Any], *, actor: User
) -> int | None:
    """A decision from the item page; one that settles the item moves the page on to the next
    item in the queue. Returns the item to show."""
    data = request.POST
    query = data.get("query", "")
    before = _queue_ids(query, request) if action in ADVANCING_ACTIONS else []
    decision = services.item_decide(
        item=item,
        action=action,
        ground_codes=data.getlist("grounds"),
        rationale=data.get("rationale", ""),
        reply_template=fields["reply_template"],
        reply_text=data.get("reply_text", ""),
        ends_at=fields["ends_at"],
        actor=actor,
    )
    target: int | None = item.pk
    if action in ADVANCING_ACTIONS:
        target = _next_item(item.pk, before, query, request)
    messages.success(request, _decided_message(decision, query=query, moved_on=target != item.pk))
    return target


@require_POST
def queue_bulk(request: HttpRequest) -> HttpResponse:
    user = _require(request, "moderation.decide_item")
    data = request.POST
    url = reverse("admin:moderation_queue")
    query = data.get("query", "")
    back = HttpResponseRedirect(f"{url}?{query}" if query else url)
    try:
        ids = [_item_id(value) for value in data.getlist("items")]
    except ValidationError:
        messages.error(request, _("The selection holds an item that does not exist."))
        return back
    items = list(Item.objects.filter(pk__in=ids))
    try:
        decisions = services.items_decide_bulk(
            items=items,
            action=data.get("action", ""),
            ground_codes=[data["ground"]] if data.get("ground") else [],
            rationale=data.get("rationale", ""),
            actor=user,
        )
        messages.success(request, _("%d decisions recorded.") % len(decisions))
    except REFUSALS as exc:
        messages.error(request, refusal_text(exc))
    return back


def _item_id(value: str) -> int:
    return int(forms.IntegerField(min_value=1, max_value=ID_MAX).clean(value))


@require_GET
def queue_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by the open item page: who holds it, and whether it changed under the reader."""
    user = _require(request, "moderation.view_item")
    item = get_object_or_404(Item.objects.select_related("claimed_by"), pk=pk)
    live = bool(item.claimed_until and item.claimed_until > timezone.now())
    return JsonResponse(
        {
            "state": item.state,
            "state_label": item.get_state_display(),
            "claimed_by": item.claimed_by.name if item.claimed_by and live else None,
            "claimed_by_me": live and item.claimed_by_id == user.pk,
            "decisions": item.decisions.count(),
        }
    )


def duration_text(value: timedelta | None) -> str:
    """A waiting time as days, hours and minutes."""
    if value is None:
        return "–"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [_("%d d") % days] if days else []
    if days or hours:
        parts.append(_("%d h") % hours)
    parts.append(_("%d min") % minutes)
    return " ".join(parts)


CHART_HEIGHT = 160
CHART_BAR = 18


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    _require(request, "moderation.view_item")
    year, channel = selectors.metrics_scope(request.GET)
    data = statistics.moderation_metrics(year=year, channel_id=channel.pk if channel else None)
    peak = max([1, *(m.received for m in data.months)])
    bars = []
    for index, month in enumerate(data.months):
        x = 40 + index * (CHART_BAR * 2 + 12)
        received = round(month.received / peak * CHART_HEIGHT)
        removed = round(month.removals / peak * CHART_HEIGHT)
        bars.append(
            {
                "month": month,
                "x": x,
                "x2": x + CHART_BAR,
                "received_h": received,
                "received_y": 10 + CHART_HEIGHT - received,
                "removed_h": removed,
                "removed_y": 10 + CHART_HEIGHT - removed,
                "label_x": x + CHART_BAR,
            }
        )
    totals_ground: dict[str, int] = {}
    totals_channel: dict[str, int] = {}
    for month in data.months:
        for key, value in month.removals_by_ground.items():
            totals_ground[key] = totals_ground.get(key, 0) + value
        for key, value in month.removals_by_channel.items():
            totals_channel[key] = totals_channel.get(key, 0) + value
    context = {
        **admin.site.each_context(request),
        "title": _("Moderation metrics %d") % year,
        "year": year,
        "channel": channel,
        "channels": Channel.objects.all(),
        "metrics": data,
        "oldest_age": duration_text(data.oldest_age),
        "median_age": duration_text(data.median_age),
        "bars": bars,
        "chart_width": 40 + 12 * (CHART_BAR * 2 + 12),
        "chart_height": CHART_HEIGHT + 40,
        "baseline": CHART_HEIGHT + 10,
        "peak": peak,
        "totals_ground": sorted(totals_ground.items(), key=lambda kv: -kv[1]),
        "totals_channel": sorted(totals_channel.items(), key=lambda kv: -kv[1]),
        "query": request.GET.urlencode(),
        "sections": page_sections_render("moderation_metrics", request, year=year),
    }
    return render(request, "admin/moderation/metrics.html", context)


@require_GET
def metrics_csv(request: HttpRequest) -> HttpResponse:
    _require(request, "moderation.view_item")
    year, channel = selectors.metrics_scope(request.GET)
    data = statistics.moderation_metrics(year=year, channel_id=channel.pk if channel else None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="moderering-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("month"),
            _("received"),
            _("median minutes to first action"),
            _("median minutes to hide"),
            _("due-time breaches"),
            _("removals"),
            _("removals per ground"),
            _("removals per channel"),
        ]
    )
    for month in data.months:
        writer.writerow(
            [
                month.month.strftime("%Y-%m"),
                month.received,
                "" if month.median_first_action is None else month.median_first_action,
                "" if month.median_hide is None else month.median_hide,
                month.due_breaches,
                month.removals,
                "; ".join(f"{k}: {v}" for k, v in sorted(month.removals_by_ground.items())),
                "; ".join(f"{k}: {v}" for k, v in sorted(month.removals_by_channel.items())),
            ]
        )
    return response
