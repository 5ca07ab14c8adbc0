import itertools
from datetime import datetime, timedelta

import factory
from django.utils import timezone

from channels_app.choices import ChannelPlatform
from channels_app.models import Channel
from moderation.models import PlatformAccount, Word
from moderation.platforms.base import NormalizedItem

IDS = itertools.count(1)


class PlatformAccountFactory(factory.django.DjangoModelFactory[PlatformAccount]):
    class Meta:
        model = PlatformAccount

    platform = ChannelPlatform.FACEBOOK
    external_id = factory.Sequence(lambda n: f"user-{n}")
    name = factory.Sequence(lambda n: f"Person {n}")


class WordFactory(factory.django.DjangoModelFactory[Word]):
    class Meta:
        model = Word

    list = "suspect"
    term = factory.Sequence(lambda n: f"ord{n}")


def normalized(
    channel: Channel,
    *,
    text: str | None = "När plogas Storgatan?",
    event: str = "created",
    external_id: str | None = None,
    occurred_at: datetime | None = None,
    kind: str = "comment",
    author_id: str | None = "100001",
    **extra: object,
) -> NormalizedItem:
    """A platform event for ``channel``, as an adapter would hand it to the intake."""
    return NormalizedItem(
        platform=channel.platform,
        account_id="page-1",
        external_id=external_id or f"c-{next(IDS)}",
        kind=kind,  # type: ignore[arg-type]
        event=event,  # type: ignore[arg-type]
        occurred_at=occurred_at or timezone.now() - timedelta(minutes=5),
        text=text,
        author_id=author_id,
        author_name="Anna Andersson" if author_id else None,
        permalink="https://www.facebook.com/orebrokommun/posts/1",
        raw={"message": text},
        **extra,  # type: ignore[arg-type]
    )
