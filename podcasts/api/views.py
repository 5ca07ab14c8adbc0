from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.viewsets import ServiceViewSet
from podcasts import selectors, services
from podcasts.api.serializers import (
    EpisodeScheduleSerializer,
    EpisodeSerializer,
    ShowSerializer,
)
from podcasts.filters import EpisodeFilterSet, ShowFilterSet
from podcasts.models import Episode, Show

SCOPES = {"read": "podcasts:read", "write": "podcasts:write"}
PUBLISH = "podcasts.publish_episode"


class ShowViewSet(
    ServiceViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """The podcast shows; the public reads them without a token."""

    queryset = Show.objects.all()
    serializer_class = ShowSerializer
    filterset_class = ShowFilterSet
    scopes = SCOPES
    public_read = True

    def select(self) -> QuerySet[Show]:
        return selectors.show_list(user=self.request.user)  # type: ignore[arg-type]

    def create_object(self, data: dict[str, Any]) -> Show:
        return services.show_create(actor=self.actor, **data)

    def update_object(self, obj: Show, data: dict[str, Any]) -> Show:
        return services.show_update(show=obj, actor=self.actor, **data)


class EpisodeViewSet(
    ServiceViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Episodes: the public sees the published ones; editors and clients with podcasts:write
    create, change, publish, schedule and unpublish them."""

    queryset = Episode.objects.all()
    serializer_class = EpisodeSerializer
    filterset_class = EpisodeFilterSet
    scopes = SCOPES
    public_read = True

    def select(self) -> QuerySet[Episode]:
        return selectors.episode_list(user=self.request.user)  # type: ignore[arg-type]

    def create_object(self, data: dict[str, Any]) -> Episode:
        return services.episode_create(actor=self.actor, **data)

    def update_object(self, obj: Episode, data: dict[str, Any]) -> Episode:
        data.pop("show", None)  # an episode does not move between shows
        return services.episode_update(episode=obj, actor=self.actor, **data)

    def _respond(self, episode: Episode) -> Response:
        return self.respond(self.select().get(pk=episode.pk))

    @extend_schema(request=None, responses=EpisodeSerializer)
    @action(detail=True, methods=["post"], permission_required=PUBLISH)
    def publish(self, request: Request, pk: str | None = None) -> Response:
        episode = services.episode_publish(episode=self.get_object(), actor=self.actor)
        return self._respond(episode)

    @extend_schema(request=EpisodeScheduleSerializer, responses=EpisodeSerializer)
    @action(detail=True, methods=["post"], permission_required=PUBLISH)
    def schedule(self, request: Request, pk: str | None = None) -> Response:
        data = EpisodeScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = services.episode_schedule(
            episode=self.get_object(),
            publish_at=data.validated_data["publish_at"],
            actor=self.actor,
        )
        return self._respond(episode)

    @extend_schema(request=None, responses=EpisodeSerializer)
    @action(detail=True, methods=["post"], permission_required=PUBLISH)
    def unpublish(self, request: Request, pk: str | None = None) -> Response:
        episode = services.episode_unpublish(episode=self.get_object(), actor=self.actor)
        return self._respond(episode)
