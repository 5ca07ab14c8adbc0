from collections.abc import Mapping
from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from channels_app.models import Channel
from core.api.filters import ID_MAX
from moderation import queue, selectors
from moderation.choices import (
    DecisionAction,
    IntakeOutcome,
    ItemEvent,
    ItemKind,
    ReconsiderationOutcome,
)
from moderation.models import (
    Block,
    Decision,
    DetectorHit,
    Ground,
    Item,
    Note,
    PlatformAccount,
    PlatformAction,
    ReplyTemplate,
)
from moderation.services import MAX_TEXT_LENGTH
from records.access import (
    Access,
    ContentState,
    Viewer,
    content_access,
    item_access,
    row_content_state,
)
from records.choices import MediaKind
from records.media import media_address_problem


def serializer_viewer(context: Mapping[str, Any]) -> Viewer:
    """Whom a serializer writes for: ``viewer`` in its context, else the request's user;
    without either, the public (nothing withheld is shown)."""
    if "viewer" in context:
        return context["viewer"]
    request = context.get("request")
    return request.user if request is not None else None


class GroundSerializer(serializers.ModelSerializer[Ground]):
    part_of: serializers.Field = serializers.SlugRelatedField(
        source="parent", slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Ground
        fields = [
            "code",
            "wording",
            "legal_basis",
            "mandatory_removal",
            "requires_rationale",
            "police_report",
            "store_content",
            "part_of",
        ]


class PlatformAccountSerializer(serializers.ModelSerializer[PlatformAccount]):
    class Meta:
        model = PlatformAccount
        fields = list(queue.AUTHOR_FIELDS)


class DetectorHitSerializer(serializers.ModelSerializer[DetectorHit]):
    ground: serializers.Field = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = DetectorHit
        fields = list(queue.HIT_FIELDS)


class PlatformActionSerializer(serializers.ModelSerializer[PlatformAction]):
    class Meta:
        model = PlatformAction
        fields = [
            "id",
            "action",
            "target_external_id",
            "state",
            "attempts",
            "next_attempt_at",
            "last_answer",
            "last_status_code",
            "sent_at",
        ]


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    grounds: serializers.Field = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    moderator = serializers.CharField(source="moderator.name", read_only=True)
    platform_actions = PlatformActionSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "item",
            "author",
            "channel",
            "action",
            "grounds",
            "rationale",
            "moderator",
            "automated",
            "created_at",
            "platform_actions",
        ]

    def to_representation(self, instance: Decision) -> dict[str, Any]:
        """A rationale that pastes words of a secret entry (records.quoting) is withheld as the
        entry is (the decision's own item is withheld by the item's representation)."""
        data = super().to_representation(instance)
        if getattr(instance, "quotes_secret", False):
            viewer = serializer_viewer(self.context)
            if not content_access(viewer, ContentState.SECRET).shows_content:
                data["rationale"] = ""
        return data


class ItemSerializer(serializers.ModelSerializer[Item]):
    author = PlatformAccountSerializer(read_only=True)
    suspected_grounds: serializers.Field = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    # One nested serializer for the whole page (a method field built one per item).
    hits = DetectorHitSerializer(
        source="current_version.hits", many=True, read_only=True, default=list
    )
    claimed_by = serializers.CharField(
        source="claimed_by.name", read_only=True, default=None, allow_null=True
    )
    record = serializers.CharField(source="record.__str__", read_only=True, default=None)
    content_access = serializers.SerializerMethodField(
        help_text="What the access policy lets the reader see of the content: shown, logged, "
        "revealable (withheld; POST reveal/ with a reason shows it, logged), secret or "
        "tombstone (withheld)."
    )

    class Meta:
        model = Item
        # The read model builds the queue's JSON with these keys (moderation.queue.api_rows).
        fields = list(queue.ITEM_FIELDS)

    @extend_schema_field(serializers.ChoiceField(choices=[a.value for a in Access]))
    def get_content_access(self, item: Item) -> str:
        return self._access(item).value

    def _access(self, item: Item) -> Access:
        return self.context.get("access") or item_access(serializer_viewer(self.context), item)

    def to_representation(self, instance: Item) -> queue.ApiRow:  # type: ignore[override]
        data = cast(queue.ApiRow, super().to_representation(instance))
        return queue.content_withhold(data, self._access(instance))


class ItemDetailSerializer(ItemSerializer):
    decisions = DecisionSerializer(many=True, read_only=True)
    raw_payload = serializers.JSONField(read_only=True)

    class Meta(ItemSerializer.Meta):
        fields = list(queue.ApiDetailRow.__annotations__)

    def to_representation(self, instance: Item) -> queue.ApiDetailRow:  # type: ignore[override]
        data = cast(queue.ApiDetailRow, super().to_representation(instance))
        return queue.detail_withhold(data, self._access(instance))


