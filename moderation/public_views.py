"""The public pages of moderation: the account of moderation (/insyn/), with a chart and
tables, and the author's request for reconsideration."""

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import ApplicationError
from core.sections import page_sections_render
from moderation.forms import (
    ReconsiderationFormThrottle,
    ReconsiderationRequestForm,
    StatisticsMonthForm,
)
from moderation.reconsideration import reconsideration_request_submit
from moderation.statistics import (
    FEWER_THAN_SMALL,
    MEDIANS,
    StatisticsRow,
    moderation_statistics,
    month_after,
)

CHART_MONTHS = 12
PICKER_MONTHS = 24
CHART_SERIES = ("received", "hidden", "removed")
CHART_HEIGHT = 180
CHART_TOP = 10
CHART_LEFT = 10
GROUP_WIDTH = 56
BAR_WIDTH = 14
CHANNEL_COLUMNS = (
    "received",
    "hidden",
    "removed",
    "blocked",
    "reconsiderations_asked",
    "reconsiderations_upheld",
    "reconsiderations_changed",
    "reconsiderations_pending",
    "median_minutes_to_first_action",
    "median_minutes_to_hiding",
)
RULE_COLUMNS = ("hidden", "removed", "blocked")


def _months_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - (count - 1)
    return date(index // 12, index % 12 + 1, 1)


def cell_text(row: StatisticsRow, name: str) -> str:
    """A cell as people read it: a number, a duration, "färre än 3" or "skyddat"."""
    if name in row.suppressed:
        return _("fewer than 3") if row.suppressed[name] == FEWER_THAN_SMALL else _("protected")
    value = row.values.get(name)
    if value is None:
        return "–"
    if name in MEDIANS:
        return duration_text(float(value))
    return formats.number_format(value, force_grouping=True)


def duration_text(minutes: float) -> str:
    whole = round(minutes)
    if whole < 60:
        return _("%d min") % whole
    hours, rest = divmod(whole, 60)
    if hours < 48:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    return _("%d days") % round(hours / 24)


def _empty(month: date) -> StatisticsRow:
    """A month nothing reached us: every count is zero, so fewer than 3."""
    return StatisticsRow(month=month, suppressed=dict.fromkeys(CHART_SERIES, FEWER_THAN_SMALL))


def _chart(totals: list[StatisticsRow], months: list[date]) -> dict[str, Any]:
    by_month = {row.month: row for row in totals}
    peak = max(
        [3, *(int(row.published(s) or 0) for row in totals for s in CHART_SERIES)],
    )
    groups = []
    for index, month in enumerate(months):
        row = by_month.get(month) or _empty(month)
        x = CHART_LEFT + index * GROUP_WIDTH
        bars = []
        for position, series in enumerate(CHART_SERIES):
            value = row.published(series)
            height = round(int(value or 0) / peak * CHART_HEIGHT)
            bars.append(
                {
                    "series": series,
                    "x": x + position * BAR_WIDTH,
                    "y": CHART_TOP + CHART_HEIGHT - height,
                    "height": height,
                    "text": cell_text(row, series),
                }
            )
        groups.append({"month": month, "x": x, "label_x": x + BAR_WIDTH * 1.5, "bars": bars})
    return {
        "groups": groups,
        "width": CHART_LEFT * 2 + len(months) * GROUP_WIDTH,
        "height": CHART_TOP + CHART_HEIGHT + 30,
        "baseline": CHART_TOP + CHART_HEIGHT,
        "label_y": CHART_TOP + CHART_HEIGHT + 18,
        "peak": peak,
    }


def _table(rows: list[StatisticsRow], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"row": row, "cells": [cell_text(row, name) for name in columns]} for row in rows]


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """One month's figures per channel and per rule, and a chart of the twelve months up to it
    (one computation; medians and counts in the database)."""
    form = StatisticsMonthForm(request.GET)
    this_month = timezone.localdate().replace(day=1)
    status = 200
    if form.is_valid():
        month = form.cleaned_data["manad"]
    else:
        month, status = this_month, 400
    months = [_months_back(month, CHART_MONTHS - i) for i in range(CHART_MONTHS)]
    figures = moderation_statistics(since=months[0], until=month)
    total = figures.for_month(month, "month")
    context = {
        "form": form,
        "month": month,
        "month_value": f"{month:%Y-%m}",
        "picker": [_months_back(this_month, i + 1) for i in range(PICKER_MONTHS)],
        "previous_month": _months_back(month, 2),
        "next_month": month_after(month) if month < this_month else None,
        "chart": _chart(figures.totals(), months),
        "chart_rows": _table(
            [
                next((r for r in figures.totals() if r.month == m), None) or _empty(m)
                for m in months
            ],
            CHART_SERIES,
        ),
        "total": _table(total, CHANNEL_COLUMNS),
        "channels": _table(figures.for_month(month, "channel"), CHANNEL_COLUMNS),
        "rules": _table(figures.for_month(month, "rule"), RULE_COLUMNS),
        "sections": page_sections_render("public_statistics", request, month=month),
    }
    return render(request, "moderation/statistics.html", context, status=status)


@require_http_methods(["GET", "POST"])
def reconsideration_request_form(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = ReconsiderationRequestForm(request.POST)
        if not ReconsiderationFormThrottle().allow(request):
            form = _form_again(form)
            form.add_error(
                None,
                _("You have sent this form many times in a short while. Try again in an hour."),
            )
            status = 429
        elif form.is_valid():
            try:
                created = reconsideration_request_submit(
                    permalink=form.cleaned_data["permalink"],
                    reason=form.cleaned_data["reason"],
                    contact=form.cleaned_data["contact"],
                    form_nonce=form.cleaned_data["token"],
                )
            except (ValidationError, ApplicationError) as error:
                # Not our comment, nothing to reconsider, or a repeated post: nothing stored.
                form = _form_again(form)
                form.add_error(
                    None, error.message if isinstance(error, ApplicationError) else error
                )
                status = 422 if isinstance(error, ApplicationError) else 400
            else:
                due = timezone.localtime(created.due_at)
                messages.success(
                    request,
                    _("Your request has been received. It will be answered by %(due)s.")
                    % {"due": formats.date_format(due, "j F Y")},
                )
                return redirect("moderation-public:reconsideration-received")
        else:
            status = 400
    else:
        form = ReconsiderationRequestForm(
            initial={"token": ReconsiderationRequestForm.token_issue()}
        )
    context = {"form": form, "working_days": settings.MODERATION_RECONSIDERATION_WORKING_DAYS}
    return render(request, "moderation/reconsideration_form.html", context, status=status)


def _form_again(form: ReconsiderationRequestForm) -> ReconsiderationRequestForm:
    """The form with what was typed and a fresh nonce, so the author can correct and resend."""
    data = dict(form.data.items())
    data["token"] = ReconsiderationRequestForm.token_issue()
    again = ReconsiderationRequestForm(data)
    again.is_valid()
    return again


@require_GET
def reconsideration_request_received(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/reconsideration_received.html")
