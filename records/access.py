"""Who may see the content of a citizen's document, whichever row holds it (the register entry
and its amendments, the moderation item, its versions, the notes on it, history rows, exports
and deliveries): the one access policy every read path asks. DESIGN.md, "Content access and
lifecycle", is the table this module implements."""

import enum
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from records.choices import RecordStatus
from records.models import Record, SecretAccessLog

SECRET_PERMISSION = "records.view_secret_record"
# Moderators may show a secret entry's content through the logged step on an item they act on;
# the right to act on items is moderation's (named here, not imported: records is below it).
REVEAL_PERMISSION = "moderation.decide_item"

Viewer = User | AnonymousUser | None


class ContentState(enum.StrEnum):
    """The state of the document as the register holds it."""

    OPEN = "open"
    SECRET = "secret"
    DISPOSED = "disposed"
    ERASED = "erased"


class Access(enum.StrEnum):
    """What a viewer may see of a document's content."""

    SHOWN = "shown"  # the content, as the viewer's role allows
    LOGGED = "logged"  # the content, and the view is logged (registrars, secret entries)
    REVEALABLE = "revealable"  # withheld; a moderator may show it through the logged step
    SECRET = "secret"  # withheld: nothing of the content, anywhere
    TOMBSTONE = "tombstone"  # disposed of or erased: number, dates, subject, hash, decision
    PUBLIC = "public"  # the public: number, date, channel and masked subject, never content

    @property
    def shows_content(self) -> bool:
        return self in (Access.SHOWN, Access.LOGGED)


def content_access(viewer: Viewer, state: ContentState) -> Access:
    """The policy: what ``viewer`` (a person, an integration client's user, or the public) may
    see of a document in ``state``. Lists, searches, history pages, exports and deliveries show
    content only when this says SHOWN or LOGGED; a LOGGED view is written to the access log."""
    if viewer is None or not viewer.is_authenticated:
        return Access.PUBLIC
    if state in (ContentState.DISPOSED, ContentState.ERASED):
        return Access.TOMBSTONE
    if state == ContentState.SECRET:
        if viewer.has_perm(SECRET_PERMISSION):
            return Access.LOGGED
        if viewer.has_perm(REVEAL_PERMISSION):
            return Access.REVEALABLE
        return Access.SECRET
    return Access.SHOWN


def content_state(
    *, is_secret: bool | None, status: str | None, withheld: bool = False
) -> ContentState:
    """The state from the register entry's columns (None: not captured in the register);
    ``withheld`` is a moderation item whose content was never kept (child abuse material)."""
    if status == RecordStatus.DISPOSED:
        return ContentState.DISPOSED
    if withheld or status == RecordStatus.ERASED:
        return ContentState.ERASED
    if is_secret:
        return ContentState.SECRET
    return ContentState.OPEN


def record_content_state(record: Record | None) -> ContentState:
    if record is None:
        return ContentState.OPEN
    return content_state(is_secret=record.is_secret, status=record.status)


def item_content_state(item: Any) -> ContentState:
    """A moderation item (or anything with ``record`` and ``content_withheld``) follows its
    register entry."""
    state = record_content_state(item.record)
    if item.content_withheld and state == ContentState.OPEN:
        return ContentState.ERASED
    return state


def row_content_state(row: Mapping[str, Any], prefix: str = "record__") -> ContentState:
    """The state of a plain row (``values()``) that carries ``<prefix>is_secret``,
    ``<prefix>status`` and, for items, ``content_withheld``: no query per row."""
    return content_state(
        is_secret=row.get(f"{prefix}is_secret"),
        status=row.get(f"{prefix}status"),
        withheld=bool(row.get("content_withheld")),
    )


# The columns row_content_state reads, for selectors that build plain rows of items.
ITEM_STATE_COLUMNS = ("content_withheld", "record__is_secret", "record__status")


def record_access(viewer: Viewer, record: Record | None) -> Access:
    return content_access(viewer, record_content_state(record))


def item_access(viewer: Viewer, item: Any) -> Access:
    return content_access(viewer, item_content_state(item))


def content_searchable(viewer: Viewer, prefix: str = "") -> Q:
    """The rows whose content a search by ``viewer`` may match: a search is a list, so it
    never matches withheld content (a match would tell what the text says), nor a tombstone.
    ``prefix`` leads from the searched model to the register entry (``"record__"`` for items).
    """
    gone = Q(**{f"{prefix}status__in": [RecordStatus.DISPOSED, RecordStatus.ERASED]})
    if content_access(viewer, ContentState.SECRET).shows_content:
        return ~gone
    secret = Q(**{f"{prefix}is_secret": True})
    return ~(gone | secret)


def withheld_label(state: ContentState) -> str:
    """What is shown instead of content the policy withholds."""
    if state == ContentState.DISPOSED:
        return _("Disposed of: the content has been erased.")
    if state == ContentState.ERASED:
        return _("Erased as unlawful content: only metadata and the hash are kept.")
    return _("Secret: only registrars may see the content.")


def content_view_log(*, record: Record, user: User, purpose: str) -> None:
    """Write a view of a secret entry's content to the access log (who, when, where)."""
    content_views_log(record_ids=[record.pk], user=user, purpose=purpose)


def content_views_log(*, record_ids: list[int], user: User, purpose: str) -> None:
    """``content_view_log`` for many entries at once (a search that found them)."""
    SecretAccessLog.objects.bulk_create(
        SecretAccessLog(record_id=pk, user=user, purpose=purpose[:200]) for pk in record_ids
    )


def record_content_reveal(*, record: Record, reason: str, where: str, actor: User) -> Access:
    """The moderator's explicit "show content" step: the content of a secret entry is shown
    to a moderator acting on its item only with a reason, and the view is logged in the same
    access log as the registrars' views. Returns the access the caller may now render with."""
    access = record_access(actor, record)
    if access.shows_content:
        if access == Access.LOGGED:
            content_view_log(record=record, user=actor, purpose=where)
        return access
    if access != Access.REVEALABLE:
        raise PermissionDenied(_("You may not see the content of this entry."))
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason you need to see the content.")})
    content_view_log(record=record, user=actor, purpose=f"{where}: {reason}")
    return Access.LOGGED
