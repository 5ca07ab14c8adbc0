"""Which adapter serves which platform: a new platform is a module here and one line below."""

from collections.abc import Callable

from .base import PlatformAdapter
from .linkedin import LinkedInAdapter
from .meta import FacebookAdapter, InstagramAdapter
from .youtube import YouTubeAdapter

ADAPTERS: dict[str, Callable[[], PlatformAdapter]] = {
    "facebook": FacebookAdapter,
    "instagram": InstagramAdapter,
    "linkedin": LinkedInAdapter,
    "youtube": YouTubeAdapter,
}


def adapter_for(platform: str) -> PlatformAdapter:
    """The adapter for a channel's platform (``Channel.platform``); LookupError if none."""
    try:
        return ADAPTERS[platform]()
    except KeyError:
        raise LookupError(f"No adapter for the platform {platform!r}.") from None
