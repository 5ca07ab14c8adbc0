"""The moderator's logged step to see the content of an item whose register entry is secret."""

from accounts.models import User
from accounts.permissions import permission_require
from moderation.models import Item
from records.access import Access, item_access, record_content_reveal


def item_content_reveal(*, item: Item, reason: str, actor: User) -> Access:
    """The moderator's logged "show content" step on an item whose register entry is secret
    (records.access.record_content_reveal); returns the access to render the item with."""
    permission_require(actor, "moderation.decide_item")
    if item.record is None:
        return item_access(actor, item)
    return record_content_reveal(
        record=item.record, reason=reason, where=f"moderation item {item.pk}", actor=actor
    )
