"""ISO weeks, the unit the relay rota and the Tillbakablick plan are kept in."""

from datetime import date, timedelta


def week_exists(year: int, week: int) -> bool:
    """Whether ``week`` is a week of ISO ``year`` (week 53 exists only in some years)."""
    try:
        date.fromisocalendar(year, week, 1)
    except (ValueError, TypeError):
        return False
    return True


def week_monday(year: int, week: int) -> date:
    return date.fromisocalendar(year, week, 1)


def weeks_from(monday: date, count: int) -> list[tuple[int, int]]:
    """``count`` consecutive (ISO year, week) pairs, the first being the week of ``monday``."""
    return [
        (d.isocalendar().year, d.isocalendar().week)
        for d in (monday + timedelta(weeks=i) for i in range(count))
    ]


def next_monday(today: date) -> date:
    """The Monday that starts the coming week."""
    return today + timedelta(days=7 - today.weekday())
