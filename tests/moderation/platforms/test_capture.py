"""Polling through the queue with the cursor kept in the database, channel tokens encrypted at
rest and write-only in admin, and the capture-health page."""

import json
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.services import system_user
from moderation.models import ChannelConnection, Item
from moderation.platforms import connections, tasks, youtube
from moderation.platforms.http import CannedResponse, HttpxClient
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import canned, payload_json

YOUTUBE_CHANNEL = "UCorebroKommun00"
TOKEN = "ya29.a0-secret-token-value"


def page(name: str) -> CannedResponse:
    return CannedResponse(200, {}, payload_json(f"youtube/{name}.json"))


@pytest.fixture
def youtube_channel(db):
    channel = ChannelFactory.create(
        connected=True, platform="youtube", platform_account_id=YOUTUBE_CHANNEL
    )
    connections.channel_connection_save(channel=channel, access_token=TOKEN, actor=system_user())
    return channel


def stored_cursor(channel) -> dict:
    return json.loads(ChannelConnection.objects.get(channel=channel).poll_cursor)


@pytest.mark.django_db
def test_the_youtube_poll_resumes_from_its_stored_cursor_after_a_restart(
    youtube_channel, platform_http, monkeypatch
):
    monkeypatch.setattr(youtube, "PAGES_PER_SCAN", 1)  # the first poll stops after one page
    platform_http.responses.extend(
        [
            page("comment_threads_page1"),
            page("comment_replies"),
            page("comment_threads_empty"),
            page("comment_threads_empty"),
        ]
    )
    assert tasks.platform_poll("youtube") == 4
    assert stored_cursor(youtube_channel)["heldForReview"]["page_token"] == "CDIQAA"

    # A restart: a new task run reads everything afresh from the database.
    monkeypatch.setattr(youtube, "PAGES_PER_SCAN", 5)
    platform_http.requests.clear()
    platform_http.responses.extend(
        [
            page("comment_threads_page2"),
            page("comment_threads_empty"),
            page("comment_threads_empty"),
        ]
    )
    assert tasks.platform_poll("youtube") == 2
    assert platform_http.requests[0].params["pageToken"] == "CDIQAA"

    platform_http.responses.extend(
        [
            page("comment_threads_page1_later"),
            page("comment_threads_page2"),
            page("comment_threads_empty"),
            page("comment_threads_empty"),
        ]
    )
    assert tasks.platform_poll("youtube") == 1
    assert platform_http.responses == []
    items = Item.objects.filter(channel=youtube_channel)
    assert items.count() == 7  # nothing missed
    assert all(item.versions.count() == 1 for item in items)  # nothing fetched twice
    assert stored_cursor(youtube_channel)["heldForReview"] == {"since": "2026-11-24T10:00:00+00:00"}
    connection = ChannelConnection.objects.get(channel=youtube_channel)
    assert connection.last_poll_at is not None
    assert connection.last_error == ""


@pytest.mark.django_db
def test_a_refused_poll_is_recorded_and_respected(youtube_channel, platform_http):
    platform_http.responses.append(canned("responses/youtube_quota_exceeded.json"))
    assert tasks.platform_poll("youtube") == 0
    connection = ChannelConnection.objects.get(channel=youtube_channel)
    assert connection.poll_deferred_until is not None
    assert connection.poll_deferred_until > timezone.now()
    assert "quotaExceeded" in connection.last_error
    assert connection.poll_cursor == ""  # unchanged
    assert tasks.platform_poll("youtube") == 0  # deferred: the platform is not asked again
    assert len(platform_http.requests) == 1


@pytest.mark.django_db
def test_channels_without_a_token_or_an_account_id_are_not_polled(platform_http):
    ChannelFactory.create(connected=True, platform="youtube", platform_account_id="UCnoToken")
    bare = ChannelFactory.create(connected=True, platform="youtube", platform_account_id="")
    connections.channel_connection_save(channel=bare, access_token=TOKEN, actor=system_user())
    assert tasks.platform_poll("youtube") == 0
    assert platform_http.requests == []


@pytest.mark.django_db
def test_one_channels_failure_does_not_stop_the_others(youtube_channel, platform_http, caplog):
    platform_http.responses.append(CannedResponse(200, {}, {"items": "not a list"}))
    caplog.set_level(logging.ERROR)
    assert tasks.platform_poll("youtube") == 0
    assert "The poll of" in caplog.text
    assert ChannelConnection.objects.get(channel=youtube_channel).last_error


