"""Two-factor authentication before anything a permission opens: every signed-in session that
holds a permission (a role, a single permission, superuser or staff status) must have TOTP."""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.models import User

# What a person needs to set two-factor up or leave: sign-in pages, language, static files.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")


def holds_privileges(user: User) -> bool:
    """Whether the account can do anything the public cannot."""
    return bool(user.is_staff or user.is_superuser or user.get_all_permissions())


class StaffMFARequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        # path_info, not path: the server may put a SCRIPT_NAME of the client's choosing
        # before it, while the address resolved is path_info.
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and isinstance(user, User)
            and user.is_authenticated
            and not request.path_info.startswith(OPEN_PREFIXES)
            and holds_privileges(user)
            and not is_mfa_enabled(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
