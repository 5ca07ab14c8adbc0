"""Signing in: one message for every failure, rate limits, no sign-up, MFA before admin."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_wrong_password_and_unknown_email_say_the_same(client, editor):
    wrong = _login(client, editor.email, "not the password")
    unknown = _login(client, "nobody@orebro.se", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors
    assert wrong.context["form"].non_field_errors()


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip,3/5m/key"})
def test_failed_logins_are_rate_limited(client, editor):
    cache.clear()
    responses = [_login(client, editor.email, "wrong") for _ in range(5)]
    first, last = responses[0].context["form"], responses[-1].context["form"]
    assert list(first.non_field_errors()) != list(last.non_field_errors())
    # Even the right password is refused while the limit holds.
    assert _login(client, editor.email, "correct horse battery").status_code == 200
    cache.clear()


def test_correct_login_reaches_admin(client, editor):
    response = _login(client, editor.email, "correct horse battery")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_there_is_no_public_signup(client):
    page = client.get("/accounts/signup/")
    assert next(t.name for t in page.templates) == "account/signup_closed.html"
    client.post(
        "/accounts/signup/",
        {"email": "x@example.com", "password1": "a long pass 123", "password2": "a long pass 123"},
    )
    assert not User.objects.filter(email="x@example.com").exists()


def test_admin_login_is_allauths(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@override_settings(MFA_REQUIRED_FOR_STAFF=True)
def test_staff_without_mfa_are_sent_to_set_it_up(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/api/v1/accounts/me/").status_code == 302


@override_settings(MFA_REQUIRED_FOR_STAFF=True)
def test_staff_with_totp_reach_admin(client, editor):
    Authenticator.objects.create(
        user=editor, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_login_page_says_when_mfa_is_relaxed(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    assert 'class="notice"' in client.get(LOGIN).content.decode()
    settings.MFA_REQUIRED_FOR_STAFF = True
    assert 'class="notice"' not in client.get(LOGIN).content.decode()
