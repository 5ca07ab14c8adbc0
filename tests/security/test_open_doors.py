"""Doors that stood open: a password reset for an unknown address mails nothing; a draft
episode's files are served to nobody without the right to see the draft; history versions are
for reading (no revert by POST, whatever one's permissions); every response carries a
Permissions-Policy."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.choices import Role
from accounts.history_admin import HistoryAdmin
from accounts.models import User
from moderation.models import Word
from podcasts.models import Show
from tests.podcasts.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


def test_a_password_reset_for_an_unknown_address_sends_nothing(client: Client) -> None:
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_password_reset_for_a_person_is_sent(client: Client, editor: User) -> None:
    client.post("/accounts/password/reset/", {"email": editor.email})
    assert [m.to for m in mail.outbox] == [[editor.email]]


def _files(episode: Any) -> list[str]:
    return [f"/poddar/media/{episode.audio.name}", f"/poddar/media/{episode.transcript.name}"]


def test_a_draft_episodes_files_are_not_served_to_the_public(client: Client) -> None:
    draft = EpisodeFactory.create(publish=False)
    for url in _files(draft):
        assert client.get(url).status_code == 404, url
        assert client.head(url).status_code == 404, url


def test_a_published_episodes_files_are_public_and_cacheable(client: Client) -> None:
    published = EpisodeFactory.create()
    for url in _files(published):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"]
    artwork = client.get(f"/poddar/media/{published.show.artwork.name}")
    assert artwork.status_code == 200


def test_staff_who_may_see_the_draft_preview_it_privately(
    client: Client, editor: User, make_user: Callable[..., User]
) -> None:
    draft = EpisodeFactory.create(publish=False)
    client.force_login(editor)
    for url in _files(draft):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
    client.force_login(make_user(Role.MODERATOR))
    assert client.get(_files(draft)[0]).status_code == 404


def _version_url(obj: Any) -> str:
    meta = obj._meta
    version = obj.history.order_by("history_date").first()
    return reverse(
        f"admin:{meta.app_label}_{meta.model_name}_simple_history",
        args=[obj.pk, version.history_id],
    )


def test_a_history_version_cannot_be_posted_back_with_view_permission_only(
    administrator: User,
) -> None:
    """The administrator may view shows and words, not change them."""
    episode = EpisodeFactory.create()
    show = episode.show
    word = Word.objects.create(list="banned", term="dumbom")
    client = Client()
    client.force_login(administrator)
    for obj, changes in ((show, {"title": "Kapad"}), (word, {"list": "banned", "term": "kapad"})):
        url = _version_url(obj)
        assert client.get(url).status_code == 200
        assert client.post(url, changes).status_code == 405
    assert Show.objects.get(pk=show.pk).title == show.title
    assert Word.objects.get(pk=word.pk).term == "dumbom"


def test_not_even_a_superuser_reverts_by_posting_a_version(make_user: Callable[..., User]) -> None:
    superuser = make_user(Role.ADMINISTRATOR, is_superuser=True)
    person = make_user(Role.EDITOR, name="Före")
    client = Client()
    client.force_login(superuser)
    url = _version_url(person)
    User.objects.filter(pk=person.pk).update(name="Efter")
    assert client.post(url, {"email": person.email, "name": "Före"}).status_code == 405
    assert User.objects.get(pk=person.pk).name == "Efter"


def test_every_history_admin_refuses_the_revert() -> None:
    from simple_history.admin import SimpleHistoryAdmin

    with_history = [a for a in admin.site._registry.values() if isinstance(a, SimpleHistoryAdmin)]
    assert len(with_history) > 10
    for model_admin in with_history:
        assert isinstance(model_admin, HistoryAdmin), type(model_admin).__name__


def test_every_response_carries_a_permissions_policy(client: Client) -> None:
    for url in ["/", "/diarium/", "/accounts/login/", "/api/v1/channels/channels/"]:
        policy = client.get(url)["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy, (url, policy)
