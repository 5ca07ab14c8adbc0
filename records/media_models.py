"""The media files of a register entry: each image, video or attachment the document carried,
fetched from the platform after capture and stored in the media storage with its SHA-256. The
entry's snapshot is immutable and lists the media as they arrived (address and kind); the file
itself comes later, so it is kept here, beside the entry, and goes with it into the e-archive
package and out of storage on disposal and erasure (records.lifecycle)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.choices import MediaKind, MediaStatus


class RecordMedia(models.Model):
    """One media file of an entry (``position``: its place in the snapshot's media list)."""

    record = models.ForeignKey(
        "records.Record",
        verbose_name=_("register entry"),
        on_delete=models.PROTECT,
        related_name="media_files",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=12, choices=MediaKind.choices)
    source_url = models.URLField(_("address on the platform"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=MediaStatus.choices, default=MediaStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to="records/media/", max_length=300, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    error = models.TextField(_("why it is not stored"), blank=True)
    fetched_at = models.DateTimeField(_("fetched"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        ordering = ["record", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "position"], name="records_recordmedia_unique_position"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.record_id} · {self.position} · {self.get_status_display()}"
