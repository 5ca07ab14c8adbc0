"""The channel register over HTTP: public reads of what is public, writes through the services
for editors and integration clients with ``channels:write``."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from channels_app import selectors, services
from channels_app.api.serializers import (
    ArchivePhotoPublishSerializer,
    ArchivePhotoScheduleSerializer,
    ArchivePhotoSerializer,
    AudienceFactSerializer,
    ChannelSerializer,
    RelayWeekPublicSerializer,
    RelayWeekSerializer,
    RelayWeekSwapSerializer,
)
from channels_app.filters import (
    ArchivePhotoFilterSet,
    AudienceFactFilterSet,
    ChannelFilterSet,
    RelayWeekFilterSet,
)
from channels_app.models import ArchivePhoto, AudienceFact, Channel, RelayWeek
from core.api.pagination import CursorPagination
from core.api.parsers import FormParser, JSONParser, MultiPartParser
from core.api.viewsets import ServiceViewSet

SCOPES = {"read": "channels:read", "write": "channels:write"}


class OrderedPagination(CursorPagination):
    """Lists in the register's own order: by platform and position, or by week."""

    ordering = ("platform", "order", "pk")  # type: ignore[assignment]


class WeekPagination(CursorPagination):
    ordering = ("-iso_year", "-iso_week", "-pk")  # type: ignore[assignment]


class RegisterViewSet(
    ServiceViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """List, read, create and change (nothing is deleted); writes call the services."""

    public_read = True
    scopes = SCOPES


class ChannelViewSet(RegisterViewSet):
    """The official accounts, each with its sign-language twins and its platform's audience
    facts. Everyone reads the public channels; staff with the right read all."""

    queryset = Channel.objects.all()
    serializer_class = ChannelSerializer
    filterset_class = ChannelFilterSet
    pagination_class = OrderedPagination
    search_fields = ["name", "handle", "purpose"]
    lookup_field = "slug"

    def select(self) -> QuerySet[Channel]:
        return selectors.channel_list(user=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "facts_by_platform": self._facts()}

    def _facts(self) -> dict[str, list[AudienceFact]]:
        if not hasattr(self, "_facts_by_platform"):
            self._facts_by_platform = selectors.audience_facts_by_platform()
        return self._facts_by_platform

    def create_object(self, data: dict[str, Any]) -> Channel:
        return services.channel_create(actor=self.actor, **data)

    def update_object(self, obj: Channel, data: dict[str, Any]) -> Channel:
        return services.channel_update(channel=obj, actor=self.actor, **data)


class AudienceFactViewSet(RegisterViewSet):
    """Published figures on who uses each platform, with their source."""

    queryset = AudienceFact.objects.all()
    serializer_class = AudienceFactSerializer
    filterset_class = AudienceFactFilterSet
    pagination_class = OrderedPagination

    def select(self) -> QuerySet[AudienceFact]:
        return selectors.audience_fact_list()

    def create_object(self, data: dict[str, Any]) -> AudienceFact:
        return services.audience_fact_create(actor=self.actor, **data)

    def update_object(self, obj: AudienceFact, data: dict[str, Any]) -> AudienceFact:
        return services.audience_fact_update(fact=obj, actor=self.actor, **data)


class RelayWeekViewSet(RegisterViewSet):
    """The relay account's weeks. The public sees confirmed and done weeks without the host's
    e-mail address; staff and integration clients see every booking."""

    queryset = RelayWeek.objects.all()
    serializer_class = RelayWeekSerializer
    filterset_class = RelayWeekFilterSet
    pagination_class = WeekPagination
    search_fields = ["host_name", "host_unit", "topic"]

    def select(self) -> QuerySet[RelayWeek]:
        return selectors.relay_week_list(user=self.request.user)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        user = self.request.user
        if self.request.method == "GET" and not (
            user and user.is_authenticated and user.has_perm("channels_app.view_relayweek")
        ):
            return RelayWeekPublicSerializer
        return RelayWeekSerializer

    def create_object(self, data: dict[str, Any]) -> RelayWeek:
        return services.relay_week_book(actor=self.actor, **data)

    def update_object(self, obj: RelayWeek, data: dict[str, Any]) -> RelayWeek:
        return services.relay_week_update(relay_week=obj, actor=self.actor, **data)

    @extend_schema(request=None, responses=RelayWeekSerializer)
    @action(detail=True, methods=["post"], permission_required="channels_app.change_relayweek")
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        week = services.relay_week_confirm(relay_week=self.get_object(), actor=self.actor)
        return self.respond(week)

    @extend_schema(request=None, responses=RelayWeekSerializer)
    @action(detail=True, methods=["post"], permission_required="channels_app.change_relayweek")
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        week = services.relay_week_cancel(relay_week=self.get_object(), actor=self.actor)
        return self.respond(week)

    @extend_schema(request=RelayWeekSwapSerializer, responses=RelayWeekSerializer)
    @action(detail=True, methods=["post"], permission_required="channels_app.change_relayweek")
    def swap(self, request: Request, pk: str | None = None) -> Response:
        body = RelayWeekSwapSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        week = services.relay_week_swap(
            relay_week=self.get_object(), other=body.validated_data["other"], actor=self.actor
        )
        return self.respond(week)


class ArchivePhotoViewSet(RegisterViewSet):
    """Tillbakablick: archive photos and the week each is posted. The public sees what has been
    published; the image is uploaded as multipart form data."""

    queryset = ArchivePhoto.objects.all()
    serializer_class = ArchivePhotoSerializer
    filterset_class = ArchivePhotoFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    search_fields = ["title", "archive_reference", "caption", "place"]

    def select(self) -> QuerySet[ArchivePhoto]:
        return selectors.archive_photo_list(user=self.request.user)

    def create_object(self, data: dict[str, Any]) -> ArchivePhoto:
        return services.archive_photo_create(actor=self.actor, **data)

    def update_object(self, obj: ArchivePhoto, data: dict[str, Any]) -> ArchivePhoto:
        return services.archive_photo_update(photo=obj, actor=self.actor, **data)

    @extend_schema(request=ArchivePhotoScheduleSerializer, responses=ArchivePhotoSerializer)
    @action(detail=True, methods=["post"], permission_required="channels_app.change_archivephoto")
    def schedule(self, request: Request, pk: str | None = None) -> Response:
        body = ArchivePhotoScheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        photo = services.archive_photo_schedule(
            photo=self.get_object(), actor=self.actor, **body.validated_data
        )
        return self.respond(photo)

    @extend_schema(request=None, responses=ArchivePhotoSerializer)
    @action(detail=True, methods=["post"], permission_required="channels_app.change_archivephoto")
    def unschedule(self, request: Request, pk: str | None = None) -> Response:
        photo = services.archive_photo_unschedule(photo=self.get_object(), actor=self.actor)
        return self.respond(photo)

    @extend_schema(request=ArchivePhotoPublishSerializer, responses=ArchivePhotoSerializer)
    @action(detail=True, methods=["post"], permission_required="channels_app.change_archivephoto")
    def publish(self, request: Request, pk: str | None = None) -> Response:
        body = ArchivePhotoPublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        photo = services.archive_photo_publish(
            photo=self.get_object(), actor=self.actor, **body.validated_data
        )
        return self.respond(photo)
