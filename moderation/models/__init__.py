"""Moderation: the published grounds, what citizens post (items, their versions and authors),
what the detectors found, the decisions moderators make, blocks, notes, reconsiderations, the
word lists and reply templates editors keep, and the outbox of actions for the platforms."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from moderation.choices import (
    DecisionAction,
    DetectorKind,
    ItemKind,
    ItemState,
    PlatformActionKind,
    PlatformActionState,
    ReconsiderationOutcome,
    WordListKind,
    hit_reason,
)

OPEN_STATES = (ItemState.NEW, ItemState.CLAIMED, ItemState.ESCALATED)
# Items waiting for a person: open, or hidden by the detectors and not yet looked at.
OPEN_ITEMS = models.Q(state__in=OPEN_STATES) | models.Q(
    state=ItemState.HIDDEN, hidden_pending_review=True
)


class Ground(models.Model):
    """One of the rules the municipality published for removing content; every removal cites one."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    wording = models.TextField(_("published wording"), help_text=_("As on the public page."))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    mandatory_removal = models.BooleanField(
        _("removal mandatory"),
        default=False,
        help_text=_("Content the law (1998:112) 5 § obliges the municipality to remove."),
    )
    requires_rationale = models.BooleanField(
        _("rationale required"),
        default=False,
        help_text=_("A removal must give a written reason (objectivity and impartiality)."),
    )
    police_report = models.BooleanField(_("report to the police"), default=False)
    store_content = models.BooleanField(
        _("store content"),
        default=True,
        help_text=_("Off for child abuse material: only metadata and platform ids are kept."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of rule"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_grounds",
        help_text=_("A narrower ground under a published rule, e.g. child abuse material."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ground")
        verbose_name_plural = _("grounds")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.wording.rstrip(",. ").removesuffix(" eller")


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
        ordering = ["-priority", "received_at", "pk"]
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
            models.Index(fields=["state", "-priority", "received_at"]),
            models.Index(fields=["due_at"]),
            models.Index(fields=["channel", "thread_external_id"]),
            # The queue by channel and state in working order (bench: plans/queue_page_size50).
            models.Index(
                fields=["channel", "state", "-priority", "received_at", "id"],
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


class Word(models.Model):
    """An entry on the banned or suspect word list that editors keep."""

    list = models.CharField(_("list"), max_length=10, choices=WordListKind.choices)
    term = models.CharField(
        _("term"),
        max_length=100,
        help_text=_(
            "The base form; inflected endings, missing å/ä/ö, case and digits for letters "
            "are matched. End with * to match every word that starts with it."
        ),
    )
    ground = models.ForeignKey(
        Ground,
        verbose_name=_("suspected ground"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("word")
        verbose_name_plural = _("word lists")
        ordering = ["list", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["list", "term"],
                name="word_unique_per_list",
                violation_error_message=_("The word is already on this list."),
            )
        ]

    def __str__(self) -> str:
        return self.term

    def clean(self) -> None:
        term = (self.term or "").strip().lower()
        if len(term.rstrip("*")) < 2 or "*" in term.rstrip("*") or any(c.isspace() for c in term):
            raise ValidationError(
                {"term": _("A term is one word of at least two letters, optionally ending in *.")}
            )
        self.term = term


class ReplyTemplate(models.Model):
    """A Swedish answer moderators send on the platform, kept by editors."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again or deleting it is refused."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Decisions are append-only and cannot be changed."))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("Decisions are append-only and cannot be deleted."))


class Decision(AppendOnlyModel):
    """One moderation decision, append-only: what was done, on which grounds, by whom, when."""

    channel = models.ForeignKey(
        "channels_app.Channel", verbose_name=_("channel"), on_delete=models.PROTECT
    )
    item = models.ForeignKey(
        Item,
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    author = models.ForeignKey(
        PlatformAccount,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    action = models.CharField(_("action"), max_length=10, choices=DecisionAction.choices)
    grounds = models.ManyToManyField(Ground, verbose_name=_("grounds"), blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    reply_template = models.ForeignKey(
        ReplyTemplate,
        verbose_name=_("reply template"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    automated = models.BooleanField(
        _("automated"), default=False, help_text=_("Taken by the detectors, not a person.")
    )
    platform_connected = models.BooleanField(
        _("channel connected to its platform"),
        default=True,
        help_text=_(
            "When not, nothing was sent to the platform: the action is to be taken there by hand."
        ),
    )
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Decisions of a kind per month and channel (metrics and /insyn/), read from the
            # index alone.
            models.Index(
                fields=["action", "created_at"],
                include=["channel_id", "id"],
                name="decision_action_month",
            ),
            # The decisions on an author's earlier items, newest first (the item page).
            models.Index(fields=["author", "-created_at"], name="decision_author_history"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class PoliceReportChecklist(models.Model):
    """Opened by a removal on a police-report ground: the steps before the case is closed."""

    decision = models.OneToOneField(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="police_checklist",
    )
    evidence_secured = models.BooleanField(
        _("evidence secured (item, metadata and platform ids)"), default=False
    )
    reported_to_police = models.BooleanField(_("reported to the police"), default=False)
    police_reference = models.CharField(_("police case number"), max_length=100, blank=True)
    security_informed = models.BooleanField(_("security function informed"), default=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("police-report checklist")
        verbose_name_plural = _("police-report checklists")

    def __str__(self) -> str:
        """The item and its author, and when it was removed in Stockholm time: what a person
        finds the case by."""
        decision = self.decision
        author = decision.author
        who = (author.name or author.external_id) if author else gettext("unknown author")
        when = date_format(timezone.localtime(decision.created_at), "j F Y H:i")
        kind = decision.item.get_kind_display() if decision.item else gettext("item")
        return pgettext("police-report checklist", "%(kind)s from %(author)s, %(time)s") % {
            "kind": str(kind).capitalize(),
            "author": who,
            "time": when,
        }

    def clean(self) -> None:
        if self.completed_at and not (
            self.evidence_secured and self.reported_to_police and self.police_reference
        ):
            raise ValidationError(
                _("Secure the evidence, report to the police and note the case number first.")
            )


class Reconsideration(AppendOnlyModel):
    """Omprövning: another moderator than the one who decided re-examines a decision."""

    decision = models.OneToOneField(
        Decision,
        verbose_name=_("reconsidered decision"),
        on_delete=models.PROTECT,
        related_name="reconsideration",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReconsiderationOutcome.choices)
    rationale = models.TextField(_("rationale"))
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_decision = models.OneToOneField(
        Decision,
        verbose_name=_("new decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconsidered_from",
    )
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reconsideration")
        verbose_name_plural = _("reconsiderations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.decision}"


class Note(models.Model):
    """An internal note on an item or on an author; never sent to the platform."""

    item = models.ForeignKey(
        Item,
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notes",
    )
    author = models.ForeignKey(
        PlatformAccount,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notes",
    )
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False, author__isnull=True)
                | models.Q(item__isnull=True, author__isnull=False),
                name="note_on_item_or_author",
                violation_error_message=_("A note is on an item or on an author."),
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Block(models.Model):
    """An author blocked on a channel: who decided, on which grounds, until when, and the lift."""

    author = models.ForeignKey(
        PlatformAccount, verbose_name=_("author"), on_delete=models.PROTECT, related_name="blocks"
    )
    channel = models.ForeignKey(
        "channels_app.Channel", verbose_name=_("channel"), on_delete=models.PROTECT
    )
    grounds = models.ManyToManyField(Ground, verbose_name=_("grounds"))
    rationale = models.TextField(_("rationale"), blank=True)
    decision = models.OneToOneField(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="block"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("blocked at"), auto_now_add=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lift_decision = models.OneToOneField(
        Decision,
        verbose_name=_("lift decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lifted_block",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "channel"],
                condition=models.Q(lifted_at__isnull=True),
                name="block_one_active_per_author_and_channel",
                violation_error_message=_("The author is already blocked on this channel."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.author} @ {self.channel.name}"


class PlatformAction(models.Model):
    """The outbox: one row per action a decision asks of a platform (hide, unhide, delete, ban,
    unban, reply). The sender (moderation.platforms) picks rows in state ``pending`` whose
    ``next_attempt_at`` has passed, calls the channel's adapter with ``action``,
    ``target_external_id`` (the content, or for ban/unban the author's platform id) and
    ``text`` (replies), and records the outcome: ``sent`` when the platform did it, ``failed``
    when it never will, back to ``pending`` with a later ``next_attempt_at`` on a retry, and
    ``unsupported`` when a person must act on the platform by hand. ``attempts`` counts calls;
    ``last_answer`` and ``last_status_code`` keep the platform's last reply for the audit trail."""

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="platform_actions",
    )
    channel = models.ForeignKey(
        "channels_app.Channel", verbose_name=_("channel"), on_delete=models.PROTECT
    )
    action = models.CharField(_("action"), max_length=10, choices=PlatformActionKind.choices)
    target_external_id = models.CharField(
        _("target platform id"),
        max_length=255,
        help_text=_("The content's platform id; for a ban or its lift, the author's."),
    )
    text = models.TextField(_("reply text"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=PlatformActionState.choices,
        default=PlatformActionState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_answer = models.TextField(_("last answer from the platform"), blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last HTTP status"), null=True, blank=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("platform action")
        verbose_name_plural = _("platform actions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.target_external_id} ({self.get_state_display()})"


class ChannelConnection(models.Model):
    """How a channel is connected to its platform: its access token (encrypted at rest with
    CHANNEL_CREDENTIALS_KEY, never shown or logged), the polling cursor, and the capture health
    moderators and administrators watch (last delivery, poll and send, last error)."""

    channel = models.OneToOneField(
        "channels_app.Channel",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="connection",
    )
    access_token_encrypted = models.TextField(editable=False, blank=True)
    token_expires_at = models.DateTimeField(_("token expires"), null=True, blank=True)
    poll_cursor = models.TextField(_("poll cursor"), blank=True, editable=False)
    poll_deferred_until = models.DateTimeField(
        _("next poll not before"), null=True, blank=True, editable=False
    )
    last_delivery_at = models.DateTimeField(
        _("last delivery"), null=True, blank=True, editable=False
    )
    last_poll_at = models.DateTimeField(_("last poll"), null=True, blank=True, editable=False)
    last_sent_at = models.DateTimeField(
        _("last action sent"), null=True, blank=True, editable=False
    )
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("platform connection")
        verbose_name_plural = _("platform connections")
        ordering = ["channel__platform", "channel__name"]

    def __str__(self) -> str:
        return str(self.channel)

    @property
    def has_token(self) -> bool:
        return bool(self.access_token_encrypted)


# Models kept in their own modules of this package (imported here so Django registers them).
from moderation.models.month_figures import ItemMonthFigures as ItemMonthFigures  # noqa: E402
from moderation.models.reconsideration_request import (  # noqa: E402
    ReconsiderationRequest as ReconsiderationRequest,
)
from moderation.models.threats import EscalationContact as EscalationContact  # noqa: E402
from moderation.models.threats import ThreatTerm as ThreatTerm  # noqa: E402
from moderation.models.threats import UrgentAlert as UrgentAlert  # noqa: E402
from moderation.models.webhook_delivery import WebhookDelivery as WebhookDelivery  # noqa: E402
from moderation.models.webhook_delivery import WebhookSource as WebhookSource  # noqa: E402
