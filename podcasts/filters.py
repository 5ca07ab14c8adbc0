import django_filters

from core.api.filters import MomentFilter
from podcasts.choices import EpisodeStatus, ShowStatus
from podcasts.models import Episode, Show


class ShowFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ShowStatus.choices)

    class Meta:
        model = Show
        fields = ["status", "slug"]


class EpisodeFilterSet(django_filters.FilterSet):
    show = django_filters.CharFilter(field_name="show__slug")
    status = django_filters.ChoiceFilter(choices=EpisodeStatus.choices)
    published_after = MomentFilter(field_name="published_at", lookup_expr="gte")

    class Meta:
        model = Episode
        fields = ["show", "status", "season", "episode_type", "published_after"]
