"""Two-factor authentication before any privileged page: whatever prefix the server puts before
the path, and for every signed-in session that holds a permission, staff flag or not."""

from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.choices import Role
from accounts.models import User

pytestmark = pytest.mark.django_db
PRIVILEGED = ["/admin/", "/admin/moderation/item/queue/", "/api/v1/accounts/me/"]


@pytest.fixture(autouse=True)
def mfa_required(settings: object) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = True  # type: ignore[attr-defined]


def _sent_to_mfa_setup(client: Client, url: str, script_name: str = "") -> bool:
    response = client.get(url, SCRIPT_NAME=script_name)
    return response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_a_script_name_does_not_skip_two_factor(client: Client, moderator: User) -> None:
    """gunicorn takes SCRIPT_NAME from a trusted proxy's header: ``request.path`` then starts
    with it, while the address resolved (``path_info``) is the admin's or the API's."""
    client.force_login(moderator)
    for url in PRIVILEGED:
        assert _sent_to_mfa_setup(client, url, script_name="/x"), url
        assert _sent_to_mfa_setup(client, url), url


def test_a_role_without_the_staff_flag_still_needs_two_factor(
    client: Client, make_user: Callable[..., User]
) -> None:
    holder = make_user(Role.REGISTRAR, is_staff=False)
    client.force_login(holder)
    assert _sent_to_mfa_setup(client, "/api/v1/accounts/me/")
    assert _sent_to_mfa_setup(client, "/api/v1/records/access-requests/")


def test_a_single_permission_without_any_role_needs_two_factor(
    client: Client, make_user: Callable[..., User]
) -> None:
    holder = make_user()
    holder.user_permissions.add(Permission.objects.get(codename="view_accessrequest"))
    client.force_login(holder)
    assert _sent_to_mfa_setup(client, "/api/v1/records/access-requests/")
    assert _sent_to_mfa_setup(client, "/diarium/")


def test_a_superuser_without_the_staff_flag_needs_two_factor(
    client: Client, make_user: Callable[..., User]
) -> None:
    holder = make_user(is_superuser=True)
    client.force_login(holder)
    assert _sent_to_mfa_setup(client, "/api/v1/accounts/me/")


def test_setting_up_two_factor_and_signing_out_stay_open(client: Client, editor: User) -> None:
    client.force_login(editor)
    assert not _sent_to_mfa_setup(client, reverse("mfa_activate_totp"))
    assert client.get("/accounts/logout/").status_code == 200


def test_a_session_without_permissions_is_not_asked(
    client: Client, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user())
    assert client.get("/api/v1/accounts/me/").status_code == 200


def test_with_totp_every_page_opens(client: Client, moderator: User) -> None:
    Authenticator.objects.create(
        user=moderator, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(moderator)
    assert client.get("/admin/moderation/item/queue/", SCRIPT_NAME="/x").status_code == 200
    assert client.get("/api/v1/accounts/me/").status_code == 200
