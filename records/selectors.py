"""Every read of the register: the public list, staff lists, and the content of an entry
(with every view of secret content logged)."""

from datetime import date
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Max, Min, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from records.access import (
    Access,
    ContentState,
    Viewer,
    content_access,
    content_view_log,
    record_access,
)
from records.choices import RecordStatus
from records.models import AccessRequest, Record, RecordQuerySet, RetentionClass


def record_search(queryset: RecordQuerySet, query: str) -> RecordQuerySet:
    """Entries whose number is ``query`` or whose public subject matches it. On PostgreSQL the
    subject is searched with Swedish full-text search in the stored vector public_subject_search
    (a generated column with a GIN index, migration 0006); elsewhere by substring. The subject
    of a secret entry is never searched: the public may not learn it.

    The vector is stored, so testing an entry is cheap and PostgreSQL costs it as such: by its
    estimate of the matches it filters along the list's own order (an index) when they are dense
    enough to fill the page soon, and takes them from the GIN index when they are few."""
    query = " ".join(query.split())[:200]
    if not query:
        return queryset
    number = Q(number=query.upper())
    if connection.vendor != "postgresql":
        subject = Q(public_subject__icontains=query)
        return queryset.filter((subject & Q(is_secret=False)) | number)
    # The column is PostgreSQL's own, not a model field (it does not exist on SQLite).
    vector = RawSQL("public_subject_search", [], output_field=SearchVectorField())
    subject = Q(public_subject_search=SearchQuery(query, config="swedish", search_type="websearch"))
    return queryset.alias(public_subject_search=vector).filter(
        (subject & Q(is_secret=False)) | number
    )


def public_columns_q(**lookups: Any) -> Q:
    """A public filter on a column a secret entry's public row hides (its channel and
    direction): it never matches a secret entry, or the filter would reveal the column."""
    return Q(is_secret=False, **lookups)


def record_public_list(*, filters: dict[str, Any] | None = None) -> RecordQuerySet:
    """The public register: registered entries, newest first; only public fields are read."""
    filters = filters or {}
    queryset = (
        Record.objects.registered()
        .select_related("channel")
        .only(
            "pk",
            "number",
            "document_date",
            "direction",
            "public_subject",
            "is_secret",
            "status",
            "channel__name",
            "channel__platform",
            "channel__slug",
        )
    )
    if filters.get("channel"):
        queryset = queryset.filter(public_columns_q(channel__slug=filters["channel"]))
    if filters.get("year"):
        queryset = queryset.filter(document_date__year=filters["year"])
    if filters.get("direction"):
        queryset = queryset.filter(public_columns_q(direction=filters["direction"]))
    return record_search(queryset, filters.get("q", "")).order_by("-document_date", "-pk")


def record_public_years() -> list[int]:
    """The years from the newest registered entry back to the first, newest first: the two
    ends come from the (registration_basis, document_date) index, not a scan of the register."""
    ends = Record.objects.registered().aggregate(
        first=Min("document_date"), last=Max("document_date")
    )
    if ends["first"] is None:
        return []
    first, last = (timezone.localtime(ends[k]).year for k in ("first", "last"))
    return list(range(last, first - 1, -1))


def record_list(*, user: User) -> RecordQuerySet:
    """Every entry a staff member or integration may list (content is read separately)."""
    return Record.objects.select_related(
        "channel", "retention_class", "secrecy_marked_by"
    ).order_by("-pk")


def retention_class_list() -> QuerySet[RetentionClass]:
    """The information management plan's retention classes."""
    return RetentionClass.objects.order_by("code")


def access_request_list() -> QuerySet[AccessRequest]:
    """Requests for public documents, newest first, with the entries each asks for."""
    return AccessRequest.objects.prefetch_related("records").order_by("-pk")


def record_public_subject(record: Record) -> str:
    """What the public sees as the subject: "Sekretess" for a secret entry."""
    return _("Secret") if record.is_secret else record.public_subject


def may_see_secret(user: Viewer) -> bool:
    """Whether the access policy shows ``user`` the content of secret entries."""
    return content_access(user, ContentState.SECRET).shows_content


def record_content_get(
    *, record: Record, user: User, purpose: str = "", access: Access | None = None
) -> dict[str, Any]:
    """The content and counterparty of an entry, as the access policy allows (``access``: its
    verdict, when the caller has asked it already): a secret entry's content only to
    registrars, each view logged (who, when, where); a disposed or erased entry is a
    tombstone, with no content to give."""
    access = access or record_access(user, record)
    if access == Access.TOMBSTONE:
        return {**TOMBSTONE_CONTENT, "media_files": [], "amendments": []}
    if not access.shows_content:
        raise PermissionDenied(_("Only registrars may see the content of a secret entry."))
    if access == Access.LOGGED:
        content_view_log(record=record, user=user, purpose=purpose)
    show_counterparty = not record.counterparty_protected or may_see_secret(user)
    return {
        "text": record.text,
        "raw_payload": record.raw_payload,
        "media": record.media,
        "counterparty_name": record.counterparty_name if show_counterparty else "",
        "counterparty_platform_id": (record.counterparty_platform_id if show_counterparty else ""),
        "counterparty_handle": record.counterparty_handle if show_counterparty else "",
        # The snapshot's media as fetched: stored with its hash, or why not (records.media).
        "media_files": [
            {
                "position": m.position,
                "kind": m.kind,
                "status": m.status,
                "content_type": m.content_type,
                "size": m.size,
                "sha256": m.sha256,
                "error": m.error,
            }
            for m in record.media_files.all()
        ],
        "amendments": [
            {
                "kind": a.kind,
                "occurred_at": a.occurred_at,
                "text": a.text,
                "raw_payload": a.raw_payload,
                "sha256": a.sha256,
                "reason": a.reason,
            }
            for a in record.amendments.all()
        ],
    }


TOMBSTONE_CONTENT: dict[str, Any] = {
    "text": "",
    "raw_payload": {},
    "media": [],
    "counterparty_name": "",
    "counterparty_platform_id": "",
    "counterparty_handle": "",
}


def record_disposal_candidates(cutoff: date) -> RecordQuerySet:
    """Entries not yet disposed of (active, or with unlawful content erased) whose retention
    period has run out on or before ``cutoff``."""
    return Record.objects.filter(
        status__in=[RecordStatus.ACTIVE, RecordStatus.ERASED],
        disposal_due__isnull=False,
        disposal_due__lte=cutoff,
        retention_class__retention_years__isnull=False,
    )
