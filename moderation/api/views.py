"""``/api/v1/moderation/``: the queue for moderators and for integration clients with
``moderation:read``; claims, decisions, blocks and notes are for moderators (staff) only."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import IntegrationClient
from core.actors import request_actor
from core.api.pagination import CursorPagination
from core.api.parsers import JSONParser
from core.api.viewsets import ServiceViewSet
from moderation import selectors, services, statistics
from moderation.api.serializers import (
    DETAIL_COLUMNS,
    BlockCreateSerializer,
    BlockLiftSerializer,
    BlockSerializer,
    BulkDecideSerializer,
    DecideSerializer,
    DecisionSerializer,
    GroundSerializer,
    IngestItemSerializer,
    IngestRequestSerializer,
    IngestResponseSerializer,
    IngestResultSerializer,
    ItemDetailSerializer,
    ItemSerializer,
    MetricsSerializer,
    NoteSerializer,
    ReconsiderSerializer,
    RevealSerializer,
    item_detail_representation,
)
from moderation.filters import BlockFilterSet, ItemFilterSet, NoteFilterSet
from moderation.models import Block, Decision, Ground, Item, Note
from moderation.platforms import capture
from moderation.queue import API_COLUMNS, QUEUE_ORDER, api_rows, item_queue

SCOPES = {"read": "moderation:read"}  # no write scope: only people decide


class QueuePagination(CursorPagination):
    ordering = QUEUE_ORDER  # type: ignore[assignment]


class ItemViewSet(ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The queue, in working order (priority, then oldest first)."""

    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    filterset_class = ItemFilterSet
    pagination_class = QueuePagination
    scopes = SCOPES

    def select(self) -> Any:
        if self.action == "list":
            return item_queue(columns=API_COLUMNS)
        if self.action in ("retrieve", "reveal"):
            return item_queue(columns=DETAIL_COLUMNS)
        return selectors.item_list()

    def get_serializer_class(self) -> Any:
        return ItemDetailSerializer if self.action == "retrieve" else ItemSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The queue, one page of rows, serialised as ItemSerializer would."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # the queue is always paginated
        return self.get_paginated_response(api_rows(page, viewer=request.user))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Serialised as ItemDetailSerializer would (no docstring: the schema keeps the class's).
        return Response(item_detail_representation(self.get_object(), viewer=request.user))

    @extend_schema(
        request=RevealSerializer,
        responses=ItemDetailSerializer,
        operation_id="moderation_items_reveal",
    )
    @action(detail=True, methods=["post"], permission_required="moderation.decide_item")
    def reveal(self, request: Request, pk: str) -> Response:
        """Show the content of an item whose register entry is secret: the moderator's explicit
        step, with the reason, logged in the register's access log. Only this response carries
        the content; the item's other reads stay withheld."""
        body = RevealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = self.get_object()
        access = services.item_content_reveal(
            item=Item.objects.select_related("record").get(pk=row["id"]),
            reason=body.validated_data["reason"],
            actor=self.actor,
        )
        return Response(item_detail_representation(row, viewer=request.user, access=access))

    @extend_schema(request=None, responses=ItemSerializer, operation_id="moderation_items_claim")
    @action(detail=True, methods=["post"], permission_required="moderation.decide_item")
    def claim(self, request: Request, pk: str) -> Response:
        """Claim the item for ten minutes; refused while another moderator holds it."""
        return self._item(services.item_claim(item=self.get_object(), actor=self.actor))

    @extend_schema(request=None, responses=ItemSerializer, operation_id="moderation_items_release")
    @action(detail=True, methods=["post"], permission_required="moderation.decide_item")
    def release(self, request: Request, pk: str) -> Response:
        return self._item(services.item_release(item=self.get_object(), actor=self.actor))

    def _item(self, item: Item) -> Response:
        """The item as it stands after an action, as ItemSerializer gives it."""
        context = self.get_serializer_context()
        return Response(ItemSerializer(selectors.item_get(pk=item.pk), context=context).data)

    @extend_schema(
        request=DecideSerializer,
        responses={201: DecisionSerializer},
        operation_id="moderation_items_decide",
    )
    @action(detail=True, methods=["post"], permission_required="moderation.decide_item")
    def decide(self, request: Request, pk: str) -> Response:
        """Keep, hide, unhide, remove, escalate, reopen, block the author or reply (in the
        moderator's own words, ``reply_text``, checked by the detectors before it is sent, or
        with a template). Hide, remove and block cite grounds; some grounds require a
        rationale."""
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        decision = services.item_decide(
            item=self.get_object(),
            action=data["action"],
            ground_codes=data["grounds"],
            rationale=data["rationale"],
            reply_template=data["reply_template"],
            reply_text=data["reply_text"],
            ends_at=data["ends_at"],
            actor=self.actor,
        )
        decision = selectors.decision_list().get(pk=decision.pk)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BulkDecideSerializer,
        responses={201: DecisionSerializer(many=True)},
        operation_id="moderation_items_bulk_decide",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk-decide",
        permission_required="moderation.decide_item",
    )
    def bulk_decide(self, request: Request) -> Response:
        """One decision and one ground for up to 1,000 items; all or nothing."""
        body = BulkDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        decisions = services.items_decide_bulk(
            items=list(Item.objects.filter(pk__in=data["items"])),
            action=data["action"],
            ground_codes=[data["ground"]] if data["ground"] else [],
            rationale=data["rationale"],
            actor=self.actor,
        )
        rows = selectors.decision_list().filter(pk__in=[d.pk for d in decisions])
        return Response(DecisionSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReconsiderSerializer,
        responses={201: DecisionSerializer},
        operation_id="moderation_items_reconsider",
    )
    @action(detail=True, methods=["post"], permission_required="moderation.add_reconsideration")
    def reconsider(self, request: Request, pk: str) -> Response:
        """Omprövning of one of the item's decisions, by another moderator."""
        item = self.get_object()
        body = ReconsiderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        decision = get_object_or_404(Decision, pk=data["decision"].pk, item=item)
        services.decision_reconsider(
            decision=decision,
            outcome=data["outcome"],
            rationale=data["rationale"],
            actor=self.actor,
        )
        return Response(
            DecisionSerializer(selectors.decision_list().get(pk=decision.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class GroundViewSet(ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The published rules a decision cites, with their legal basis and flags."""

    queryset = Ground.objects.all()
    serializer_class = GroundSerializer
    scopes = SCOPES
    lookup_field = "code"
    pagination_class = None

    def select(self) -> Any:
        return selectors.ground_list()


class BlockViewSet(
    ServiceViewSet, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    queryset = Block.objects.all()
    serializer_class = BlockSerializer
    filterset_class = BlockFilterSet
    scopes = SCOPES

    def select(self) -> Any:
        return selectors.block_list()

    @extend_schema(request=BlockCreateSerializer, responses={201: BlockSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Block an author on a channel: a decision, and a ban sent to the platform."""
        body = BlockCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        block = services.block_create(
            author=data["author"],
            channel=data["channel"],
            ground_codes=data["grounds"],
            rationale=data["rationale"],
            ends_at=data["ends_at"],
            item=data["item"],
            actor=self.actor,
        )
        return Response(
            BlockSerializer(selectors.block_list().get(pk=block.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=BlockLiftSerializer, responses=BlockSerializer)
    @action(detail=True, methods=["post"], permission_required="moderation.change_block")
    def lift(self, request: Request, pk: str) -> Response:
        body = BlockLiftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        block = services.block_lift(
            block=self.get_object(), rationale=body.validated_data["rationale"], actor=self.actor
        )
        return Response(BlockSerializer(selectors.block_list().get(pk=block.pk)).data)


class NoteViewSet(ServiceViewSet, mixins.CreateModelMixin, mixins.ListModelMixin):
    """Internal notes on items and authors."""

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    filterset_class = NoteFilterSet
    scopes = SCOPES

    def select(self) -> Any:
        return selectors.note_list()

    def create_object(self, data: dict[str, Any]) -> Note:
        return services.note_create(
            text=data["text"], item=data.get("item"), author=data.get("author"), actor=self.actor
        )


class MetricsView(APIView):
    """The queue now and the monthly figures of a year (as on the metrics page and its CSV)."""

    queryset = Item.objects.all()
    scopes = SCOPES

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="Default: this year."),
            OpenApiParameter("channel", int, description="Only this channel."),
        ],
        responses=MetricsSerializer,
        operation_id="moderation_metrics",
    )
    def get(self, request: Request) -> Response:
        year, channel = selectors.metrics_scope(request.query_params)
        data = statistics.moderation_metrics(year=year, channel_id=channel.pk if channel else None)
        body = {
            "open_count": data.open_count,
            "overdue_count": data.overdue_count,
            "oldest_age_seconds": data.oldest_age.total_seconds() if data.oldest_age else None,
            "median_age_seconds": data.median_age.total_seconds() if data.median_age else None,
            "months": [
                {
                    "month": month.month,
                    "received": month.received,
                    "median_first_action": month.median_first_action,
                    "median_hide": month.median_hide,
                    "due_breaches": month.due_breaches,
                    "removals": month.removals,
                    "removals_by_ground": dict(month.removals_by_ground),
                    "removals_by_channel": dict(month.removals_by_channel),
                }
                for month in data.months
            ],
        }
        return Response(MetricsSerializer(body).data)


MAX_INGEST_BYTES = 10 * 1024 * 1024


class IngestParser(JSONParser):
    max_bytes = MAX_INGEST_BYTES
    refuse_unstorable = False  # the intake refuses such an item alone, with its reason


class IngestView(APIView):
    """Other municipal systems push platform content into the queue (scope
    ``moderation:ingest``): up to 500 items a batch, one result per item in order (created,
    updated, unchanged, or rejected with the reason). Sending a batch again changes nothing."""

    queryset = Item.objects.all()  # POST: moderation.add_item, which only the scope grants
    scopes = {"write": "moderation:ingest"}
    parser_classes = [IngestParser]

    @extend_schema(
        request=IngestRequestSerializer,
        responses=IngestResponseSerializer,
        operation_id="moderation_ingest",
    )
    def post(self, request: Request) -> Response:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not declared.isdigit() or int(declared) > MAX_INGEST_BYTES:
            raise ValidationError({"items": _("The batch is larger than 10 MB.")})
        envelope = IngestRequestSerializer(data=request.data)
        envelope.is_valid(raise_exception=True)
        results: list[capture.IngestResult | None] = []
        batch: list[tuple[int, str, dict[str, Any]]] = []
        for index, entry in enumerate(envelope.validated_data["items"]):
            item = IngestItemSerializer(data=entry)
            if not item.is_valid():
                external_id = entry.get("external_id") if isinstance(entry, dict) else None
                reason = _ingest_reason(item.errors)
                results.append(
                    capture.IngestResult(str(external_id or ""), "rejected", None, reason)
                )
                continue
            fields = dict(item.validated_data)
            batch.append((index, fields.pop("channel"), fields))
            results.append(None)
        ingested = capture.items_ingest(
            batch=[(slug, fields) for _index, slug, fields in batch],
            actor=request_actor(request),
            client=request.auth if isinstance(request.auth, IntegrationClient) else None,
        )
        for (index, _slug, _fields), result in zip(batch, ingested, strict=True):
            results[index] = result
        return Response({"results": IngestResultSerializer(results, many=True).data})


def _ingest_reason(errors: Any) -> str:
    """A serializer's errors as one line: "field: message; field: message"."""
    if not isinstance(errors, dict):
        return str(errors)
    return "; ".join(
        f"{field}: {' '.join(str(m) for m in messages)}" for field, messages in errors.items()
    )
