from collections.abc import Callable
from typing import Any

import pytest

from accounts.services import system_user
from channels_app.models import Channel
from moderation import seed
from moderation.models import Item
from moderation.services import moderation_item_intake
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized


@pytest.fixture(autouse=True)
def grounds(db: None) -> None:
    """The published grounds, the Servicecenter reply template and the threat lexicon, as the
    seed loads them."""
    seed._grounds()
    seed._reply_templates()
    seed._threat_lexicon()


@pytest.fixture
def channel(db: None) -> Channel:
    return ChannelFactory.create(connected=True)


@pytest.fixture
def intake(channel: Channel) -> Callable[..., Item]:
    """Bring an item in through the real intake service, as the platform adapters do."""

    def make(target: Channel | None = None, **kwargs: Any) -> Item:
        target = target or channel
        return moderation_item_intake(
            channel=target, item=normalized(target, **kwargs), actor=system_user()
        ).item

    return make
