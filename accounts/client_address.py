"""The client's address, the one key of every per-address limit: the API's throttles, allauth's
sign-in limits, the bad-token limit and the public request form.

X-Forwarded-For is a list each proxy appends its peer to; whatever stands left of our own
proxies' entries the client wrote itself. With ``TRUSTED_PROXY_COUNT`` proxies of ours in front,
the client is the entry that many places from the right; with none, the TCP peer."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    peer = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return peer
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < proxies:
        # Fewer entries than proxies: the request did not come through them all.
        return peer
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return peer
