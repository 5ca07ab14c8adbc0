from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from channels_app.models import ArchivePhoto, AudienceFact, Channel, RelayWeek


class AudienceFactSerializer(serializers.ModelSerializer[AudienceFact]):
    class Meta:
        model = AudienceFact
        fields = ["id", "platform", "cohort", "metric", "value", "source", "year", "order"]
        validators: list[Any] = []  # the services validate, with Swedish messages


class ChannelTwinSerializer(serializers.ModelSerializer[Channel]):
    class Meta:
        model = Channel
        fields = ["id", "slug", "name", "platform", "handle", "url", "status"]
        read_only_fields = fields


class ChannelSerializer(serializers.ModelSerializer[Channel]):
    sign_language_twins = ChannelTwinSerializer(many=True, read_only=True)
    audience_facts = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = [
            "id",
            "platform",
            "name",
            "slug",
            "handle",
            "url",
            "role",
            "purpose",
            "audience",
            "owning_unit",
            "status",
            "started_on",
            "paused_on",
            "closed_on",
            "is_public",
            "order",
            "sign_language_counterpart",
            "sign_language_twins",
            "supervision_interval",
            "records_policy",
            "audience_facts",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []

    @extend_schema_field(AudienceFactSerializer(many=True))
    def get_audience_facts(self, channel: Channel) -> list[dict[str, Any]]:
        """The facts of the channel's platform, loaded once per request by the view."""
        facts = self.context.get("facts_by_platform", {}).get(channel.platform, [])
        return AudienceFactSerializer(facts, many=True).data  # type: ignore[return-value]


class RelayWeekPublicSerializer(serializers.ModelSerializer[RelayWeek]):
    """What anyone may read: who hosts which week, without the host's e-mail address."""

    class Meta:
        model = RelayWeek
        fields = [
            "id",
            "channel",
            "iso_year",
            "iso_week",
            "host_name",
            "host_title",
            "host_unit",
            "topic",
            "status",
        ]
        read_only_fields = fields


class RelayWeekSerializer(serializers.ModelSerializer[RelayWeek]):
    class Meta:
        model = RelayWeek
        fields = [*RelayWeekPublicSerializer.Meta.fields, "host_email", "reminded_at"]
        read_only_fields = ["reminded_at"]
        validators: list[Any] = []


class RelayWeekSwapSerializer(serializers.Serializer):
    other = serializers.PrimaryKeyRelatedField(
        queryset=RelayWeek.objects.all(), help_text="The booking to trade hosts with."
    )


class ArchivePhotoSerializer(serializers.ModelSerializer[ArchivePhoto]):
    class Meta:
        model = ArchivePhoto
        fields = [
            "id",
            "channel",
            "archive_reference",
            "title",
            "caption",
            "year",
            "decade",
            "place",
            "photographer",
            "image",
            "rights_status",
            "rights_note",
            "planned_year",
            "planned_week",
            "status",
            "published_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []


class ArchivePhotoScheduleSerializer(serializers.Serializer):
    planned_year = serializers.IntegerField(min_value=2000, max_value=2100)
    planned_week = serializers.IntegerField(min_value=1, max_value=53)


class ArchivePhotoPublishSerializer(serializers.Serializer):
    published_url = serializers.URLField()
