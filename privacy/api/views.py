"""``/api/v1/privacy/``: requests about a person's own data, for the case-management system
(scope ``privacy:write``); the officer decides and answers them in admin."""

from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request

from accounts.choices import Scope
from core.api.viewsets import ServiceViewSet
from core.exceptions import ApplicationError
from privacy.api.serializers import SubjectRequestSerializer
from privacy.choices import SubjectRequestStatus
from privacy.models import SubjectRequest
from privacy.selectors import subject_request_list
from privacy.services import subject_request_create, subject_request_package
from records.web import zip_response


class SubjectRequestViewSet(
    ServiceViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """Requests about a person's own data, for the case-management system: create one, read
    its status, fetch the package once it is decided."""

    queryset = SubjectRequest.objects.all()
    serializer_class = SubjectRequestSerializer
    scopes = {"read": Scope.PRIVACY_WRITE, "write": Scope.PRIVACY_WRITE}

    def select(self) -> QuerySet[SubjectRequest]:
        return subject_request_list()

    def create_object(self, data: dict[str, Any]) -> SubjectRequest:
        return subject_request_create(actor=self.actor, **data)

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"], permission_required="privacy.search_person")
    def package(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        """The package as the officer previewed it (ZIP: readable document and JSON)."""
        subject = self.get_object()
        if subject.status == SubjectRequestStatus.RECEIVED:
            raise ApplicationError(_("Decide the request before answering it."), code="undecided")
        package = subject_request_package(request=subject, actor=self.actor)
        return zip_response(f"registerutdrag-{subject.pk}.zip", package.zip())
