"""One JSON error format for every API error: ``{"error": {"code", "message", "details"}}``."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from core.api.parsers import PayloadTooLarge
from core.exceptions import ApplicationError


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database is unreachable (restarted, failed over): nothing was written, try again.
        body = error_body("unavailable", _("The service is unavailable. Try again shortly."))
        return Response(body, status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": "30"})
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.details), status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        # A form or multipart body past Django's limit, read by the request itself.
        exc = PayloadTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response

    if isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", _("The input is not valid."), response.data)
    elif isinstance(exc, exceptions.Throttled):
        wait = getattr(exc, "wait", None)
        body = error_body("throttled", str(exc.detail), {"wait_seconds": wait})
    else:
        detail = exc.detail
        message = str(detail) if not isinstance(detail, (list, dict)) else exc.default_detail
        body = error_body(str(exc.default_code), str(message))
    response.data = body
    return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: an address under /api/ that matches no route answers in the API's error
    format, the rest of the site with its 404 page."""
    if request.path.startswith("/api/"):
        body = error_body("not_found", str(exceptions.NotFound.default_detail))
        return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
    return page_not_found(request, exception)
