"""A moment in a list's filter (``?planned_before=``, ``?published_after=``, ``?due_before=``)
is any ISO 8601 time Python reads, with any offset to ±23:59: the list answers with the items
before or after that moment (as UTC), or a 400 when the moment cannot be held, never a
database error (PostgreSQL refuses offsets beyond ±15:59)."""

from datetime import datetime, timedelta, timezone

import pytest

from accounts.choices import Role
from tests.podcasts.factories import EpisodeFactory

pytestmark = pytest.mark.django_db
ZERO = timedelta(0)

LISTS = [
    ("/api/v1/publishing/posts/", "planned_before"),
    ("/api/v1/publishing/posts/", "planned_after"),
    ("/api/v1/podcasts/episodes/", "published_after"),
    ("/api/v1/moderation/items/", "due_before"),
]


@pytest.fixture
def staff(api_client, make_user):
    api_client.force_login(make_user(Role.ADMINISTRATOR))
    return api_client


@pytest.mark.parametrize(("path", "name"), LISTS)
@pytest.mark.parametrize(
    "moment",
    ["6343-01-19T14:13:15-22:20", "2026-12-03T12:00:00+23:59", "2026-12-03T12:00:00-16:00"],
)
def test_any_offset_python_reads_is_answered(staff, path, name, moment):
    response = staff.get(path, {name: moment})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(("path", "name"), LISTS)
@pytest.mark.parametrize("moment", ["9999-12-31T23:00:00-22:00", "0001-01-01T00:30:00+01:00"])
def test_a_moment_utc_cannot_hold_is_a_400(staff, path, name, moment):
    response = staff.get(path, {name: moment})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["details"][name] == [
        "Tidpunkten ligger utanför åren 1 till 9999 i UTC."
    ]


def test_the_offset_is_the_same_moment_in_utc(staff):
    episode = EpisodeFactory.create()
    published = episode.published_at
    assert published is not None
    tick = timedelta(microseconds=1)

    def found(after: datetime, offset: timedelta) -> list[int]:
        moment = after.astimezone(timezone(offset)).isoformat()
        answer = staff.get("/api/v1/podcasts/episodes/", {"published_after": moment})
        assert answer.status_code == 200, answer.content
        return [row["id"] for row in answer.json()["results"]]

    for offset in (timedelta(hours=-22, minutes=-20), timedelta(hours=23, minutes=59), ZERO):
        assert found(published - tick, offset) == [episode.pk]
        assert found(published, offset) == [episode.pk]
        assert found(published + tick, offset) == []
