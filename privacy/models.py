"""A person's own data: their requests (access, rectification, objection) as cases with a due
date, the log of every search for a person, and the retention of what is not a public document
(the periods an administrator sets and the report of each run)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from privacy.choices import SubjectRequestDecision, SubjectRequestKind, SubjectRequestStatus


class SubjectRequest(models.Model):
    """A data subject's request, handled as a case: due one month from receipt (GDPR art.
    12(3)), extended by at most two further months with a reason, decided and answered."""

    case_number = models.CharField(
        _("case number"),
        max_length=60,
        unique=True,
        help_text=_("The number of the case in the case-management system."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SubjectRequestKind.choices)
    requester = models.CharField(_("requester"), max_length=200)
    contact = models.CharField(_("contact for the answer"), max_length=200, blank=True)
    identifiers = models.JSONField(
        _("identifiers"),
        default=list,
        help_text=_(
            "What the person is known by: platform account, name, profile link, e-mail or "
            "phone. Their own identifiers are not masked in what they receive."
        ),
    )
    description = models.TextField(_("what the request concerns"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_on = models.DateField(_("due"))
    extended_due_on = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SubjectRequestStatus.choices,
        default=SubjectRequestStatus.RECEIVED,
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=SubjectRequestDecision.choices, blank=True
    )
    answer = models.TextField(_("answer"), blank=True)
    masked_terms = models.JSONField(
        _("also masked"),
        default=list,
        blank=True,
        help_text=_("Other people's names or other words masked in the package."),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delivered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    corrections = models.TextField(
        _("corrections made"),
        blank=True,
        help_text=_("What a rectification corrected, from what to what, line by line."),
    )
    alerted_at = models.DateTimeField(_("alert sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-received_at"]
        permissions = [("search_person", _("Can search for a person's data"))]

    def __str__(self) -> str:
        return f"{self.case_number} ({self.get_kind_display()})"

    @property
    def due(self) -> date:
        """The date the answer is due, extension included."""
        return self.extended_due_on or self.due_on


class PersonSearch(models.Model):
    """One search for a person's data: who searched, for what, in which case, what it found."""

    request = models.ForeignKey(
        SubjectRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="searches",
    )
    term = models.CharField(_("searched for"), max_length=300)
    found = models.PositiveIntegerField(_("found"), default=0)
    searched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("searched by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    searched_at = models.DateTimeField(_("searched at"), auto_now_add=True)

    class Meta:
        verbose_name = _("search for a person")
        verbose_name_plural = _("searches for a person")
        ordering = ["-searched_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.request.case_number}: {self.term}"


class RetentionSettings(models.Model):
    """How long data that is not a public document is kept (one row, set by an administrator).
    The defaults are documented in docs/privacy.md."""

    orphan_accounts_days = models.PositiveIntegerField(
        _("platform accounts with no items left (days)"),
        default=90,
        help_text=_("An author whose items are all gone is removed this long after last seen."),
    )
    author_notes_days = models.PositiveIntegerField(
        _("notes about authors (days)"), default=365, help_text=_("From when they were written.")
    )
    expired_blocks_days = models.PositiveIntegerField(
        _("ended blocks (days)"),
        default=365,
        help_text=_("From when the block was lifted or ended."),
    )
    queue_working_data_days = models.PositiveIntegerField(
        _("the queue's working data (days)"),
        default=30,
        help_text=_("Processed webhook deliveries, from when they were processed."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("retention of personal data")
        verbose_name_plural = _("retention of personal data")

    def __str__(self) -> str:
        return str(_("Retention of personal data"))


class RetentionRun(models.Model):
    """One run of the retention task and what it removed."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    removed = models.PositiveIntegerField(_("removed"), default=0)
    report = models.TextField(_("report"), blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-ran_at", "-pk"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.ran_at):%Y-%m-%d %H:%M} ({self.removed})"


class PackageLink(models.Model):
    """A package too large for e-mail, kept until the person fetches it once through the link
    they were mailed. Only the token's hash is stored; the package is emptied when it is
    fetched or has expired (the retention run), and the fetch is logged here."""

    request = models.ForeignKey(
        SubjectRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="links",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=100)
    package = models.BinaryField(_("package"), editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    downloaded_at = models.DateTimeField(_("fetched"), null=True, blank=True)
    emptied_at = models.DateTimeField(_("package removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("link to a package")
        verbose_name_plural = _("links to packages")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.request.case_number}: {self.file_name}"
