"""``/api/v1/moderation/statistics/``: the public account of moderation as open data, JSON or
CSV, for everyone (no token)."""

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from channels_app.models import Channel
from moderation.forms import month_parse
from moderation.models import Item
from moderation.statistics import (
    FEWER_THAN_SMALL,
    MEASURES,
    PROTECTED,
    StatisticsRow,
    moderation_statistics,
)

CSV_TEXT = {FEWER_THAN_SMALL: "färre än 3", PROTECTED: "skyddat"}
COLUMNS = ["month", "level", "channel", "channel_name", "rule", "rule_wording", *MEASURES]


class StatisticsQuerySerializer(serializers.Serializer):
    month = serializers.CharField(required=False, help_text="YYYY-MM; default: every month.")
    channel = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Channel.objects.all(),
        required=False,
        help_text="A channel's slug; default: every channel and the months' totals.",
    )

    def validate_month(self, value: str) -> Any:
        month = month_parse(value)
        if month is None:
            raise serializers.ValidationError(_("Give the month as YYYY-MM, e.g. 2026-03."))
        return month


class StatisticsRowSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM, Europe/Stockholm.")
    level = serializers.ChoiceField(
        choices=["month", "channel", "rule"],
        help_text="month: every channel; channel: one channel; rule: one rule on one channel "
        "(hidden, removed and blocked only).",
    )
    channel = serializers.CharField(allow_null=True)
    channel_name = serializers.CharField(allow_null=True)
    rule = serializers.CharField(allow_null=True, help_text="The published rule's code.")
    rule_wording = serializers.CharField(allow_null=True)
    received = serializers.IntegerField(allow_null=True)
    hidden = serializers.IntegerField(allow_null=True)
    removed = serializers.IntegerField(allow_null=True)
    blocked = serializers.IntegerField(allow_null=True)
    reconsiderations_asked = serializers.IntegerField(allow_null=True)
    reconsiderations_upheld = serializers.IntegerField(allow_null=True)
    reconsiderations_changed = serializers.IntegerField(allow_null=True)
    reconsiderations_pending = serializers.IntegerField(allow_null=True)
    median_minutes_to_first_action = serializers.FloatField(allow_null=True)
    median_minutes_to_hiding = serializers.FloatField(allow_null=True)
    suppressed = serializers.DictField(
        child=serializers.ChoiceField(choices=[FEWER_THAN_SMALL, PROTECTED]),
        help_text="Cells not published: fewer-than-3, or protected so that a small count cannot "
        "be worked out from a sum. Their values are null; null otherwise means the measure does "
        "not apply to the row's level.",
    )


class StatisticsSerializer(serializers.Serializer):
    results = StatisticsRowSerializer(many=True)


def row_representation(row: StatisticsRow) -> dict[str, Any]:
    body: dict[str, Any] = {
        "month": f"{row.month:%Y-%m}",
        "level": row.level,
        "channel": row.channel or None,
        "channel_name": row.channel_name or None,
        "rule": row.rule or None,
        "rule_wording": row.rule_wording or None,
    }
    for name in MEASURES:
        body[name] = row.published(name)
    body["suppressed"] = dict(sorted(row.suppressed.items()))
    return body


class StatisticsCsvRenderer(BaseRenderer):
    """One line per row; a suppressed cell reads "färre än 3" or "skyddat"."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in data["results"]:
            suppressed = row["suppressed"]
            writer.writerow(
                [
                    CSV_TEXT[suppressed[name]]
                    if name in suppressed
                    else ""
                    if row[name] is None
                    else row[name]
                    for name in COLUMNS
                ]
            )
        return out.getvalue().encode("utf-8")


class StatisticsView(APIView):
    """The public account of moderation per month, channel and published rule: comments received,
    hidden, removed, authors blocked, reconsiderations asked and how they went, median minutes
    to a person's first action and to hiding. Counts under 3 and medians over fewer than 3
    comments are suppressed, and so is a further cell wherever a small count could otherwise
    be worked out from a sum. No personal data."""

    public_read = True
    queryset = Item.objects.none()
    renderer_classes = [JSONRenderer, StatisticsCsvRenderer]

    def handle_exception(self, exc: Exception) -> Response:
        # Errors come in the API's one JSON format, whatever format was asked for.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM (Europe/Stockholm)."),
            OpenApiParameter("channel", OpenApiTypes.STR, description="A channel's slug."),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
        responses={
            200: OpenApiResponse(
                StatisticsSerializer, description="JSON, or CSV with ?format=csv (same columns)."
            )
        },
        operation_id="moderation_statistics",
        auth=[],
    )
    def get(self, request: Request) -> Response:
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        month = query.validated_data.get("month")
        channel = query.validated_data.get("channel")
        figures = moderation_statistics(since=month, until=month)
        rows = figures.filtered(channel=channel.slug if channel else "")
        response = Response({"results": [row_representation(row) for row in rows]})
        if request.accepted_renderer.format == "csv":
            name = "moderering" + (f"-{month:%Y-%m}" if month else "") + ".csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
