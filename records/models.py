"""The public-records register (diarium): entries with their immutable snapshots, amendments,
secrecy, requests for public documents, retention and disposal, and fixity audits."""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.choices import (
    AmendmentKind,
    DisposalRunStatus,
    RecordDirection,
    RecordSource,
    RecordStatus,
    RegistrationBasis,
    RegistrationReason,
    RegistrationRule,
    RequestDecision,
    RequestIntake,
    RequestStatus,
    UnlawfulContentBasis,
)

# The columns that make up a registered snapshot: never changed except by disposal, which
# erases them and keeps the hash. The PostgreSQL trigger (migration 0002) guards the same list.
SNAPSHOT_FIELDS = ("text", "raw_payload", "media", "sha256")
# What the erasure of unlawful content empties (and only empties); the hash stays. The trigger
# (migration 0005) lets these columns change to exactly these values, and nothing else.
ERASED_CONTENT: dict[str, Any] = {"text": "", "raw_payload": {}, "media": []}
# What disposal erases besides the snapshot (the tombstone keeps number, dates, public subject,
# hash and decision).
# An amendment never changes at all once appended (same trigger, migration 0002).
AMENDMENT_FIELDS = ("text", "raw_payload", "sha256", "record", "record_id", "kind", "occurred_at")
ERASED_ON_DISPOSAL = (
    "counterparty_name",
    "counterparty_platform_id",
    "counterparty_handle",
    "permalink",
)


def snapshot_hash(text: str, raw_payload: Any, media: Any) -> str:
    """SHA-256 of the snapshot in a canonical JSON form (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(
        {"media": media, "raw_payload": raw_payload, "text": text},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class SnapshotChangeError(ValidationError):
    """An attempt to change or delete a registered snapshot outside disposal."""


class SnapshotGuardedQuerySet(models.QuerySet):
    """Bulk updates may not touch the snapshot columns, and nothing is bulk-deleted: both
    would bypass the model's guard (the PostgreSQL trigger refuses them too)."""

    snapshot_fields: tuple[str, ...] = ()

    def update(self, **kwargs: Any) -> int:
        touched = sorted(set(kwargs) & set(self.snapshot_fields))
        if touched:
            raise SnapshotChangeError(
                _("A registered snapshot cannot be changed (%s).") % ", ".join(touched)
            )
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise SnapshotChangeError(_("Register entries are removed only by disposal."))


class RecordQuerySet(SnapshotGuardedQuerySet):
    snapshot_fields = SNAPSHOT_FIELDS

    def registered(self) -> "RecordQuerySet":
        return self.filter(registration_basis=RegistrationBasis.REGISTERED)


class RecordAmendmentQuerySet(SnapshotGuardedQuerySet):
    snapshot_fields = AMENDMENT_FIELDS


