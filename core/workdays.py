"""The Swedish working calendar: weekdays that are not public holidays nor the eves that are
kept as holidays (midsommarafton, julafton, nyårsafton). Due times in moderation and in the
handling of requests for public documents are counted on it."""

from datetime import date, datetime, timedelta
from functools import cache

import holidays


@cache
def _holidays(year: int) -> frozenset[date]:
    public = holidays.country_holidays("SE", years=year, include_sundays=False)
    eves = {_midsummer_eve(year), date(year, 12, 24), date(year, 12, 31)}
    return frozenset(public) | eves


def _midsummer_eve(year: int) -> date:
    """The Friday between 19 and 25 June, found by date: the library names its holidays in the
    server's language, so a name would not be found under a Swedish locale."""
    first = date(year, 6, 19)
    return first + timedelta(days=(4 - first.weekday()) % 7)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day after ``day``."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_time(start: datetime, duration: timedelta) -> datetime:
    """``start`` plus ``duration``, where only time on working days counts; time that starts on
    a day off begins at the next working day's midnight. ``start`` is aware, in local time."""
    remaining = duration
    current = start
    if not is_working_day(current.date()):
        current = _midnight(next_working_day(current.date()), current)
    while True:
        end_of_day = _midnight(current.date() + timedelta(days=1), current)
        if current + remaining <= end_of_day:
            return current + remaining
        remaining -= end_of_day - current
        current = _midnight(next_working_day(current.date()), current)


def _midnight(day: date, like: datetime) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=like.tzinfo)
