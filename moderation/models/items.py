"""What reached the channels: items, their authors (platform accounts), each version of their
text and what the detectors found in it, and which items wait for a person."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from moderation.choices import (
    DetectorKind,
    ItemKind,
    ItemState,
    hit_reason,
)
from moderation.models.grounds import Ground

# The queue's working order: highest priority first, then oldest first; the id breaks ties
# (and the API's cursor pages by it). Written here once, beside the indexes that serve it;
# moderation.queue, the queue's read model, is where readers take it from.
QUEUE_ORDER = ("-priority", "received_at", "id")

OPEN_STATES = (ItemState.NEW, ItemState.CLAIMED, ItemState.ESCALATED)
# Items waiting for a person: open, or hidden by the detectors and not yet looked at.
OPEN_ITEMS = models.Q(state__in=OPEN_STATES) | models.Q(
    state=ItemState.HIDDEN, hidden_pending_review=True
)


class PlatformAccount(models.Model):
    """The author of items: one row per account per platform, whatever channel it writes on."""

    platform = models.CharField(_("platform"), max_length=20)
    external_id = models.CharField(_("platform id"), max_length=255)
    name = models.CharField(_("name"), max_length=255, blank=True)
    profile_url = models.URLField(_("profile address"), max_length=1000, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now=True)

    class Meta:
        verbose_name = _("platform account")
        verbose_name_plural = _("platform accounts")
        ordering = ["platform", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="platformaccount_unique_per_platform"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.external_id


class Item(models.Model):
    """A post, comment, reply, message or mention that reached one of the channels."""

    channel = models.ForeignKey(
        "channels_app.Channel", verbose_name=_("channel"), on_delete=models.PROTECT
    )
    external_id = models.CharField(_("platform id"), max_length=255)
    source_client = models.ForeignKey(
        "accounts.IntegrationClient",
        verbose_name=_("sent by integration client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: it came from the platform (webhook or polling)."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    parent_external_id = models.CharField(_("platform id of parent"), max_length=255, blank=True)
    thread_external_id = models.CharField(_("platform id of thread"), max_length=255, blank=True)
    author = models.ForeignKey(
        PlatformAccount,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )
    text = models.TextField(_("text"), blank=True)
    permalink = models.URLField(_("platform link"), max_length=1000, blank=True)
    platform_time = models.DateTimeField(_("platform time"), help_text=_("When it reached us."))
    content_event_at = models.DateTimeField(
        _("time of the shown version"), help_text=_("Platform time of the current text.")
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    raw_payload = models.JSONField(_("raw payload"), default=dict, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    current_version = models.ForeignKey(
        "ItemVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    platform_deleted = models.BooleanField(_("deleted on the platform"), default=False)
    platform_deleted_at = models.DateTimeField(
        _("deleted on the platform at"), null=True, blank=True
    )
    platform_hidden = models.BooleanField(_("hidden on the platform"), default=False)
    hidden_pending_review = models.BooleanField(
        _("hidden pending review"),
        default=False,
        help_text=_("Hidden by the detectors; a person has not decided since."),
    )
    visibility_event_at = models.DateTimeField(null=True, blank=True, editable=False)
    content_withheld = models.BooleanField(
        _("content withheld"),
        default=False,
        help_text=_("Removed on a ground that forbids keeping the content: metadata only."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ItemState.choices, default=ItemState.NEW
    )
    state_before_claim = models.CharField(max_length=10, blank=True, editable=False)
    priority = models.PositiveIntegerField(_("priority"), default=0)
    suspected_grounds = models.ManyToManyField(
        Ground, verbose_name=_("suspected grounds"), blank=True, related_name="suspected_items"
    )
    due_at = models.DateTimeField(_("due"))
    due_alert_sent_at = models.DateTimeField(_("due alert sent"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("claim expires"), null=True, blank=True)
    first_action_at = models.DateTimeField(_("first action by a person"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    record = models.ForeignKey(
        "records.Record",
        verbose_name=_("register entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The entry the item was captured in (capture first)."),
    )

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = list(QUEUE_ORDER)
        permissions = [("decide_item", _("Can claim and decide items"))]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=models.Q(source_client__isnull=True),
                name="item_unique_platform_id_per_channel",
                violation_error_message=_("The channel already has an item with this id."),
            ),
            models.UniqueConstraint(
                fields=["channel", "source_client", "external_id"],
                condition=models.Q(source_client__isnull=False),
                name="item_unique_ingested_id_per_client",
                violation_error_message=_("The client already sent an item with this id."),
            ),
        ]
        indexes = [
            models.Index(fields=["state", *QUEUE_ORDER[:-1]]),
            models.Index(fields=["due_at"]),
            models.Index(fields=["channel", "thread_external_id"]),
            # The queue by channel and state in working order (bench: plans/queue_page_size50).
            models.Index(
                fields=["channel", "state", *QUEUE_ORDER],
                name="item_queue_by_channel",
            ),
            # An author's earlier items, newest first (the item page's author history).
            models.Index(fields=["author", "-platform_time"], name="item_author_history"),
            # Replies that arrived before their parent, looked up as each new item arrives
            # (intake); without it that lookup reads every parentless item of the table.
            models.Index(
                fields=["channel", "parent_external_id"],
                condition=models.Q(parent__isnull=True),
                name="item_awaiting_parent",
            ),
            # The monthly figures read a month's items by receipt, and find the months whose
            # kept figures a first action, a hiding or a passed due time has changed since
            # (moderation.statistics).
            models.Index(fields=["received_at"], name="item_received"),
            models.Index(fields=["first_action_at"], name="item_first_action"),
            models.Index(fields=["hidden_at"], name="item_hidden"),
            # The queue now on the metrics page: the open items alone, with what it counts.
            models.Index(
                fields=["channel", "received_at"],
                include=["due_at", "id"],
                condition=OPEN_ITEMS,
                name="item_open",
            ),
            # The public reconsideration form finds the comment by its link.
            models.Index(
                fields=["permalink"], condition=~models.Q(permalink=""), name="item_permalink"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel.name}: {self.external_id}"


class ItemVersion(models.Model):
    """Each distinct text an item has had, by the platform time of the event that carried it."""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="versions"
    )
    text = models.TextField(_("text"), blank=True)
    raw_payload = models.JSONField(_("raw payload"), default=dict, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    platform_time = models.DateTimeField(_("platform time"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("item version")
        verbose_name_plural = _("item versions")
        ordering = ["item", "platform_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "platform_time", "sha256"], name="itemversion_unique_event"
            )
        ]

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.platform_time), "DATETIME_FORMAT")
        return f"{self.item_id} @ {when}"


class DetectorHit(models.Model):
    """What a detector found in one version of an item, and where (character offsets)."""

    version = models.ForeignKey(
        ItemVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="hits"
    )
    detector = models.CharField(_("detector"), max_length=30, choices=DetectorKind.choices)
    matched = models.CharField(_("matched text"), max_length=500, blank=True)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    ground = models.ForeignKey(
        Ground, verbose_name=_("suspected ground"), on_delete=models.SET_NULL, null=True
    )

    class Meta:
        verbose_name = _("detector hit")
        verbose_name_plural = _("detector hits")
        ordering = ["version", "start"]

    def __str__(self) -> str:
        return f"{self.get_detector_display()} {self.start}–{self.end}"

    @property
    def reason(self) -> str:
        """Why the detector fired, in words (a threat rule's name, or the matched term)."""
        return hit_reason(self.detail)
