"""What each platform's API lets the municipality do to content and authors, by item kind.

The queue refuses a bulk action a channel cannot take, hides automatically only where hiding is
possible, and records a single decision the platform cannot carry out as an ``unsupported``
platform action for a person to do by hand. The platform adapters report the same facts in their
``supported_actions``; this table is what the queue decides on before anything is sent."""

from channels_app.choices import ChannelPlatform
from moderation.choices import ItemKind, PlatformActionKind

A = PlatformActionKind
PUBLIC_KINDS = {ItemKind.POST, ItemKind.COMMENT, ItemKind.REPLY, ItemKind.MENTION}

# Facebook Graph: comments hide/unhide/delete, page bans (blocked), replies; Messenger replies.
# Instagram Graph: comments hide/unhide/delete and replies; no ban.
# LinkedIn: an organisation may delete comments on its posts and reply; no hide, no ban.
# YouTube Data API: setModerationStatus heldForReview/published/rejected (hide/unhide/delete),
# banAuthor, replies.
PLATFORM_ACTIONS: dict[str, set[str]] = {
    ChannelPlatform.FACEBOOK: {A.HIDE, A.UNHIDE, A.DELETE, A.BAN, A.UNBAN, A.REPLY},
    ChannelPlatform.INSTAGRAM: {A.HIDE, A.UNHIDE, A.DELETE, A.REPLY},
    ChannelPlatform.LINKEDIN: {A.DELETE, A.REPLY},
    ChannelPlatform.YOUTUBE: {A.HIDE, A.UNHIDE, A.DELETE, A.BAN, A.REPLY},
    ChannelPlatform.PODCAST: set(),
}
AUTHOR_ACTIONS = {A.BAN, A.UNBAN}


def platform_supports(*, platform: str, action: str, kind: str | None = None) -> bool:
    """Whether the platform can carry out ``action``; on a private message only a reply."""
    if action not in PLATFORM_ACTIONS.get(platform, set()):
        return False
    if kind is not None and action not in AUTHOR_ACTIONS and kind not in PUBLIC_KINDS:
        return action == A.REPLY
    return True
