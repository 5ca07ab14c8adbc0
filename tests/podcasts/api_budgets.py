"""Query budgets of the podcasts' list endpoints (see tests/api_budgets.py)."""

from tests.api_budgets import Budget
from tests.podcasts.factories import EpisodeFactory, ShowFactory


def _episodes(count, actor):
    show = ShowFactory.create()
    for _ in range(count):
        EpisodeFactory.create(show=show)


def _shows(count, actor):
    ShowFactory.create_batch(count)


BUDGETS = [
    Budget("/api/v1/podcasts/episodes/", 2, _episodes),  # the page, the guests
    Budget("/api/v1/podcasts/shows/", 1, _shows),
]
