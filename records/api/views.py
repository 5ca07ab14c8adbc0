from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.choices import Scope
from accounts.models import IntegrationClient
from core.api.pagination import CursorPagination
from core.api.viewsets import ServiceViewSet
from records.api import serializers as s
from records.choices import RecordSource
from records.filters import AccessRequestFilterSet, PublicRecordFilterSet, RecordFilterSet
from records.models import AccessRequest, Record, RetentionClass
from records.selectors import (
    access_request_list,
    record_content_get,
    record_list,
    record_public_list,
    retention_class_list,
)
from records.services import (
    access_request_create,
    access_request_decide,
    access_request_deliver,
    access_request_records_set,
    record_amend,
    record_legal_hold_set,
    record_register,
    record_secrecy_mark,
    record_secrecy_unmark,
    records_export,
)
from records.web import zip_response

ZIP_RESPONSE = {(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)}
RECORD_SCOPES = {"read": Scope.RECORDS_READ, "write": Scope.RECORDS_WRITE}


class PublicRecordViewSet(ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The public register: registered entries with number, date, channel and public subject.
    No content is published; a secret entry shows only number, date and "Sekretess"."""

    queryset = Record.objects.none()
    serializer_class = s.PublicRecordSerializer
    filterset_class = PublicRecordFilterSet
    public_read = True
    lookup_field = "pk"

    def select(self) -> QuerySet[Record]:
        return record_public_list()


class RecordViewSet(
    ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Register entries for staff and integrations (scopes records:read / records:write)."""

    queryset = Record.objects.all()
    serializer_class = s.RecordSerializer
    filterset_class = RecordFilterSet
    scopes = RECORD_SCOPES

    def select(self) -> QuerySet[Record]:
        return record_list(user=self.actor)

    @extend_schema(request=s.RecordRegisterSerializer, responses={201: s.RecordSerializer})
    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        data = s.RecordRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        client = request.auth if isinstance(request.auth, IntegrationClient) else None
        record = record_register(
            actor=self.actor,
            source_kind=RecordSource.API,
            source_client_id=client.pk if client else None,
            **data.validated_data,
        )
        return self.respond(record, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.RecordContentSerializer)
    @action(detail=True, methods=["get"], permission_required="records.view_record")
    def content(self, request: Request, pk: str | None = None) -> Response:
        """The snapshot, counterparty and amendments; viewing a secret entry is logged."""
        record = self.get_object()
        content = record_content_get(record=record, user=self.actor, purpose="api")
        return Response(content)

    @extend_schema(request=s.RecordAmendSerializer, responses={201: s.RecordAmendmentSerializer})
    @action(detail=True, methods=["post"], permission_required="records.add_recordamendment")
    def amend(self, request: Request, pk: str | None = None) -> Response:
        data = s.RecordAmendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        amendment = record_amend(record=self.get_object(), actor=self.actor, **data.validated_data)
        return Response(s.RecordAmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SecrecyMarkSerializer, responses=s.RecordSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="mark-secret",
        permission_required="records.mark_secret_record",
    )
    def mark_secret(self, request: Request, pk: str | None = None) -> Response:
        data = s.SecrecyMarkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = record_secrecy_mark(
            record=self.get_object(),
            actor=self.actor,
            provision=data.validated_data["provision"],
        )
        return self.respond(record)

    @extend_schema(request=None, responses=s.RecordSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="unmark-secret",
        permission_required="records.mark_secret_record",
    )
    def unmark_secret(self, request: Request, pk: str | None = None) -> Response:
        record = record_secrecy_unmark(record=self.get_object(), actor=self.actor)
        return self.respond(record)

    @extend_schema(request=s.LegalHoldSerializer, responses=s.RecordSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="legal-hold",
        permission_required="records.change_record",
    )
    def legal_hold(self, request: Request, pk: str | None = None) -> Response:
        data = s.LegalHoldSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = record_legal_hold_set(
            record=self.get_object(),
            actor=self.actor,
            **data.validated_data,
        )
        return self.respond(record)

    @extend_schema(request=s.RecordExportSerializer, responses=ZIP_RESPONSE)
    @action(detail=False, methods=["post"], permission_required="records.view_secret_record")
    def export(self, request: Request) -> HttpResponseBase:
        """An E-ARK SIP (FGS Paketstruktur 2.0) of the chosen entries, as a ZIP."""
        data = s.RecordExportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        name, package = records_export(
            actor=self.actor,
            records=data.validated_data["records"],
            label=data.validated_data["title"],
        )
        return zip_response(name, package)


class RetentionClassViewSet(ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = RetentionClass.objects.all()
    serializer_class = s.RetentionClassSerializer
    scopes = {"read": Scope.RECORDS_READ}
    lookup_field = "code"
    pagination_class = type("RetentionPagination", (CursorPagination,), {"ordering": "code"})

    def select(self) -> QuerySet[RetentionClass]:
        return retention_class_list()


class AccessRequestViewSet(
    ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Requests for public documents (registrars)."""

    queryset = AccessRequest.objects.all()
    serializer_class = s.AccessRequestSerializer
    filterset_class = AccessRequestFilterSet

    def select(self) -> QuerySet[AccessRequest]:
        return access_request_list()

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = access_request_create(
            actor=self.actor,
            scope=data.validated_data["scope"],
            requester=data.validated_data.get("requester", ""),
            contact=data.validated_data.get("contact", ""),
            records=data.validated_data.get("records") or None,
        )
        return self.respond(created, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AccessRequestRecordsSerializer, responses=s.AccessRequestSerializer)
    @action(detail=True, methods=["post"], permission_required="records.change_accessrequest")
    def records(self, request: Request, pk: str | None = None) -> Response:
        data = s.AccessRequestRecordsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = access_request_records_set(
            request=self.get_object(),
            actor=self.actor,
            records=data.validated_data["records"],
        )
        return self.respond(updated)

    @extend_schema(request=s.AccessRequestDecideSerializer, responses=s.AccessRequestSerializer)
    @action(detail=True, methods=["post"], permission_required="records.change_accessrequest")
    def decide(self, request: Request, pk: str | None = None) -> Response:
        data = s.AccessRequestDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = access_request_decide(
            request=self.get_object(),
            actor=self.actor,
            **data.validated_data,
        )
        return self.respond(decided)

    @extend_schema(request=None, responses=ZIP_RESPONSE)
    @action(detail=True, methods=["post"], permission_required="records.change_accessrequest")
    def deliver(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        """The package for the requester (ZIP), masked for a partial release."""
        name, package = access_request_deliver(request=self.get_object(), actor=self.actor)
        return zip_response(name, package)
