from collections.abc import Callable
from typing import Any

import pytest

from accounts.choices import Role
from accounts.models import User
from accounts.services import system_user
from channels_app.choices import ChannelRecordsPolicy
from channels_app.models import Channel
from moderation import seed
from moderation.models import Item
from moderation.services import moderation_item_intake
from tests.moderation.factories import ChannelFactory, normalized


@pytest.fixture(autouse=True)
def grounds(db: None) -> None:
    seed._grounds()
    seed._reply_templates()


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.PRIVACY_OFFICER, email="dataskydd@orebro.se")


@pytest.fixture
def channel(db: None) -> Channel:
    return ChannelFactory.create(
        name="Örebro kommun", records_policy=ChannelRecordsPolicy.REGISTER_ALL
    )


@pytest.fixture
def intake(channel: Channel) -> Callable[..., Item]:
    """An item brought in through the real intake, registered as the channel's policy says."""

    def make(**kwargs: Any) -> Item:
        return moderation_item_intake(
            channel=channel, item=normalized(channel, **kwargs), actor=system_user()
        ).item

    return make