class RetentionClass(models.Model):
    """A line of the information management plan (informationshanteringsplan)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    retention_years = models.PositiveSmallIntegerField(
        _("retention period (years)"),
        null=True,
        blank=True,
        help_text=_("Empty: kept forever (bevaras)."),
    )
    decision_reference = models.CharField(
        _("disposal decision"),
        max_length=300,
        help_text=_("The decision the class rests on (Arkivlagen 10 §), e.g. its reference."),
    )
    is_example = models.BooleanField(
        _("example"),
        default=False,
        help_text=_("Seeded example: the municipality must adapt it to its own plan."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("retention class")
        verbose_name_plural = _("retention classes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def keep_forever(self) -> bool:
        return self.retention_years is None


class RetentionDefault(models.Model):
    """The retention class a capture gets when it is registered or kept in order: per channel
    (empty: every channel) and registration basis (empty: every basis). The most specific
    default wins: channel and basis, then channel, then basis, then the one for everything."""

    channel = models.ForeignKey(
        "channels_app.Channel",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every channel without a default of its own."),
    )
    registration_basis = models.CharField(
        _("registration basis"),
        max_length=20,
        choices=RegistrationBasis.choices,
        blank=True,
        help_text=_("Empty: every basis."),
    )
    retention_class = models.ForeignKey(
        RetentionClass,
        verbose_name=_("retention class"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("default retention class")
        verbose_name_plural = _("default retention classes")
        ordering = ["channel__name", "registration_basis"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "registration_basis"],
                condition=models.Q(channel__isnull=False),
                name="records_retentiondefault_unique_per_channel",
                violation_error_message=_("The channel already has a default for this basis."),
            ),
            models.UniqueConstraint(
                fields=["registration_basis"],
                condition=models.Q(channel__isnull=True),
                name="records_retentiondefault_unique_everywhere",
                violation_error_message=_("There is already a default for every channel."),
            ),
        ]

    def __str__(self) -> str:
        channel = self.channel.name if self.channel else _("every channel")
        basis = self.get_registration_basis_display() if self.registration_basis else _("any")
        return f"{channel} · {basis}: {self.retention_class.code}"


class SeriesCounter(models.Model):
    """The last number taken in a series and year; the statement that takes numbers
    (``records.services.registration.numbers_allocate``) locks its row until the transaction
    ends, so that concurrent registrations never share or skip a number."""

    prefix = models.CharField(_("prefix"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="records_series_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.year}: {self.last_number}"


def record_label(number: str | None, source_id: str) -> str:
    """How an entry is named: its number, or its source id until it is registered."""
    return number or _("(unregistered) %s") % source_id


class Record(models.Model):
    """One public document (allmän handling) on an account: a comment, message or our own post."""

    number = models.CharField(
        _("registration number"), max_length=40, null=True, blank=True, unique=True
    )
    series_prefix = models.CharField(_("series"), max_length=20, blank=True)
    series_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    series_sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    channel = models.ForeignKey(
        "channels_app.Channel",
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    source_id = models.CharField(
        _("platform object id"), max_length=200, help_text=_("Where the document came from.")
    )
    source_kind = models.CharField(
        _("came in by"),
        max_length=10,
        choices=RecordSource.choices,
        default=RecordSource.PLATFORM,
    )
    source_client = models.ForeignKey(
        "accounts.IntegrationClient",
        verbose_name=_("sent by integration client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    permalink = models.URLField(_("permalink"), max_length=500, blank=True)
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        help_text=_("The entry this reply from the channel answers."),
    )
    # The platform id of what a reply answers: the link is made whichever arrives first.
    in_reply_to_source_id = models.CharField(
        _("in reply to (platform id)"), max_length=255, blank=True
    )
    direction = models.CharField(_("direction"), max_length=10, choices=RecordDirection.choices)
    document_date = models.DateTimeField(
        _("document date"),
        help_text=_("When it reached the account, or was published (the platform's time)."),
    )
    captured_at = models.DateTimeField(_("captured"), default=timezone.now)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    counterparty_name = models.CharField(_("counterparty"), max_length=200, blank=True)
    counterparty_platform_id = models.CharField(
        _("counterparty platform id"), max_length=200, blank=True
    )
    counterparty_handle = models.CharField(_("counterparty handle"), max_length=200, blank=True)
    counterparty_protected = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_("The counterparty is kept out of everything but the registrar's view."),
    )
    subject = models.CharField(_("subject"), max_length=500, help_text=_("OSL 5:2 description."))
    public_subject = models.CharField(
        _("public subject"),
        max_length=500,
        help_text=_("What the public register shows; personal data masked."),
    )
    text = models.TextField(_("text"), blank=True)
    raw_payload = models.JSONField(_("raw payload"), default=dict, blank=True)
    media = models.JSONField(_("media"), default=list, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    registration_reason = models.CharField(
        _("registration reason"), max_length=20, choices=RegistrationReason.choices
    )
    registration_basis = models.CharField(
        _("registration basis"), max_length=20, choices=RegistrationBasis.choices
    )
    registration_rule = models.CharField(
        _("deciding rule"), max_length=40, choices=RegistrationRule.choices
    )
    is_secret = models.BooleanField(_("secret"), default=False)
    secrecy_provision = models.CharField(_("secrecy provision"), max_length=200, blank=True)
    secrecy_marked_at = models.DateTimeField(_("secrecy marked"), null=True, blank=True)
    secrecy_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secrecy marked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    retention_class = models.ForeignKey(
        RetentionClass,
        verbose_name=_("retention class"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    disposal_due = models.DateField(_("disposal due"), null=True, blank=True)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.CharField(_("legal hold reason"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    disposed_at = models.DateTimeField(_("disposed"), null=True, blank=True)
    disposal_run = models.ForeignKey(
        "DisposalRun",
        verbose_name=_("disposal run"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposed_records",
    )
    content_erased_at = models.DateTimeField(_("content erased"), null=True, blank=True)
    content_erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("content erased by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    content_erasure_basis = models.CharField(
        _("legal basis of the erasure"),
        max_length=30,
        choices=UnlawfulContentBasis.choices,
        blank=True,
    )
    content_erasure_reference = models.CharField(
        _("erasure decision"),
        max_length=300,
        blank=True,
        help_text=_("The decision the content was erased on, e.g. the moderation decision."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Metadata history only: the snapshot and the counterparty never change, and disposal
    # must be able to erase them without a copy surviving in the history table. The subject
    # is kept in history (it can be corrected) and scrubbed there by disposal.
    history = HistoricalRecords(excluded_fields=[*SNAPSHOT_FIELDS[:3], *ERASED_ON_DISPOSAL])

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["-document_date", "-pk"]
        permissions = [
            ("view_secret_record", _("Can see the content of secret register entries")),
            ("mark_secret_record", _("Can mark and unmark secrecy")),
            ("register_own_content", _("Can register the channel's own posts and replies")),
            (
                "erase_unlawful_content",
                _("Can erase the content of register entries for unlawful content"),
            ),
        ]
        constraints = [
            # An entry is found by its origin: the same id sent by another path is another entry.
            models.UniqueConstraint(
                fields=["channel", "source_kind", "source_id"],
                condition=models.Q(source_client__isnull=True),
                name="records_record_unique_source",
            ),
            models.UniqueConstraint(
                fields=["channel", "source_kind", "source_client", "source_id"],
                condition=models.Q(source_client__isnull=False),
                name="records_record_unique_client_source",
            ),
            models.UniqueConstraint(
                fields=["series_prefix", "series_year", "series_sequence"],
                condition=models.Q(series_sequence__isnull=False),
                name="records_record_unique_sequence",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_secret=True, secrecy_provision=""),
                name="records_record_secret_has_provision",
                violation_error_message=_("Secrecy needs the OSL provision."),
            ),
        ]
        indexes = [
            models.Index(fields=["registration_basis", "-document_date"]),
            # The replies still waiting for the entry they answer, which every registration
            # looks up (records.services.registration._replies_link): without it, a scan of
            # the whole register under the series counter's lock.
            # A registration's lookup of the entries already made from its sources, by
            # channel, kind and platform id whichever client sent them (the unique constraints
            # are partial by client, so they cannot serve it).
            models.Index(fields=["channel", "source_kind", "source_id"], name="record_source"),
            models.Index(
                fields=["channel", "in_reply_to_source_id"],
                condition=models.Q(in_reply_to__isnull=True) & ~models.Q(in_reply_to_source_id=""),
                name="record_reply_waiting",
            ),
        ]

    def __str__(self) -> str:
        return record_label(self.number, self.source_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        loaded: dict[str, str] = getattr(self, "_loaded_snapshot", {})
        current = self.snapshot_state()
        changed = [name for name, value in loaded.items() if current.get(name, value) != value]
        erasing = getattr(self, "_erasure", False) and self.content_is_erased()
        unlocked = getattr(self, "_disposal", False) or (erasing and "sha256" not in changed)
        if self.pk and changed and not unlocked:
            raise SnapshotChangeError(_("A registered snapshot cannot be changed."))
        super().save(*args, **kwargs)
        self.snapshot_loaded()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise SnapshotChangeError(_("Register entries are removed only by disposal."))

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> "Record":
        instance = super().from_db(*args, **kwargs)
        instance.snapshot_loaded()
        return instance

    def snapshot_loaded(self) -> None:
        """Remember the snapshot as stored, so that ``save`` refuses any change to it."""
        self._loaded_snapshot = self.snapshot_state()

    def snapshot_state(self) -> dict[str, str]:
        """The loaded snapshot columns, serialised for comparison (deferred ones left out)."""
        return {
            name: json.dumps(self.__dict__[name], sort_keys=True)
            for name in SNAPSHOT_FIELDS
            if name in self.__dict__
        }

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.document_date and self.document_date > timezone.now():
            errors["document_date"] = _("The document date cannot be in the future.")
        if self.is_secret and not self.secrecy_provision.strip():
            errors["secrecy_provision"] = _("Secrecy needs the OSL provision.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_registered(self) -> bool:
        return self.registration_basis == RegistrationBasis.REGISTERED

    @property
    def is_disposed(self) -> bool:
        return self.status == RecordStatus.DISPOSED

    @property
    def has_content(self) -> bool:
        """Whether the snapshot is still held: neither disposed of nor erased as unlawful."""
        return self.status == RecordStatus.ACTIVE

    def content_is_erased(self) -> bool:
        return all(getattr(self, name) == value for name, value in ERASED_CONTENT.items())

    def computed_hash(self) -> str:
        return snapshot_hash(self.text, self.raw_payload, self.media)


class RecordAmendment(models.Model):
    """A platform edit or a correction, appended to an entry; the original stays as it was."""

    record = models.ForeignKey(
        Record,
        verbose_name=_("register entry"),
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AmendmentKind.choices)
    text = models.TextField(_("text"), blank=True)
    raw_payload = models.JSONField(_("raw payload"), default=dict, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    reason = models.TextField(_("reason"))
    occurred_at = models.DateTimeField(_("occurred"))
    created_at = models.DateTimeField(_("appended"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appended by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RecordAmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["record", "occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.record} · {self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        erasing = getattr(self, "_erasure", False) and (self.text, self.raw_payload) == ("", {})
        if self.pk and not (getattr(self, "_disposal", False) or erasing):
            raise SnapshotChangeError(_("An amendment cannot be changed; append another."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise SnapshotChangeError(_("Amendments are removed only by disposal."))

    def computed_hash(self) -> str:
        return snapshot_hash(self.text, self.raw_payload, [])


class SecretAccessLog(models.Model):
    """Who saw the content of a secret entry, and when."""

    record = models.ForeignKey(
        Record,
        verbose_name=_("register entry"),
        on_delete=models.PROTECT,
        related_name="secret_access_logs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    accessed_at = models.DateTimeField(_("accessed"), auto_now_add=True)
    purpose = models.CharField(_("where"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("secret content view")
        verbose_name_plural = _("secret content views")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.record} · {self.user} · {self.accessed_at:%Y-%m-%d %H:%M}"


class AccessRequest(models.Model):
    """A request for public documents (begäran om allmän handling, TF 2:15–18)."""

    intake = models.CharField(_("intake"), max_length=20, choices=RequestIntake.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_on = models.DateField(_("due"))
    requester = models.CharField(
        _("requester"), max_length=200, blank=True, help_text=_("Optional: anonymity is a right.")
    )
    contact = models.CharField(
        _("contact for delivery"), max_length=200, blank=True, help_text=_("Optional.")
    )
    scope = models.TextField(_("what is requested"))
    records = models.ManyToManyField(
        Record, verbose_name=_("register entries"), blank=True, related_name="access_requests"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=RequestDecision.choices, blank=True
    )
    decision_provision = models.CharField(_("OSL provision"), max_length=200, blank=True)
    decision_reason = models.TextField(_("reasons"), blank=True)
    masked_terms = models.JSONField(
        _("also masked"),
        default=list,
        blank=True,
        help_text=_("Words or phrases masked in a partial release besides personal data."),
    )
    appeal_notice = models.TextField(_("appeal notice"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("alert sent"), null=True, blank=True)
    # When the registrars were told of a request from the public form, one by one or in a digest.
    notified_at = models.DateTimeField(_("registrars told"), null=True, blank=True, editable=False)
    form_nonce = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["form_nonce", "notified_at"])

    class Meta:
        verbose_name = _("request for public documents")
        verbose_name_plural = _("requests for public documents")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return _("Request %(id)s of %(date)s") % {
            "id": self.pk,
            "date": timezone.localtime(self.received_at).date(),
        }


class DisposalRun(models.Model):
    """A disposal (gallring): previewed, approved by a registrar, executed, reported."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DisposalRunStatus.choices,
        default=DisposalRunStatus.PREVIEWED,
    )
    cutoff = models.DateField(_("disposal due on or before"))
    records = models.ManyToManyField(
        Record, verbose_name=_("entries to dispose of"), blank=True, related_name="+"
    )
    skipped = models.JSONField(_("skipped"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    executed_at = models.DateTimeField(_("executed"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disposal run")
        verbose_name_plural = _("disposal runs")
        ordering = ["-created_at"]
        permissions = [("approve_disposalrun", _("Can approve and execute disposal runs"))]

    def __str__(self) -> str:
        return _("Disposal run %(id)s (%(status)s)") % {
            "id": self.pk,
            "status": self.get_status_display(),
        }


class ErasureRequest(models.Model):
    """A request to erase personal data (GDPR art. 17) and its answer."""

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    requester = models.CharField(_("requester"), max_length=200)
    description = models.TextField(_("what the request concerns"))
    records = models.ManyToManyField(
        Record, verbose_name=_("register entries"), blank=True, related_name="erasure_requests"
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.requester} ({timezone.localtime(self.received_at):%Y-%m-%d})"


# Models in modules of their own, imported here so that the app's models are one import.
from records.media_models import RecordMedia  # noqa: E402, F401
from records.models_fixity import FixityAudit  # noqa: E402, F401
from records.models_quotation import Quotation  # noqa: E402, F401
