"""Who may change whom: the system account signs in nowhere and nobody edits it; superusers are
edited only by superusers; nobody changes their own roles; every role change is recorded with who
and when, and the administrators hear of it. Through the user admin and the sign-in pages."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.choices import Role
from accounts.models import User
from accounts.services import system_user

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def _change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def _form(user: User, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "email": user.email,
        "name": user.name,
        "unit": user.unit,
        "roles": [g.name for g in user.groups.all()],
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return data


def _signed_in(client: Client, email: str, password: str) -> bool:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.fixture
def admin_client(administrator: User) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


def test_the_system_account_cannot_sign_in_even_with_a_password(client: Client) -> None:
    account = system_user()
    User.objects.filter(pk=account.pk).update(password=make_password(PASSWORD))
    assert not _signed_in(client, account.email, PASSWORD)


def test_an_administrator_cannot_edit_the_system_account(admin_client: Client) -> None:
    account = system_user()
    response = admin_client.post(_change_url(account), _form(account, email="me@orebro.se"))
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.email == "system@sociala-medier.invalid"


def test_not_even_a_superuser_edits_the_system_account(make_user: Callable[..., User]) -> None:
    client = Client()
    client.force_login(make_user(Role.ADMINISTRATOR, is_superuser=True))
    account = system_user()
    response = client.post(_change_url(account), _form(account, email="me@orebro.se"))
    assert response.status_code == 403
    assert User.objects.get(pk=account.pk).email == account.email


def test_the_system_account_gets_no_password_reset(client: Client) -> None:
    client.post("/accounts/password/reset/", {"email": system_user().email})
    assert mail.outbox == []


def test_an_administrator_cannot_edit_a_superuser(
    admin_client: Client, make_user: Callable[..., User]
) -> None:
    superuser = make_user(Role.ADMINISTRATOR, is_superuser=True)
    response = admin_client.post(_change_url(superuser), _form(superuser, email="x@orebro.se"))
    assert response.status_code == 403
    assert User.objects.get(pk=superuser.pk).email == superuser.email


def test_a_superuser_edits_another_superuser(make_user: Callable[..., User]) -> None:
    client = Client()
    client.force_login(make_user(Role.ADMINISTRATOR, is_superuser=True))
    other = make_user(Role.ADMINISTRATOR, is_superuser=True)
    response = client.post(_change_url(other), _form(other, name="Ny Namn"))
    assert response.status_code == 302
    assert User.objects.get(pk=other.pk).name == "Ny Namn"


def test_an_administrator_cannot_change_their_own_roles(
    admin_client: Client, administrator: User, django_capture_on_commit_callbacks: Any
) -> None:
    roles = [Role.ADMINISTRATOR, Role.REGISTRAR]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_change_url(administrator), _form(administrator, roles=roles))
    assert response.status_code == 200
    assert "egna roller" in response.content.decode()
    assert {g.name for g in administrator.groups.all()} == {Role.ADMINISTRATOR}
    assert mail.outbox == []


def test_an_invitation_with_roles_is_a_role_change_too(
    admin_client: Client, administrator: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_user_add"),
            {"email": "ny@orebro.se", "name": "Ny", "unit": "", "roles": [Role.ADMINISTRATOR]},
        )
    assert response.status_code == 302
    notices = [m for m in mail.outbox if administrator.email in m.to]
    assert len(notices) == 1
    assert "ny@orebro.se" in notices[0].body


def test_an_administrator_may_still_edit_their_own_name(
    admin_client: Client, administrator: User
) -> None:
    response = admin_client.post(_change_url(administrator), _form(administrator, name="Anna"))
    assert response.status_code == 302
    assert User.objects.get(pk=administrator.pk).name == "Anna"


def test_a_role_change_is_recorded_and_every_administrator_hears_of_it(
    admin_client: Client,
    administrator: User,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    other_admin = make_user(Role.ADMINISTRATOR)
    make_user(Role.ADMINISTRATOR, is_active=False)
    system_user()
    person = make_user(Role.EDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_change_url(person), _form(person, roles=[Role.REGISTRAR]))
    assert response.status_code == 302
    change = person.history.order_by("-history_date").first()
    assert change is not None
    assert change.history_user == administrator
    assert {g.name for g in person.groups.all()} == {Role.REGISTRAR}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {administrator.email, other_admin.email}
    assert person.email in message.body
    assert administrator.email in message.body
    assert "Registrator" in message.body
    assert "Webbredaktör" in message.body
    history = admin_client.get(reverse("admin:accounts_user_history", args=[person.pk]))
    assert "Registrator" in history.content.decode()


def test_saving_without_changing_roles_sends_nothing(
    admin_client: Client, make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    person = make_user(Role.EDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_change_url(person), _form(person, name="Ny"))
    assert response.status_code == 302
    assert mail.outbox == []
