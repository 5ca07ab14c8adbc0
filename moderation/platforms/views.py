"""Webhook endpoints the platforms call: ``/hooks/meta/`` for Facebook Pages and Instagram.
Nothing is read before the size is checked, nothing is parsed before the signature is, and a
verified delivery is stored in the inbox before the answer (moderation.platforms.inbox), so a
200 means it is kept whatever happens next. The answer is always a 2xx or a clear 4xx (503
only when the delivery could not be stored, so Meta sends it again)."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.services import system_user
from core.api.errors import error_body
from moderation.models import WebhookSource

from . import meta
from .inbox import webhook_delivery_receive

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        status, challenge = meta.handshake(request.GET, settings.META_VERIFY_TOKEN)
        if status != 200:
            logger.warning(
                "Refused a Meta verify handshake from %s", request.META.get("REMOTE_ADDR")
            )
            return _error(403, "forbidden", _("The verify token does not match."))
        return HttpResponse(challenge, content_type="text/plain; charset=utf-8")

    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
        return _too_large()
    raw_body = request.read(MAX_BODY_BYTES + 1)
    if len(raw_body) > MAX_BODY_BYTES:
        return _too_large()

    secrets = (settings.META_APP_SECRET, settings.INSTAGRAM_APP_SECRET)
    if not meta.signature_valid(raw_body, request.headers.get(meta.SIGNATURE_HEADER), secrets):
        # Never the body: it is unverified and may hold personal data.
        logger.warning(
            "Refused a Meta delivery with a bad or missing signature: %d bytes from %s",
            len(raw_body),
            request.META.get("REMOTE_ADDR"),
        )
        return _error(403, "invalid_signature", _("The signature is missing or does not match."))

    try:
        delivery = meta.delivery_parse(raw_body, received_at=timezone.now())
    except meta.MalformedDeliveryError:
        logger.warning(
            "Refused a signed Meta delivery that is not a delivery: %d bytes", len(raw_body)
        )
        return _error(400, "malformed", _("The body is not a webhook delivery in JSON."))

    if delivery.items:
        try:
            webhook_delivery_receive(source=WebhookSource.META, body=raw_body, actor=system_user())
        except Exception:
            logger.exception("Could not store a Meta delivery; Meta will send it again")
            return _error(503, "unavailable", _("The delivery could not be queued; send it again."))
    return JsonResponse({"received": len(delivery.items), "skipped": len(delivery.skipped)})


def _too_large() -> JsonResponse:
    return _error(413, "too_large", _("The body is larger than 1 MB."))


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)
