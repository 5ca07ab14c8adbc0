"""An invited person follows the e-mailed link, chooses a first password and is shown the way
to sign in."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.choices import Role
from accounts.services import user_invite

pytestmark = pytest.mark.django_db


def test_the_invitation_page_is_for_a_first_password_and_ends_with_sign_in(
    client, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(
            email="ny@orebro.se", name="Ny Person", roles=[Role.MODERATOR], actor=administrator
        )
    (invitation,) = [m for m in mail.outbox if m.subject.startswith("Inbjudan")]
    link = re.search(r"https?://\S+", str(invitation.body))
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]

    page = client.get(path, follow=True)
    html = page.content.decode()
    assert "<title>Välj ditt lösenord" in html
    assert "<h1>Välj ditt lösenord</h1>" in html
    assert "Ändra lösenord" not in html

    done = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path,
        {"password1": "Fjällräven i snö 2026", "password2": "Fjällräven i snö 2026"},
        follow=True,
    )
    html = done.content.decode()
    assert "Ditt lösenord är sparat." in html
    assert f'<a href="{reverse("account_login")}">Logga in</a>' in html
    assert "Ändra lösenord" not in html


def test_a_reset_for_someone_with_a_password_is_still_a_change(client, editor):
    client.post(reverse("account_reset_password"), {"email": editor.email})
    link = re.search(r"https?://\S+", str(mail.outbox[0].body))
    assert link is not None
    page = client.get("/" + link.group(0).split("/", 3)[3], follow=True)
    assert "<h1>Byt lösenord</h1>" in page.content.decode()
