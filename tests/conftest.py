"""Fixtures the tests of several apps share (the project-wide ones are in the top conftest.py)."""

from typing import Any

import pytest

from channels_app.choices import ChannelRecordsPolicy
from channels_app.models import Channel
from moderation.platforms import connections
from moderation.platforms.http import RecordingHttpClient
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import FACEBOOK_PAGE, TEST_SECRET, TEST_VERIFY_TOKEN


@pytest.fixture
def meta_settings(settings: Any) -> None:
    """The app secret the recorded Meta deliveries are signed with and the verify token, and no
    Instagram app secret. A module that receives deliveries takes it with
    ``pytest.mark.usefixtures("meta_settings")``."""
    settings.META_APP_SECRET = TEST_SECRET
    settings.META_VERIFY_TOKEN = TEST_VERIFY_TOKEN
    settings.INSTAGRAM_APP_SECRET = ""


@pytest.fixture
def meta_page(db: None) -> Channel:
    """The connected Facebook Page the recorded Meta deliveries name, registering everything
    (the register's own policy, as the capture issues' done-when)."""
    return ChannelFactory.create(
        connected=True,
        platform="facebook",
        platform_account_id=FACEBOOK_PAGE,
        name="Örebro kommun",
        records_policy=ChannelRecordsPolicy.REGISTER_ALL,
    )


@pytest.fixture
def platform_http(monkeypatch: pytest.MonkeyPatch) -> RecordingHttpClient:
    """The HTTP client every channel's adapter and publisher is given: records the requests and
    answers with the canned responses the test appends to ``responses``."""
    recorder = RecordingHttpClient()
    monkeypatch.setattr(connections, "http_client_for", lambda channel: recorder)
    return recorder
