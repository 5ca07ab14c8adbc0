"""Swedish unless the visitor chose otherwise: the language comes from the language cookie (set by
the switch in the footer), never from the browser's Accept-Language. NUL in an address is
refused before any view."""

from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext

from core.api.errors import error_body


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NulInAddressMiddleware:
    """An address or query holding NUL (``%00``) is refused with a 400 before any view: no
    database stores NUL in text, so a lookup by it would fail there (a 500 on PostgreSQL)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in unquote(query):
            if request.path_info.startswith("/api/"):
                body = error_body("invalid", gettext("The address holds a NUL character."))
                return JsonResponse(body, status=400)
            return HttpResponseBadRequest()
        return self.get_response(request)
