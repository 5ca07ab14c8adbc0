"""Filters for numbers and moments that go into a query: a value the column or the date cannot
hold is a 400 from the filter's form, never a database error."""

from datetime import UTC, datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

# The largest value a (big integer) primary key holds.
ID_MAX = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A row's id: a whole number from 1 to the largest bigint."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: object) -> None:
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A whole calendar year; bounded, since a year at the ends of the calendar cannot be turned
    into local time."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: object) -> None:
        super().__init__(min_value=1000, max_value=9998, **kwargs)


class MomentField(IsoDateTimeField):
    """An ISO 8601 time, as the same moment in UTC: Python reads offsets up to ±23:59,
    PostgreSQL only to ±15:59."""

    def to_python(self, value: object) -> datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise ValidationError(
                _("The time lies outside the years 1 to 9999 in UTC."), code="overflow"
            ) from None


class MomentFilter(django_filters.IsoDateTimeFilter):
    """A moment to compare a time column with (``lookup_expr``), in ISO 8601."""

    field_class = MomentField
