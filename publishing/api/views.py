"""``/api/v1/publishing/``: the municipality's own posts for editors and for integration clients
with ``publishing:read`` / ``publishing:write``; approval is an editor's (four eyes)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.viewsets import ServiceViewSet
from publishing import selectors, services
from publishing.api.serializers import PostSerializer, WithdrawSerializer
from publishing.filters import PostFilterSet
from publishing.models import Post

SCOPES = {"read": "publishing:read", "write": "publishing:write"}
PUBLISH = "publishing.publish_post"


class PostViewSet(
    ServiceViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Posts: drafted, sent for review, approved by another editor, published on the channel's
    platform at their planned time (or now), or withdrawn."""

    queryset = Post.objects.all()
    serializer_class = PostSerializer
    filterset_class = PostFilterSet
    scopes = SCOPES

    def select(self) -> QuerySet[Post]:
        return selectors.post_list(user=self.request.user)

    def create_object(self, data: dict[str, Any]) -> Post:
        return services.post_create(actor=self.actor, **data)

    def update_object(self, obj: Post, data: dict[str, Any]) -> Post:
        return services.post_update(post=obj, actor=self.actor, **data)

    def _respond(self, post: Post) -> Response:
        return self.respond(self.select().get(pk=post.pk))

    @extend_schema(request=None, responses=PostSerializer)
    @action(detail=True, methods=["post"], permission_required="publishing.change_post")
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Send a draft for review by another editor."""
        return self._respond(services.post_submit(post=self.get_object(), actor=self.actor))

    @extend_schema(request=None, responses=PostSerializer)
    @action(detail=True, methods=["post"], permission_required="publishing.approve_post")
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve a post in review (not one's own); refused while a check blocks it. A post
        with a planned time is scheduled for it."""
        return self._respond(services.post_approve(post=self.get_object(), actor=self.actor))

    @extend_schema(request=None, responses=PostSerializer)
    @action(detail=True, methods=["post"], permission_required=PUBLISH)
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Send an approved post to its platform now; the answer is recorded on the post."""
        return self._respond(services.post_publish(post=self.get_object(), actor=self.actor))

    @extend_schema(request=WithdrawSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"], permission_required=PUBLISH)
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Stop a post before it goes out, with the reason."""
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        post = services.post_withdraw(
            post=self.get_object(),
            reason=body.validated_data["reason"],
            actor=self.actor,
        )
        return self._respond(post)