# The columns item_detail_representation reads: the queue's API columns and the raw payload.
DETAIL_COLUMNS = (*queue.API_COLUMNS, "raw_payload")


def item_detail_representation(
    row: queue.QueueRow, *, viewer: Viewer, access: Access | None = None
) -> queue.ApiDetailRow:
    """ItemDetailSerializer's representation of one ``moderation.queue.item_queue`` row (of
    DETAIL_COLUMNS): the queue's JSON of the row, its raw payload and its decisions.
    The same JSON, key for key, in four queries (the decisions' grounds and platform actions
    take two more when there are decisions). ``access`` is given after the logged "show
    content" step; otherwise the policy decides from the row."""
    shown = access or content_access(viewer, row_content_state(row))
    revealed = row["record"] if access is not None else None
    decisions = selectors.decision_list(except_record=revealed).filter(item=row["id"])
    # A list serializer's data is a list of the decisions' representations.
    written = DecisionSerializer(decisions, many=True, context={"viewer": viewer}).data
    data = queue.ApiDetailRow(
        **queue.api_rows([row], viewer=viewer, access=shown)[0],
        raw_payload=row["raw_payload"],
        decisions=cast(list[dict[str, Any]], written),
    )
    return queue.detail_withhold(data, shown)


class DecideSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[c for c in DecisionAction.choices if c[0] != DecisionAction.UNBLOCK]
    )
    grounds = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    reply_template = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ReplyTemplate.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
    )
    reply_text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="A reply in the moderator's own words (action reply); sent in place of a "
        "template's. Refused when the detectors find an identity number or a banned word.",
    )
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class BulkDecideSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        min_length=1,
        max_length=1000,
    )
    action = serializers.ChoiceField(
        choices=[
            (DecisionAction.KEEP, DecisionAction.KEEP.label),
            (DecisionAction.HIDE, DecisionAction.HIDE.label),
            (DecisionAction.REMOVE, DecisionAction.REMOVE.label),
            (DecisionAction.ESCALATE, DecisionAction.ESCALATE.label),
        ]
    )
    ground = serializers.CharField(required=False, allow_blank=True, default="")
    rationale = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_items(self, value: list[int]) -> list[int]:
        found = set(Item.objects.filter(pk__in=value).values_list("pk", flat=True))
        missing = sorted(set(value) - found)
        if missing:
            raise serializers.ValidationError(
                _("Unknown items: %s") % ", ".join(str(pk) for pk in missing)
            )
        return value


class RevealSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=150, help_text="Why the content is needed (written to the access log)."
    )


class ReconsiderSerializer(serializers.Serializer):
    decision = serializers.PrimaryKeyRelatedField(queryset=Decision.objects.all())
    outcome = serializers.ChoiceField(choices=ReconsiderationOutcome.choices)
    rationale = serializers.CharField()


class BlockSerializer(serializers.ModelSerializer[Block]):
    grounds: serializers.Field = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    author = PlatformAccountSerializer(read_only=True, allow_null=True)
    created_by = serializers.CharField(source="created_by.name", read_only=True)
    lifted_by = serializers.CharField(source="lifted_by.name", read_only=True, default=None)

    class Meta:
        model = Block
        fields = [
            "id",
            "author",
            "channel",
            "grounds",
            "rationale",
            "created_by",
            "created_at",
            "ends_at",
            "lifted_at",
            "lifted_by",
            "decision",
            "lift_decision",
        ]

    def to_representation(self, instance: Block) -> dict[str, Any]:
        """A block decided on an item names its author and may quote the item: both follow the
        item's access (a moderator sees them through the item's logged "show content" step)."""
        data = super().to_representation(instance)
        item, viewer = instance.decision.item, serializer_viewer(self.context)
        if item is not None and not item_access(viewer, item).shows_content:
            data["author"], data["rationale"] = None, ""
        elif getattr(instance, "quotes_secret", False) and not (  # pastes secret words
            content_access(viewer, ContentState.SECRET).shows_content
        ):
            data["rationale"] = ""
        return data


class BlockCreateSerializer(serializers.Serializer):
    author = serializers.PrimaryKeyRelatedField(queryset=PlatformAccount.objects.all())
    channel = serializers.PrimaryKeyRelatedField(queryset=Channel.objects.all())
    grounds = serializers.ListField(child=serializers.CharField(), min_length=1)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    item = serializers.PrimaryKeyRelatedField(
        queryset=Item.objects.all(), required=False, allow_null=True, default=None
    )


