"""Filters for numbers that go into a query as they are: a value the column or the date cannot
hold is a 400 from the filter's form, never a database error."""

import django_filters
from django import forms

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
