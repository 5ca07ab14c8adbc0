"""Query budgets of the publishing list endpoints (see tests/api_budgets.py)."""

from itertools import count as counter

from accounts.choices import Role
from tests.api_budgets import Budget
from tests.factories import ChannelFactory
from tests.publishing.factories import add_image, draft

_numbers = counter()


def _posts(count, actor):
    channel = ChannelFactory.create(connected=True)
    for _ in range(count):
        add_image(draft(channel, actor, text=f"Inlägg {next(_numbers)}"), actor)


BUDGETS = [
    Budget("/api/v1/publishing/posts/", 2, _posts, Role.EDITOR),  # the page, its media
]
