"""Factories every app's tests share. Each app's own factories live in tests/<app>/factories.py."""

import factory

from channels_app.choices import ChannelPlatform, ChannelRecordsPolicy, ChannelRole
from channels_app.models import Channel


class ChannelFactory(factory.django.DjangoModelFactory[Channel]):
    """An official Facebook account of the register, with the model's defaults (it registers
    what is moderated). ``registered=True``: it has a handle and registers every message, as the
    register's tests assume. ``connected=True``: it has a handle and is connected to its
    platform, as the seeded ones, so decisions go out through the outbox."""

    class Meta:
        model = Channel

    platform = ChannelPlatform.FACEBOOK
    name = factory.Sequence(lambda n: f"Kanal {n}")
    slug = factory.Sequence(lambda n: f"kanal-{n}")
    role = ChannelRole.OFFICIAL
    purpose = "Ett konto för test."

    class Params:
        registered = factory.Trait(
            handle=factory.Sequence(lambda n: f"kanal{n}"),
            records_policy=ChannelRecordsPolicy.REGISTER_ALL,
        )
        connected = factory.Trait(
            handle=factory.Sequence(lambda n: f"kanal{n}"),
            platform_account_id=factory.Sequence(lambda n: f"connected-{n}"),
        )
