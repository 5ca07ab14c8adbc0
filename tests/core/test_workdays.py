from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.workdays import _holidays, add_working_time, is_working_day, next_working_day
from moderation.models import Item
from tests.factories import ChannelFactory

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


@pytest.fixture
def swedish_locale(monkeypatch):
    """A server whose environment asks for Swedish (as `LANG=sv_SE.UTF-8` on a Swedish
    machine): the holidays library then names the days in Swedish."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(name, "sv_SE.UTF-8")
    _holidays.cache_clear()
    yield
    _holidays.cache_clear()


@pytest.mark.usefixtures("swedish_locale")
def test_midsummer_is_found_under_a_swedish_locale():
    assert is_working_day(date(2026, 6, 19)) is False  # midsommarafton
    assert is_working_day(date(2027, 6, 25)) is False
    assert is_working_day(date(2027, 6, 24)) is True


@pytest.mark.django_db
@pytest.mark.usefixtures("swedish_locale")
def test_an_item_comes_in_with_a_due_time_under_a_swedish_locale(token_client):
    ChannelFactory.create(connected=True, slug="orebro-kommun-facebook")
    client = token_client("moderation:ingest")
    entry = {
        "channel": "orebro-kommun-facebook",
        "external_id": "123_456",
        "kind": "comment",
        "event": "created",
        "occurred_at": "2026-06-18T09:00:00+02:00",
        "text": "Glad midsommar!",
    }
    response = client.post("/api/v1/moderation/ingest/", {"items": [entry]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["results"][0]["outcome"] == "created"
    item = Item.objects.get(external_id="123_456")
    assert item.due_at > item.received_at
