"""Filters for the channel register's lists (API)."""

import django_filters

from channels_app.models import ArchivePhoto, AudienceFact, Channel, RelayWeek


class ChannelFilterSet(django_filters.FilterSet):
    class Meta:
        model = Channel
        fields = ["platform", "role", "status", "is_public"]


class AudienceFactFilterSet(django_filters.FilterSet):
    class Meta:
        model = AudienceFact
        fields = ["platform", "metric", "year"]


class RelayWeekFilterSet(django_filters.FilterSet):
    platform = django_filters.CharFilter(field_name="channel__platform")

    class Meta:
        model = RelayWeek
        fields = ["channel", "iso_year", "iso_week", "status", "platform"]


class ArchivePhotoFilterSet(django_filters.FilterSet):
    class Meta:
        model = ArchivePhoto
        fields = ["channel", "status", "rights_status", "planned_year", "planned_week", "decade"]
