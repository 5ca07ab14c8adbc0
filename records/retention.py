"""Which retention class an entry gets: the one named at registration, else the default the
registrars set per channel and registration basis (``RetentionDefault``), and the disposal date
that follows from it."""

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.permissions import permission_require
from core.actors import model_delete, model_save
from records.models import Record, RetentionClass, RetentionDefault

# (channel id or None for every channel, basis or "" for every basis) -> class
RetentionDefaults = dict[tuple[int | None, str], RetentionClass]


def disposal_due_compute(document_date: datetime, retention: RetentionClass | None) -> date | None:
    if retention is None or retention.retention_years is None:
        return None
    day = timezone.localtime(document_date).date()
    try:
        return day.replace(year=day.year + retention.retention_years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + retention.retention_years, day=28)


def retention_defaults_get(channels: Iterable[int]) -> RetentionDefaults:
    """The defaults registrars set for these channels and for every channel, in one query."""
    defaults = RetentionDefault.objects.filter(
        Q(channel_id__in=set(channels)) | Q(channel__isnull=True)
    ).select_related("retention_class")
    return {(d.channel_id, d.registration_basis): d.retention_class for d in defaults}


def retention_default_for(
    channel_id: int, basis: str, defaults: RetentionDefaults
) -> RetentionClass | None:
    """The most specific default: channel and basis, channel, basis, then every channel."""
    for key in ((channel_id, basis), (channel_id, ""), (None, basis), (None, "")):
        if key in defaults:
            return defaults[key]
    return None


def retention_choose(
    *,
    channel_id: int,
    basis: str,
    named: RetentionClass | None,
    fallback: RetentionClass | None,
    defaults: RetentionDefaults,
) -> RetentionClass | None:
    """A class the registration names wins; else the most specific default; else
    ``fallback`` (the RECORDS_DEFAULT_RETENTION_CLASS setting's)."""
    if named is not None:
        return named
    return retention_default_for(channel_id, basis, defaults) or fallback


def retention_follow(record: Record, basis: str, defaults: RetentionDefaults) -> list[str]:
    """An entry whose class is the default of its basis takes the default of its new ``basis``
    (a hidden comment is kept as long as moderated content); a class chosen otherwise stays.
    Returns the fields changed."""
    old = retention_default_for(record.channel_id, record.registration_basis, defaults)
    new = retention_default_for(record.channel_id, basis, defaults)
    if old is None or new is None or record.retention_class_id != old.pk or new.pk == old.pk:
        return []
    record.retention_class = new
    record.disposal_due = disposal_due_compute(record.document_date, new)
    return ["retention_class", "disposal_due"]


def retention_default_save(*, retention_default: RetentionDefault, actor: User) -> RetentionDefault:
    """Set the class a channel's captures get (per basis); existing entries keep theirs."""
    permission_require(
        actor,
        "records.change_retentiondefault"
        if retention_default.pk
        else "records.add_retentiondefault",
    )
    retention_default.full_clean()
    return model_save(retention_default, actor)


def retention_default_delete(*, retention_default: RetentionDefault, actor: User) -> None:
    """Remove a default; later captures fall back to the next most specific one."""
    permission_require(actor, "records.delete_retentiondefault")
    model_delete(retention_default, actor)
