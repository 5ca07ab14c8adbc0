from django.conf import settings
from django.http import HttpRequest


def security(request: HttpRequest) -> dict[str, bool]:
    return {"mfa_required_for_staff": settings.MFA_REQUIRED_FOR_STAFF}
