from datetime import date

from channels_app.weeks import next_monday, week_exists, week_monday, weeks_from


def test_week_53_exists_only_in_long_years():
    assert week_exists(2020, 53)
    assert week_exists(2026, 53)
    assert not week_exists(2021, 53)
    assert not week_exists(2027, 53)
    assert not week_exists(2027, 0)


def test_weeks_run_across_the_new_year():
    assert weeks_from(date(2026, 12, 21), 4) == [(2026, 52), (2026, 53), (2027, 1), (2027, 2)]


def test_next_monday_and_week_start():
    assert next_monday(date(2026, 11, 28)) == date(2026, 11, 30)
    assert next_monday(date(2026, 11, 30)) == date(2026, 12, 7)
    assert week_monday(2027, 1) == date(2027, 1, 4)
