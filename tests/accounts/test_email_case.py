"""One rule for e-mail addresses: they are unique whatever their case, in the database, in the
admin's forms and in the services, and a clash is refused with a Swedish message."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.services import user_invite

pytestmark = pytest.mark.django_db

TAKEN = "Det finns redan en användare med den e-postadressen."


@pytest.fixture
def anna(make_user):
    return make_user(email="anna.moderator@orebro.se")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_inviting_an_address_that_exists_in_another_case_is_refused_on_the_form(admin_client, anna):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {"email": "ANNA.moderator@orebro.se", "name": "Anna", "unit": "", "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.content.decode().count(TAKEN) == 1
    assert User.objects.filter(email__iexact="anna.moderator@orebro.se").count() == 1


def test_changing_an_address_to_another_users_in_another_case_is_refused(
    admin_client, anna, make_user
):
    other = make_user(email="bertil@orebro.se")
    response = admin_client.post(
        f"/admin/accounts/user/{other.pk}/change/",
        {"email": "Anna.Moderator@Orebro.se", "name": "Bertil", "unit": "", "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.content.decode().count(TAKEN) == 1
    other.refresh_from_db()
    assert other.email == "bertil@orebro.se"


def test_an_address_is_kept_in_lower_case_from_the_admin(admin_client, make_user):
    other = make_user(email="bertil@orebro.se")
    response = admin_client.post(
        f"/admin/accounts/user/{other.pk}/change/",
        {"email": "Bertil.Berg@Orebro.se", "name": "Bertil", "unit": "", "is_active": "on"},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.email == "bertil.berg@orebro.se"


def test_the_service_refuses_it_with_the_swedish_message(anna, administrator):
    with pytest.raises(ValidationError) as refused:
        user_invite(email=" ANNA.Moderator@orebro.se ", name="", roles=[], actor=administrator)
    assert refused.value.message_dict["email"] == [TAKEN]


def test_the_database_refuses_the_same_address_in_another_case(anna):
    with pytest.raises(IntegrityError), transaction.atomic():
        User(email="ANNA.MODERATOR@orebro.se").save()


def test_a_person_signs_in_whatever_the_case_they_type(client, anna):
    response = client.post(
        "/accounts/login/",
        {"login": "Anna.Moderator@Orebro.se", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(anna.pk)