class BlockLiftSerializer(serializers.Serializer):
    rationale = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.ModelSerializer[Note]):
    created_by = serializers.CharField(source="created_by.name", read_only=True)
    content_access = serializers.SerializerMethodField(
        help_text="What the access policy lets the reader see of the note (it may quote its "
        "item, its author's secret items or words pasted from a secret entry): shown, logged, "
        "revealable, secret or tombstone (the text is then empty)."
    )

    class Meta:
        model = Note
        fields = ["id", "item", "author", "text", "created_by", "created_at", "content_access"]
        read_only_fields = ["created_by", "created_at"]

    @extend_schema_field(serializers.ChoiceField(choices=[a.value for a in Access]))
    def get_content_access(self, note: Note) -> str:
        return self._access(note).value

    def _access(self, note: Note) -> Access:
        return content_access(serializer_viewer(self.context), selectors.note_content_state(note))

    def to_representation(self, instance: Note) -> dict[str, Any]:
        """A note on an item may quote it, a note about an author anything they wrote, and any
        note may paste a secret entry's words: the note follows the most withheld of them."""
        data = super().to_representation(instance)
        if not Access(data["content_access"]).shows_content:
            data["text"] = ""
        return data


class MonthMetricsSerializer(serializers.Serializer):
    month = serializers.DateField()
    received = serializers.IntegerField()
    median_first_action = serializers.FloatField(
        allow_null=True, help_text="Median minutes from receipt to a person's first action."
    )
    median_hide = serializers.FloatField(
        allow_null=True, help_text="Median minutes from receipt to hiding (automatic included)."
    )
    due_breaches = serializers.IntegerField()
    removals = serializers.IntegerField()
    removals_by_ground = serializers.DictField(child=serializers.IntegerField())
    removals_by_channel = serializers.DictField(child=serializers.IntegerField())


class MetricsSerializer(serializers.Serializer):
    open_count = serializers.IntegerField()
    overdue_count = serializers.IntegerField()
    oldest_age_seconds = serializers.FloatField(allow_null=True)
    median_age_seconds = serializers.FloatField(allow_null=True)
    months = MonthMetricsSerializer(many=True)


# --- the ingestion API -----------------------------------------------------------------------

MAX_INGEST_ITEMS = 500


def _optional_text(max_length: int = 255) -> serializers.CharField:
    # Stored exactly as sent: no trimming (emoji, zero-width and right-to-left marks included).
    return serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        trim_whitespace=False,
        max_length=max_length,
    )


class IngestMediaSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    kind = serializers.ChoiceField(choices=MediaKind.choices)

    def validate_url(self, value: str) -> str:
        """A client that sends an address no file is fetched from is told so (a platform's
        comment is kept with such a link noted as not fetched; a client can send it again)."""
        problem = media_address_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class IngestItemSerializer(serializers.Serializer):
    """One platform event about one piece of content (as moderation.platforms.base.NormalizedItem)
    on the channel with the slug ``channel``."""

    channel = serializers.SlugField(help_text=_("The channel's slug."))
    external_id = serializers.CharField(max_length=255, trim_whitespace=False)
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    event = serializers.ChoiceField(choices=ItemEvent.choices)
    occurred_at = serializers.DateTimeField(help_text=_("The platform's time, with a zone."))
    text = _optional_text(MAX_TEXT_LENGTH)
    parent_external_id = _optional_text()
    thread_external_id = _optional_text()
    author_id = _optional_text()
    author_name = _optional_text()
    author_url = _optional_text(1000)
    permalink = _optional_text(1000)
    raw = serializers.DictField(required=False, default=dict)
    media = IngestMediaSerializer(
        many=True,
        required=False,
        default=list,
        help_text=_("Images, videos and attachments: fetched and stored with the entry."),
    )
    own = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "The channel's own post, comment or reply, registered as drawn up (scope "
            "moderation:own)."
        ),
    )


@extend_schema_field(IngestItemSerializer(many=True))
class IngestItemsField(serializers.ListField):
    """Items are checked one by one, so one bad item is rejected and the rest come in."""


class IngestRequestSerializer(serializers.Serializer):
    items = IngestItemsField(
        child=serializers.JSONField(), min_length=1, max_length=MAX_INGEST_ITEMS
    )


class IngestResultSerializer(serializers.Serializer):
    external_id = serializers.CharField()
    outcome = serializers.ChoiceField(choices=[*IntakeOutcome.values, "rejected"])
    item = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    record = serializers.IntegerField(allow_null=True)


class IngestResponseSerializer(serializers.Serializer):
    results = IngestResultSerializer(many=True)
