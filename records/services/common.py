"""What the records services share: locking an entry, emptying its amendments, the registrars
to tell, and the database sessions that let the snapshot trigger through."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import ApplicationError
from records.models import Record


def content_require(record: Record) -> None:
    """Refuse a change to an entry whose content was erased as unlawful."""
    if not record.has_content:
        raise ApplicationError(
            _("The content of the entry has been erased as unlawful."), code="content_erased"
        )


def record_locked(record: Record) -> Record:
    """The entry, locked until the transaction ends; a disposed entry is refused."""
    locked = Record.objects.select_for_update().get(pk=record.pk)
    if locked.is_disposed:
        raise ApplicationError(_("The entry has been disposed of."), code="disposed")
    return locked


def amendments_empty(record: Record, guard: Literal["_disposal", "_erasure"]) -> None:
    """Empty the content of every amendment of ``record``; ``guard`` is the flag that lets the
    amendment's save (and, inside the matching session, the database trigger) allow it."""
    for amendment in record.amendments.all():
        setattr(amendment, guard, True)
        amendment.text, amendment.raw_payload = "", {}
        amendment.save(update_fields=["text", "raw_payload"])


def registrar_emails() -> list[str]:
    """The e-mail addresses of the active registrars."""
    from accounts.choices import Role

    return User.objects.emails(Role.REGISTRAR)


@contextmanager
def guard_session(setting: str) -> Iterator[None]:
    """Within it, the snapshot trigger accepts what ``setting`` allows (PostgreSQL: a
    transaction-local setting, switched off again on leaving even inside an outer transaction:
    explicitly on success, and by the savepoint's rollback on an error, which undoes SET LOCAL)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {setting} = 'on'")
        yield
        cursor.execute(f"SET LOCAL {setting} = 'off'")
