import pytest

from accounts.choices import Role
from accounts.services import system_user
from channels_app.choices import ChannelRecordsPolicy, ChannelRole
from moderation.platforms import connections
from publishing import services
from tests.factories import ChannelFactory

PAGE = "104857600000001"


def connect(channel, token="EAAG-page-token-not-real"):
    connections.channel_connection_save(channel=channel, access_token=token, actor=system_user())
    return channel


@pytest.fixture
def author(make_user):
    return make_user(Role.EDITOR, name="Anna Andersson")


@pytest.fixture
def approver(make_user):
    return make_user(Role.EDITOR, name="Bertil Berg")


@pytest.fixture
def facebook(db):
    # Registers everything, so its own posts are registered (drawn-up content follows the
    # channel's records policy, as what reaches the account does).
    return connect(
        ChannelFactory.create(
            name="Örebro kommun",
            platform_account_id=PAGE,
            records_policy=ChannelRecordsPolicy.REGISTER_ALL,
        )
    )


@pytest.fixture
def signing(facebook):
    """The sign-language twin of the Facebook page."""
    return ChannelFactory.create(
        name="Örebro kommun – Teckenspråk",
        role=ChannelRole.SIGN_LANGUAGE,
        platform_account_id="104857600000002",
        sign_language_counterpart=facebook,
    )


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """Publish now, running what is dispatched after the commit (the send task)."""

    def publish(post, actor):
        with django_capture_on_commit_callbacks(execute=True):
            return services.post_publish(post=post, actor=actor)

    return publish
