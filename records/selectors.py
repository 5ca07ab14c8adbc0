"""Every read of the register: the public list, staff lists, and the content of an entry
(with every view of secret content logged)."""

import json
from datetime import date
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Max, Min, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from records.choices import RecordStatus
from records.models import Record, RecordQuerySet, SecretAccessLog

SECRET_PERMISSION = "records.view_secret_record"


# Entries whose subject matches (the expression of the GIN index, migration 0002), or whose
# number is the query; the query and the number are bound parameters.
SUBJECT_MATCHES = (
    "SELECT id FROM records_record "
    "WHERE to_tsvector('swedish'::regconfig, COALESCE(public_subject, '')) "
    "@@ websearch_to_tsquery('swedish'::regconfig, %s)"
)
# Up to this many estimated matches the search takes them from the GIN index first; above it,
# matches are dense enough that walking the list's own order and filtering finds a page sooner
# than reading every match (1,000,000 entries: 2,400 matches of two words in ~15 ms from the
# index against ~230 ms walking; 70,000 matches of one common word in ~3 ms walking).
GIN_FIRST_BELOW = 4000


def _estimated_subject_matches(query: str) -> float:
    """The planner's estimate of the entries whose subject matches (EXPLAIN only, nothing run)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + SUBJECT_MATCHES, [query])
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def record_search(queryset: RecordQuerySet, query: str) -> RecordQuerySet:
    """Entries whose number is ``query`` or whose public subject matches it. On PostgreSQL the
    subject is searched with Swedish full-text search (GIN index, migration 0002); elsewhere by
    substring. The subject of a secret entry is never searched: the public may not learn it.

    PostgreSQL underestimates what recomputing the vector row by row costs, so for words that
    match few entries it walks the list's order (newest first) through most of the register.
    When its estimate is small the matches are therefore taken from the GIN index first, in a
    subquery it may not flatten (OFFSET 0), and the page is ordered among them."""
    query = " ".join(query.split())[:200]
    if not query:
        return queryset
    if connection.vendor != "postgresql":
        subject = Q(public_subject__icontains=query)
        return queryset.filter((subject & Q(is_secret=False)) | Q(number=query.upper()))
    if _estimated_subject_matches(query) < GIN_FIRST_BELOW:
        # The candidates as one set (GIN index or the number's unique index), joined by key;
        # the secrecy test stays outside so the index's matches are not recomputed row by row.
        candidates = RawSQL(  # noqa: S611 (constant SQL, bound parameters)
            SUBJECT_MATCHES + " OR number = %s OFFSET 0", [query, query.upper()]
        )
        return queryset.filter(Q(pk__in=candidates), Q(is_secret=False) | Q(number=query.upper()))
    vector = SearchVector("public_subject", config="swedish")
    subject = Q(public_subject_search=SearchQuery(query, config="swedish", search_type="websearch"))
    # An exact number (unique index) or the subject, filtered along the list's own order.
    return queryset.annotate(public_subject_search=vector).filter(
        (subject & Q(is_secret=False)) | Q(number=query.upper())
    )


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
        queryset = queryset.filter(channel__slug=filters["channel"])
    if filters.get("year"):
        queryset = queryset.filter(document_date__year=filters["year"])
    if filters.get("direction"):
        queryset = queryset.filter(direction=filters["direction"])
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


def record_public_subject(record: Record) -> str:
    """What the public sees as the subject: "Sekretess" for a secret entry."""
    return _("Secret") if record.is_secret else record.public_subject


def may_see_secret(user: User) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(SECRET_PERMISSION))


def record_content_get(*, record: Record, user: User, purpose: str = "") -> dict[str, Any]:
    """The content and counterparty of an entry. A secret entry's content is given only to
    registrars, and each such view is logged (who, when, where)."""
    if record.is_secret:
        if not may_see_secret(user):
            raise PermissionDenied(_("Only registrars may see the content of a secret entry."))
        SecretAccessLog.objects.create(record=record, user=user, purpose=purpose[:200])
    show_counterparty = not record.counterparty_protected or may_see_secret(user)
    return {
        "text": record.text,
        "raw_payload": record.raw_payload,
        "media": record.media,
        "counterparty_name": record.counterparty_name if show_counterparty else "",
        "counterparty_platform_id": (record.counterparty_platform_id if show_counterparty else ""),
        "counterparty_handle": record.counterparty_handle if show_counterparty else "",
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


def records_with_content_for_source(*, channel: Any, source_id: str) -> RecordQuerySet:
    """The entries of a platform object that still hold their content."""
    return Record.objects.filter(
        channel=channel, source_id=source_id, status=RecordStatus.ACTIVE
    ).order_by("pk")


def record_disposal_candidates(cutoff: date) -> RecordQuerySet:
    """Entries not yet disposed of (active, or with unlawful content erased) whose retention
    period has run out on or before ``cutoff``."""
    return Record.objects.filter(
        status__in=[RecordStatus.ACTIVE, RecordStatus.ERASED],
        disposal_due__isnull=False,
        disposal_due__lte=cutoff,
        retention_class__retention_years__isnull=False,
    )
