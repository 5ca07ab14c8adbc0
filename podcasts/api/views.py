from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

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
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The podcast shows; the public reads them without a token."""

    queryset = Show.objects.all()
    serializer_class = ShowSerializer
    filterset_class = ShowFilterSet
    scopes = SCOPES
    public_read = True

    def get_queryset(self) -> QuerySet[Show]:
        return selectors.show_list(user=self.request.user)  # type: ignore[arg-type]


class EpisodeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Episodes: the public sees the published ones; editors and clients with podcasts:write
    create, change, publish, schedule and unpublish them."""

    queryset = Episode.objects.all()
    serializer_class = EpisodeSerializer
    filterset_class = EpisodeFilterSet
    scopes = SCOPES
    public_read = True
    permission_required: str | None = None  # set per workflow @action

    def get_queryset(self) -> QuerySet[Episode]:
        return selectors.episode_list(user=self.request.user)  # type: ignore[arg-type]

    def _respond(self, episode: Episode) -> Response:
        episode = self.get_queryset().get(pk=episode.pk)
        return Response(EpisodeSerializer(episode, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=EpisodeSerializer)
    @action(detail=True, methods=["post"], permission_required=PUBLISH)
    def publish(self, request: Request, pk: str | None = None) -> Response:
        episode = services.episode_publish(episode=self.get_object(), actor=request.user)  # type: ignore[arg-type]
        return self._respond(episode)

    @extend_schema(request=EpisodeScheduleSerializer, responses=EpisodeSerializer)
    @action(detail=True, methods=["post"], permission_required=PUBLISH)
    def schedule(self, request: Request, pk: str | None = None) -> Response:
        data = EpisodeScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = services.episode_schedule(
            episode=self.get_object(),
            publish_at=data.validated_data["publish_at"],
            actor=request.user,  # type: ignore[arg-type]
        )
        return self._respond(episode)

    @extend_schema(request=None, responses=EpisodeSerializer)
    @action(detail=True, methods=["post"], permission_required=PUBLISH)
    def unpublish(self, request: Request, pk: str | None = None) -> Response:
        episode = services.episode_unpublish(episode=self.get_object(), actor=request.user)  # type: ignore[arg-type]
        return self._respond(episode)
