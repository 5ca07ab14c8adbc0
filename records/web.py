"""The register's ZIP downloads, shared by the admin and the API views."""

from django.http import HttpResponse


def zip_response(name: str, payload: bytes) -> HttpResponse:
    response = HttpResponse(payload, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
