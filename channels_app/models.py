"""The channel register: every official account the municipality runs, the audience facts shown
beside them, the Instagram relay rota and the Tillbakablick archive-photo plan, and the texts,
links and documents of the public page they are shown on."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from channels_app.choices import (
    ArchivePhotoStatus,
    AudienceMetric,
    ChannelPlatform,
    ChannelRecordsPolicy,
    ChannelRole,
    ChannelStatus,
    PageSectionKey,
    RelayWeekStatus,
    RightsStatus,
)
from channels_app.pagetext import link_keys
from channels_app.validators import archive_image_validate, pdf_validate
from channels_app.weeks import week_exists

PLATFORM_HOSTS = {
    ChannelPlatform.FACEBOOK: ("facebook.com", "fb.com"),
    ChannelPlatform.INSTAGRAM: ("instagram.com",),
    ChannelPlatform.LINKEDIN: ("linkedin.com",),
    ChannelPlatform.YOUTUBE: ("youtube.com", "youtu.be"),
}
HANDLE_PATTERN = re.compile(r"^@?[\w.\-]{1,100}$")


class Channel(models.Model):
    platform = models.CharField(_("platform"), max_length=20, choices=ChannelPlatform.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    handle = models.CharField(
        _("handle"), max_length=100, blank=True, help_text=_("The account name, e.g. @tborebro.")
    )
    url = models.URLField(_("address"), blank=True)
    platform_account_id = models.CharField(
        _("platform account id"),
        max_length=255,
        blank=True,
        help_text=_(
            "The id the platform gives the account: the Facebook page id, the Instagram user id, "
            "the YouTube channel id or the LinkedIn organisation URN. Content is brought in only "
            "for channels that have one."
        ),
    )
    role = models.CharField(_("role"), max_length=20, choices=ChannelRole.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    audience = models.TextField(_("audience"), blank=True)
    owning_unit = models.CharField(_("owning unit"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ChannelStatus.choices, default=ChannelStatus.ACTIVE
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    paused_on = models.DateField(_("paused"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    is_public = models.BooleanField(_("shown on the public page"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    sign_language_counterpart = models.ForeignKey(
        "self",
        verbose_name=_("sign-language twin of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_language_twins",
        help_text=_("The main account that this sign-language account mirrors."),
    )
    supervision_interval = models.DurationField(
        _("supervision interval"),
        default=timedelta(hours=24),
        help_text=_(
            "How often the channel is watched, in working time (lag (1998:112) 4 §). "
            "Each received item is due within this time."
        ),
    )
    records_policy = models.CharField(
        _("records policy"),
        max_length=20,
        choices=ChannelRecordsPolicy.choices,
        default=ChannelRecordsPolicy.REGISTER_MODERATED,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["platform", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "handle"],
                condition=~models.Q(handle=""),
                name="channel_unique_platform_handle",
                violation_error_message=_("Another channel on this platform has this handle."),
            ),
            models.UniqueConstraint(
                fields=["platform", "platform_account_id"],
                condition=~models.Q(platform_account_id=""),
                name="channel_unique_platform_account_id",
                violation_error_message=_(
                    "Another channel on this platform has this platform account id."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(sign_language_counterpart=models.F("pk")),
                name="channel_twin_not_self",
                violation_error_message=_("A channel cannot be its own sign-language twin."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        twin = self.sign_language_counterpart
        if twin is not None:
            if self.pk and twin.pk == self.pk:
                errors["sign_language_counterpart"] = _(
                    "A channel cannot be its own sign-language twin."
                )
            elif twin.platform != self.platform:
                errors["sign_language_counterpart"] = _(
                    "The sign-language twin must be on the same platform."
                )
        if self.handle and not HANDLE_PATTERN.match(self.handle):
            errors["handle"] = _(
                "A handle is letters, digits, dots, dashes and underscores, optionally after @."
            )
        hosts = PLATFORM_HOSTS.get(ChannelPlatform(self.platform)) if self.platform else None
        if self.url and hosts:
            host = (urlsplit(self.url).hostname or "").lower()
            if not any(host == h or host.endswith("." + h) for h in hosts):
                errors["url"] = _("The address must be on %s.") % ", ".join(hosts)
        if self.status == ChannelStatus.CLOSED and not self.closed_on:
            errors["closed_on"] = _("A closed channel needs the date it closed.")
        if errors:
            raise ValidationError(errors)


class AudienceFact(models.Model):
    """A published figure on who uses a platform, e.g. 8 of 10 aged 16+ used Facebook last year."""

    platform = models.CharField(_("platform"), max_length=20, choices=ChannelPlatform.choices)
    cohort = models.CharField(
        _("cohort"), max_length=100, help_text=_("E.g. 16 år eller äldre, 90-talister.")
    )
    metric = models.CharField(_("metric"), max_length=20, choices=AudienceMetric.choices)
    value = models.CharField(
        _("value"),
        max_length=50,
        help_text=_("As the source words it, e.g. 8 av 10 or 95 procent; a rank is a number."),
    )
    source = models.CharField(_("source"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audience fact")
        verbose_name_plural = _("audience facts")
        ordering = ["platform", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "cohort", "metric", "source", "year"],
                name="audience_fact_unique",
                violation_error_message=_("This fact is already registered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.cohort} – {self.value}"

    def clean(self) -> None:
        if self.metric == AudienceMetric.RANK and not self.value.isdigit():
            raise ValidationError({"value": _("A rank is a whole number, e.g. 1.")})


def _week_errors(year: int | None, week: int | None, field: str) -> dict[str, object]:
    if year is not None and week is not None and not week_exists(year, week):
        return {
            field: _("Week %(week)s does not exist in %(year)s.") % {"week": week, "year": year}
        }
    return {}


WEEK_NUMBER = [MinValueValidator(1), MaxValueValidator(53)]
ACTIVE_RELAY_STATUSES = (RelayWeekStatus.PROPOSED, RelayWeekStatus.CONFIRMED)
ISO_YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class RelayWeek(models.Model):
    """One week of the relay account (stafettkonto): the member of staff who runs it that week."""

    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="relay_weeks",
        limit_choices_to={"role": ChannelRole.RELAY},
    )
    iso_year = models.PositiveSmallIntegerField(_("year"), validators=ISO_YEAR)
    iso_week = models.PositiveSmallIntegerField(_("week"), validators=WEEK_NUMBER)
    host_name = models.CharField(_("host"), max_length=200)
    host_title = models.CharField(_("job title"), max_length=200, blank=True)
    host_unit = models.CharField(_("unit"), max_length=200, blank=True)
    host_email = models.EmailField(_("host's e-mail address"))
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RelayWeekStatus.choices,
        default=RelayWeekStatus.PROPOSED,
    )
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relay week")
        verbose_name_plural = _("relay weeks")
        ordering = ["iso_year", "iso_week", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "iso_year", "iso_week"],
                condition=~models.Q(status=RelayWeekStatus.CANCELLED),
                name="relay_week_one_active_host",
                violation_error_message=_("This week already has a host on this channel."),
            ),
            models.CheckConstraint(
                condition=models.Q(iso_week__gte=1, iso_week__lte=53),
                name="relay_week_week_range",
                violation_error_message=_("A week is numbered 1 to 53."),
            ),
        ]

    def __str__(self) -> str:
        return _("Week %(week)s %(year)s: %(host)s") % {
            "week": self.iso_week,
            "year": self.iso_year,
            "host": self.host_name,
        }

    def clean(self) -> None:
        errors = _week_errors(self.iso_year, self.iso_week, "iso_week")
        if self.channel_id and self.channel.role != ChannelRole.RELAY:
            errors["channel"] = _("Hosts are booked only on a relay account.")
        if self._state.adding and self.status not in ACTIVE_RELAY_STATUSES:
            errors["status"] = _("A new booking is proposed or confirmed.")
        if errors:
            raise ValidationError(errors)


PLANNED = [ArchivePhotoStatus.SCHEDULED, ArchivePhotoStatus.PUBLISHED]


class ArchivePhoto(models.Model):
    """An old photo from Stadsarkivets bildarkiv, and the week Tillbakablick posts it."""

    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="archive_photos",
        limit_choices_to={"role": ChannelRole.ARCHIVE},
    )
    archive_reference = models.CharField(
        _("archive reference"),
        max_length=100,
        unique=True,
        help_text=_("The photo's reference in Stadsarkivets bildarkiv."),
    )
    title = models.CharField(_("title"), max_length=200)
    caption = models.TextField(_("caption"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("year taken"), null=True, blank=True, validators=[MaxValueValidator(2100)]
    )
    decade = models.PositiveSmallIntegerField(
        _("decade"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(2100)],
        help_text=_("When the exact year is unknown, e.g. 1950 for the 1950s."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    photographer = models.CharField(_("photographer"), max_length=200, blank=True)
    image = models.ImageField(
        _("image"), upload_to="tillbakablick/%Y/", validators=[archive_image_validate]
    )
    rights_status = models.CharField(
        _("rights"), max_length=20, choices=RightsStatus.choices, default=RightsStatus.UNKNOWN
    )
    rights_note = models.TextField(_("rights note"), blank=True)
    planned_year = models.PositiveSmallIntegerField(
        _("planned year"), null=True, blank=True, validators=ISO_YEAR
    )
    planned_week = models.PositiveSmallIntegerField(
        _("planned week"), null=True, blank=True, validators=WEEK_NUMBER
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ArchivePhotoStatus.choices,
        default=ArchivePhotoStatus.DRAFT,
    )
    published_url = models.URLField(_("published at"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("archive photo")
        verbose_name_plural = _("archive photos")
        ordering = ["planned_year", "planned_week", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "planned_year", "planned_week"],
                condition=models.Q(status__in=PLANNED),
                name="archive_photo_one_post_per_week",
                violation_error_message=_("Another photo is already planned for this week."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=PLANNED, rights_status=RightsStatus.UNKNOWN),
                name="archive_photo_rights_known_when_planned",
                violation_error_message=_(
                    "A photo whose rights are unknown cannot be scheduled or published."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.archive_reference})"

    def clean(self) -> None:
        errors = _week_errors(self.planned_year, self.planned_week, "planned_week")
        planned = self.status in PLANNED
        if planned and self.rights_status == RightsStatus.UNKNOWN:
            errors["rights_status"] = _(
                "A photo whose rights are unknown cannot be scheduled: "
                "find out who holds the rights first."
            )
        if planned and (self.planned_year is None or self.planned_week is None):
            errors["planned_week"] = _("Choose the year and week the photo is posted.")
        if not planned and (self.planned_year is not None or self.planned_week is not None):
            errors["status"] = _("A photo with a planned week must have the status scheduled.")
        if self.status == ArchivePhotoStatus.PUBLISHED and not self.published_url:
            errors["published_url"] = _("Give the address of the published post.")
        if self.published_url:
            host = (urlsplit(self.published_url).hostname or "").lower()
            if host != "instagram.com" and not host.endswith(".instagram.com"):
                errors["published_url"] = _("The address must be on instagram.com.")
        if self.rights_status == RightsStatus.LICENSED and not self.rights_note.strip():
            errors["rights_note"] = _("Name the licence in the rights note.")
        if self.decade is not None and self.decade % 10:
            errors["decade"] = _("A decade is a year ending in 0, e.g. 1950.")
        if self.channel_id and self.channel.role != ChannelRole.ARCHIVE:
            errors["channel"] = _("Archive photos belong to an archive account.")
        if errors:
            raise ValidationError(errors)


class PageSection(models.Model):
    """One section of the public "Sociala medier" page: its heading and its paragraphs, which an
    editor changes in admin. The rules, the channels and the podcasts are listed under the section
    of their key; ``closing`` follows that list."""

    key = models.CharField(_("section"), max_length=20, choices=PageSectionKey.choices, unique=True)
    heading = models.CharField(
        _("heading"), max_length=200, blank=True, help_text=_("Left empty, no heading is shown.")
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Paragraphs separated by an empty line. A link is written [words](address); "
            "a link or document kept under Links and documents is written [words](@name)."
        ),
    )
    closing = models.TextField(
        _("text after the list"),
        blank=True,
        help_text=_("Shown after the rules or the channels of this section."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("page section")
        verbose_name_plural = _("page sections")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.heading or self.get_key_display()

    def clean(self) -> None:
        known = set(PageLink.objects.values_list("key", flat=True))
        errors = {}
        for field in ("body", "closing"):
            unknown = sorted(link_keys(getattr(self, field)) - known)
            if unknown:
                errors[field] = _("No link or document is named %(names)s.") % {
                    "names": ", ".join(f"@{name}" for name in unknown)
                }
        if errors:
            raise ValidationError(errors)


class PageLink(models.Model):
    """An address or an uploaded document that the page's texts link to by name, e.g.
    [här](@personuppgifter). A document's link says its type and size, read from the file."""

    key = models.CharField(
        _("name"),
        max_length=50,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9-]+$", _("Lower-case letters, digits and dashes."))],
        help_text=_("Written after @ in the texts, e.g. personuppgifter."),
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), blank=True)
    document = models.FileField(
        _("document"),
        upload_to="sidan/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), pdf_validate],
        help_text=_("A PDF file; the page shows its size."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("link or document")
        verbose_name_plural = _("links and documents")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if bool(self.url) == bool(self.document):
            raise ValidationError(_("Give either an address or a document, not both."))

    @property
    def href(self) -> str:
        return self.document.url if self.document else self.url
