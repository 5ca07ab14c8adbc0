"""Query budgets of the channel register's list endpoints (see tests/api_budgets.py)."""

from accounts.choices import Role
from channels_app.choices import ChannelPlatform, RelayWeekStatus
from tests.api_budgets import Budget
from tests.channels_app.factories import (
    ArchivePhotoFactory,
    AudienceFactFactory,
    RelayWeekFactory,
)
from tests.factories import ChannelFactory

BASE = "/api/v1/channels"


def _channels(count, actor):
    for _ in range(count):
        twin_of = ChannelFactory.create(platform=ChannelPlatform.YOUTUBE)
        ChannelFactory.create(platform=ChannelPlatform.YOUTUBE, sign_language_counterpart=twin_of)
        AudienceFactFactory.create(platform=ChannelPlatform.YOUTUBE)


def _facts(count, actor):
    AudienceFactFactory.create_batch(count)


def _weeks(count, actor):
    RelayWeekFactory.create_batch(count, status=RelayWeekStatus.CONFIRMED)


def _photos(count, actor):
    ArchivePhotoFactory.create_batch(count)


BUDGETS = [
    Budget(f"{BASE}/channels/", 3, _channels),  # the page, the twins, the facts
    Budget(f"{BASE}/audience-facts/", 1, _facts),
    Budget(f"{BASE}/relay-weeks/", 1, _weeks),
    Budget(f"{BASE}/archive-photos/", 1, _photos, role=Role.EDITOR),  # unpublished too
]
