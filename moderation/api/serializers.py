from collections.abc import Mapping
from typing import Any

from django.db.models import DateTimeField
from django.utils import timezone
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
    ITEM_STATE_COLUMNS,
    Access,
    Viewer,
    content_access,
    item_access,
    row_content_state,
)
from records.models import record_label


def content_withhold(data: dict[str, Any], access: Access) -> dict[str, Any]:
    """An item's representation as the access policy lets the viewer see it: withheld, it
    keeps what a moderator needs to act (ids, times, state, grounds, detectors) and loses
    everything that carries the citizen's content or identity (text, raw payload, author,
    matched words, the notes and rationales that may quote it)."""
    data["content_access"] = access.value
    if access.shows_content:
        return data
    data["text"] = ""
    data["author"] = None
    data["hits"] = [{**hit, "matched": ""} for hit in data.get("hits", [])]
    if "raw_payload" in data:
        data["raw_payload"] = {}
    for decision in data.get("decisions", []):
        decision["rationale"] = ""
    return data


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
        fields = ["id", "platform", "external_id", "name", "profile_url"]


class DetectorHitSerializer(serializers.ModelSerializer[DetectorHit]):
    ground: serializers.Field = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = DetectorHit
        fields = ["detector", "matched", "start", "end", "detail", "ground"]


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
        fields = [
            "id",
            "channel",
            "external_id",
            "kind",
            "parent",
            "thread_external_id",
            "author",
            "text",
            "content_withheld",
            "permalink",
            "platform_time",
            "received_at",
            "sha256",
            "platform_deleted",
            "platform_hidden",
            "state",
            "priority",
            "suspected_grounds",
            "hits",
            "due_at",
            "claimed_by",
            "claimed_until",
            "first_action_at",
            "hidden_at",
            "removed_at",
            "record",
            "content_access",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=[a.value for a in Access]))
    def get_content_access(self, item: Item) -> str:
        return self._access(item).value

    def _access(self, item: Item) -> Access:
        return self.context.get("access") or item_access(serializer_viewer(self.context), item)

    def to_representation(self, instance: Item) -> dict[str, Any]:
        return content_withhold(super().to_representation(instance), self._access(instance))


# ItemSerializer's fields that are not a column of the item as it stands.
_QUEUE_BUILT = ("author", "suspected_grounds", "hits", "claimed_by", "record", "content_access")
_QUEUE_DIRECT = [name for name in ItemSerializer.Meta.fields if name not in _QUEUE_BUILT]
_QUEUE_MOMENTS = [
    name for name in _QUEUE_DIRECT if isinstance(Item._meta.get_field(name), DateTimeField)
]
_AUTHOR_FIELDS = PlatformAccountSerializer.Meta.fields
# The columns queue_representation reads (moderation.queue.item_queue): no raw payload, no register
# snapshot and no model instances (building them cost more than the query on a page of 50).
QUEUE_COLUMNS = (
    *_QUEUE_DIRECT,
    *(f"author__{name}" for name in _AUTHOR_FIELDS),
    "claimed_by__name",
    "record",
    "record__number",
    "record__source_id",
    *ITEM_STATE_COLUMNS[1:],
    "current_version",
)
_HIT_FIELDS = ("detector", "matched", "start", "end", "detail")


def queue_representation(
    rows: list[dict[str, Any]], *, viewer: Viewer, access: Access | None = None
) -> list[dict[str, Any]]:
    """ItemSerializer's representation of a page of ``moderation.queue.item_queue`` rows (of
    QUEUE_COLUMNS), built directly from the rows: the same JSON, key for key, without a model
    instance or a DRF field per value. The page's grounds and hits take two more queries; the
    access policy reads each row's register state from the row itself."""
    related = queue.item_queue_related(rows)
    # One field for the page, given the request's time zone: looked up per value, the zone
    # took most of the time.
    moment = serializers.DateTimeField(default_timezone=timezone.get_current_timezone())
    page = []
    for row in rows:
        data = {name: row[name] for name in _QUEUE_DIRECT}
        for name in _QUEUE_MOMENTS:
            data[name] = moment.to_representation(row[name])
        data["author"] = (
            {name: row[f"author__{name}"] for name in _AUTHOR_FIELDS}
            if row["author__id"] is not None
            else None
        )
        data["suspected_grounds"] = related.grounds.get(row["id"], [])
        data["hits"] = [
            {**{name: hit[name] for name in _HIT_FIELDS}, "ground": hit["ground__code"]}
            for hit in related.hits.get(row["current_version"], [])
        ]
        data["claimed_by"] = row["claimed_by__name"]
        data["record"] = (
            record_label(row["record__number"], row["record__source_id"])
            if row["record"] is not None
            else None
        )
        shown = access or content_access(viewer, row_content_state(row))
        data = content_withhold(data, shown)
        page.append({name: data[name] for name in ItemSerializer.Meta.fields})
    return page


class ItemDetailSerializer(ItemSerializer):
    decisions = DecisionSerializer(many=True, read_only=True)
    raw_payload = serializers.JSONField(read_only=True)

    class Meta(ItemSerializer.Meta):
        fields = [*ItemSerializer.Meta.fields, "raw_payload", "decisions"]


# The columns item_detail_representation reads: the queue's and the raw payload.
DETAIL_COLUMNS = (*QUEUE_COLUMNS, "raw_payload")


def item_detail_representation(
    row: dict[str, Any], *, viewer: Viewer, access: Access | None = None
) -> dict[str, Any]:
    """ItemDetailSerializer's representation of one ``moderation.queue.item_queue`` row (of
    DETAIL_COLUMNS): the queue's representation of the row, its raw payload and its decisions.
    The same JSON, key for key, in four queries (the decisions' grounds and platform actions
    take two more when there are decisions). ``access`` is given after the logged "show
    content" step; otherwise the policy decides from the row."""
    decisions = selectors.decision_list().filter(item=row["id"])
    shown = access or content_access(viewer, row_content_state(row))
    data = {
        **queue_representation([row], viewer=viewer, access=shown)[0],
        "raw_payload": row["raw_payload"],
        "decisions": DecisionSerializer(decisions, many=True).data,
    }
    return content_withhold(data, shown)


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

    class Meta:
        model = Note
        fields = ["id", "item", "author", "text", "created_by", "created_at"]
        read_only_fields = ["created_by", "created_at"]

    def to_representation(self, instance: Note) -> dict[str, Any]:
        """A note on an item may quote it: the note follows the item's access."""
        data = super().to_representation(instance)
        if instance.item is not None:
            access = item_access(serializer_viewer(self.context), instance.item)
            if not access.shows_content:
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
