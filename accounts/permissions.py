"""The permission check every service makes before it writes."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User


def permission_require(actor: User, permission: str) -> None:
    """Refuse unless ``actor`` holds ``permission`` (``app_label.codename``) through a role,
    an integration client's scopes, or superuser status."""
    if not (actor.is_active and actor.has_perm(permission)):
        raise PermissionDenied(_("You do not have permission to do this."))
