"""Deployment checks for access: the rate limits must be counted where every process sees them."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            f"The default cache ({backend}) is private to each process: the rate limits on "
            "sign-in, two-factor codes, API tokens, the API and the public request form would "
            "be counted per process, so every process allows the whole limit again.",
            hint="Set CACHE_URL to the Redis all processes share, e.g. redis://redis:6379/1.",
            id="accounts.E001",
        )
    ]
