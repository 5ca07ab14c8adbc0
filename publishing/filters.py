import django_filters

from core.api.filters import IdFilter, MomentFilter
from publishing.choices import PostStatus
from publishing.models import Post


class PostFilterSet(django_filters.FilterSet):
    channel = django_filters.CharFilter(field_name="channel__slug")
    status = django_filters.ChoiceFilter(choices=PostStatus.choices)
    author = IdFilter(field_name="author_id")
    planned_after = MomentFilter(field_name="planned_at", lookup_expr="gte")
    planned_before = MomentFilter(field_name="planned_at", lookup_expr="lt")

    class Meta:
        model = Post
        fields = ["channel", "status", "author", "planned_after", "planned_before"]
