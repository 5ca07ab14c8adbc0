from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.choices import Scope
from core.actors import request_actor
from core.exceptions import ApplicationError
from privacy.api.serializers import SubjectRequestSerializer
from privacy.choices import SubjectRequestStatus
from privacy.models import SubjectRequest
from privacy.services import subject_request_create, subject_request_package
from records.web import zip_response


class SubjectRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[SubjectRequest]):
    """Requests about a person's own data, for the case-management system: create one, read
    its status, fetch the package once it is decided."""

    queryset = SubjectRequest.objects.all()
    serializer_class = SubjectRequestSerializer
    scopes = {"read": Scope.PRIVACY_WRITE, "write": Scope.PRIVACY_WRITE}
    permission_required: str | None = None

    def get_queryset(self) -> QuerySet[SubjectRequest]:
        return SubjectRequest.objects.order_by("-pk")

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = subject_request_create(actor=request_actor(request), **data.validated_data)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"], permission_required="privacy.search_person")
    def package(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The package as the officer previewed it (ZIP: readable document and JSON)."""
        subject = self.get_object()
        if subject.status == SubjectRequestStatus.RECEIVED:
            raise ApplicationError(_("Decide the request before answering it."), code="undecided")
        package = subject_request_package(request=subject, actor=request_actor(request))
        return zip_response(f"registerutdrag-{subject.pk}.zip", package.zip())
