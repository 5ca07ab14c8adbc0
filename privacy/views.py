"""The page behind the link a person is mailed when their package is too large to attach:
it says what the package is and until when the link works; the button fetches it, once. The
fetch is a POST, so a mail scanner that opens the link does not use it up."""

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError
from privacy.delivery import package_link_fetch, package_link_get
from records.web import zip_response

TEMPLATE = "privacy/package_link.html"


@never_cache
@require_http_methods(["GET", "POST"])
def package_link(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        if request.method == "POST":
            response = zip_response(*package_link_fetch(token=token))
        else:
            response = render(request, TEMPLATE, {"link": package_link_get(token=token)})
    except ApplicationError as error:
        status = 404 if error.code == "unknown" else 410
        response = render(request, TEMPLATE, {"refusal": error.message}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response
