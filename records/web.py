"""Small helpers shared by the admin and the API views of the register."""

from django.http import HttpRequest, HttpResponse

from accounts.models import User


def request_actor(request: HttpRequest) -> User:
    """The signed-in user making the request (both views require one)."""
    assert isinstance(request.user, User)
    return request.user


def zip_response(name: str, payload: bytes) -> HttpResponse:
    response = HttpResponse(payload, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