@pytest.mark.django_db
def test_the_token_is_encrypted_at_rest_and_builds_the_channels_client(youtube_channel):
    connection = ChannelConnection.objects.get(channel=youtube_channel)
    assert TOKEN not in connection.access_token_encrypted
    assert connections.token_decrypt(connection.access_token_encrypted) == TOKEN
    client = connections.http_client_for(youtube_channel)
    assert isinstance(client, HttpxClient)
    assert client._client.headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.django_db
def test_a_token_under_another_key_is_no_token(youtube_channel, settings, caplog):
    settings.CHANNEL_CREDENTIALS_KEY = "x" * 43 + "="
    connection = ChannelConnection.objects.get(channel=youtube_channel)
    assert connections.token_decrypt(connection.access_token_encrypted) == ""
    assert "CHANNEL_CREDENTIALS_KEY" in caplog.text
    assert TOKEN not in caplog.text


@pytest.mark.django_db
def test_only_administrators_set_tokens(youtube_channel, moderator):
    with pytest.raises(PermissionDenied):
        connections.channel_connection_save(
            channel=youtube_channel, access_token="x", actor=moderator
        )


@pytest.mark.django_db
def test_the_admin_never_shows_the_token_and_keeps_it_when_left_empty(
    youtube_channel, client, administrator, caplog
):
    caplog.set_level(logging.DEBUG)
    client.force_login(administrator)
    connection = ChannelConnection.objects.get(channel=youtube_channel)
    url = reverse("admin:moderation_channelconnection_change", args=[connection.pk])
    form = client.get(url).content.decode()
    assert TOKEN not in form
    assert connection.access_token_encrypted not in form
    assert 'type="password"' in form

    expires = "2027-01-31 12:00:00"
    response = client.post(url, {"token_expires_at_0": "2027-01-31", "token_expires_at_1": "12:00"})
    assert response.status_code == 302, response.content
    connection.refresh_from_db()
    assert connections.token_decrypt(connection.access_token_encrypted) == TOKEN  # kept
    assert timezone.localtime(connection.token_expires_at).strftime("%Y-%m-%d %H:%M:%S") == expires

    client.post(url, {"access_token": "new-token-value", "token_expires_at_0": ""})
    connection.refresh_from_db()
    assert connections.token_decrypt(connection.access_token_encrypted) == "new-token-value"
    assert "new-token-value" not in caplog.text

    refused = client.post(url, {"access_token": "two words", "token_expires_at_0": ""})
    assert refused.status_code == 200
    assert "En token innehåller inga blanksteg." in refused.content.decode()
    assert "two words" not in refused.content.decode()

    health = client.get(reverse("admin:moderation_channelconnection_changelist")).content.decode()
    assert YOUTUBE_CHANNEL in health
    assert "new-token-value" not in health


@pytest.mark.django_db
def test_moderators_see_capture_health_but_cannot_change_it(youtube_channel, client, moderator):
    client.force_login(moderator)
    url = reverse("admin:moderation_channelconnection_changelist")
    assert client.get(url).status_code == 200
    connection = ChannelConnection.objects.get(channel=youtube_channel)
    change = reverse("admin:moderation_channelconnection_change", args=[connection.pk])
    client.post(change, {"access_token": "stolen"})
    connection.refresh_from_db()
    assert connections.token_decrypt(connection.access_token_encrypted) == TOKEN


def test_production_refuses_to_start_without_the_credentials_key():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **{k: v for k, v in os.environ.items() if k != "CHANNEL_CREDENTIALS_KEY"},
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "sociala-medier.orebro.se",
        "DATABASE_URL": "sqlite:///var/check.sqlite3",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "META_APP_SECRET": "check-only",
        "META_VERIFY_TOKEN": "check-only",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "CHANNEL_CREDENTIALS_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_the_linkedin_poll_fills_the_queue_and_a_repeat_changes_nothing(platform_http):
    organisation = "urn:li:organization:1000001"
    channel = ChannelFactory.create(
        connected=True, platform="linkedin", platform_account_id=organisation
    )
    connections.channel_connection_save(channel=channel, access_token=TOKEN, actor=system_user())

    def linkedin(name: str) -> CannedResponse:
        return CannedResponse(200, {}, payload_json(f"linkedin/{name}.json"))

    answers = [linkedin("posts_page"), linkedin("comments_page"), linkedin("comments_empty")]
    platform_http.responses.extend(answers)
    # The two posts and the organisation's answer are its own: registered, not queued.
    assert tasks.platform_poll("linkedin") == 5
    cursor = stored_cursor(channel)
    platform_http.responses.extend(answers)  # the overlap reads the newest comment again
    tasks.platform_poll("linkedin")
    items = Item.objects.filter(channel=channel)
    assert items.count() == 2
    assert all(item.versions.count() == 1 for item in items)
    assert stored_cursor(channel) == cursor
