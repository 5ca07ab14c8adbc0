from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from config.workdays import add_working_time, is_working_day, next_working_day

STHLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 27), True),  # Friday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 6, 19), False),  # midsommarafton
        (date(2026, 12, 24), False),  # julafton
        (date(2026, 12, 31), False),  # nyårsafton
        (date(2026, 1, 6), False),  # trettondedag jul
        (date(2026, 4, 3), False),  # långfredagen
        (date(2026, 5, 14), False),  # Kristi himmelsfärd
        (date(2026, 6, 8), True),
    ],
)
def test_working_days(day, working):
    assert is_working_day(day) is working


def test_next_working_day_skips_christmas_and_the_weekend():
    assert next_working_day(date(2026, 12, 23)) == date(2026, 12, 28)
    assert next_working_day(date(2026, 11, 27)) == date(2026, 11, 30)


def test_working_time_skips_days_off():
    friday_3pm = datetime(2026, 11, 27, 15, 0, tzinfo=STHLM)
    assert add_working_time(friday_3pm, timedelta(hours=24)) == datetime(
        2026, 11, 30, 15, 0, tzinfo=STHLM
    )
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=STHLM)
    assert add_working_time(saturday, timedelta(hours=2)) == datetime(
        2026, 11, 30, 2, 0, tzinfo=STHLM
    )
