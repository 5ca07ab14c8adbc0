from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import MeSerializer
from core.actors import request_actor


class MeView(APIView):
    """Who the caller is: a staff member with roles, or an integration client with scopes."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer, operation_id="accounts_me")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request_actor(request)).data)
