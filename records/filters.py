import django_filters
from django.db.models import QuerySet

from core.api.filters import YearFilter
from records.choices import RecordDirection, RegistrationBasis
from records.models import AccessRequest, Record
from records.selectors import public_columns_q, record_search


class PublicRecordFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search number or subject")
    channel = django_filters.CharFilter(method="public_column", field_name="channel__slug")
    year = YearFilter(field_name="document_date", lookup_expr="year")
    direction = django_filters.ChoiceFilter(method="public_column", choices=RecordDirection.choices)

    class Meta:
        model = Record
        fields = ["q", "channel", "year", "direction"]

    def search(self, queryset: QuerySet[Record], name: str, value: str) -> QuerySet[Record]:
        return record_search(queryset, value)  # type: ignore[arg-type]

    def public_column(self, queryset: QuerySet[Record], name: str, value: str) -> QuerySet[Record]:
        """The public row of a secret entry hides its channel and direction; so do filters."""
        return queryset.filter(public_columns_q(**{name: value}))


class RecordFilterSet(PublicRecordFilterSet):
    # Staff see a secret entry's channel and direction (metadata); their filters match them.
    channel = django_filters.CharFilter(field_name="channel__slug")
    direction = django_filters.ChoiceFilter(choices=RecordDirection.choices)
    registration_basis = django_filters.ChoiceFilter(choices=RegistrationBasis.choices)
    is_secret = django_filters.BooleanFilter()
    legal_hold = django_filters.BooleanFilter()
    source_id = django_filters.CharFilter()

    class Meta:
        model = Record
        fields = [
            "q",
            "channel",
            "year",
            "direction",
            "registration_basis",
            "is_secret",
            "legal_hold",
            "status",
            "source_id",
        ]


class AccessRequestFilterSet(django_filters.FilterSet):
    class Meta:
        model = AccessRequest
        fields = ["status", "decision", "intake"]
