"""Staff pages are Swedish through and through: the third-party admin pages (history, periodic
tasks), scopes and durations in words."""

import pytest
from django.core.management import call_command

from accounts.choices import Scope
from channels_app.models import Channel

pytestmark = pytest.mark.django_db

ENGLISH = (
    "Periodic Tasks",
    "periodic tasks",
    "Interval Schedule",
    "Last Run Datetime",
    "Enabled",
    "Changed by",
    "Change reason",
    "Date/time",
    "View history",
    ">None<",
)


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    return client


def _english(page: str) -> list[str]:
    return [word for word in ENGLISH if word in page]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/django_celery_beat/periodictask/",
        "/admin/django_celery_beat/periodictask/add/",
        "/admin/django_celery_beat/intervalschedule/add/",
        "/admin/django_celery_beat/crontabschedule/add/",
    ],
)
def test_the_periodic_tasks_admin_is_swedish(admin_client, path):
    page = admin_client.get(path).content.decode()
    assert _english(page) == []
    assert "Schemalagda uppgifter" in page


def test_a_history_page_is_swedish(admin_client):
    call_command("seed")
    channel = Channel.objects.get(slug="facebook-orebro-kommun")
    page = admin_client.get(f"/admin/channels_app/channel/{channel.pk}/history/").content.decode()
    assert _english(page) == []
    assert "Ändrad av" in page
    assert "Skapad" in page


def test_scopes_are_listed_in_words(admin_client, make_integration):
    make_integration(Scope.RECORDS_READ)
    page = admin_client.get("/admin/accounts/integrationclient/").content.decode()
    assert "records:read" not in page
    assert str(Scope.RECORDS_READ.label) in page


def test_a_history_page_tells_each_change_in_words(admin_client, editor):
    from channels_app import services

    call_command("seed")
    channel = Channel.objects.get(slug="podcast-vardagshjaltarna")
    services.channel_update(channel=channel, actor=editor, status="paused", is_public=False)
    page = admin_client.get(f"/admin/channels_app/channel/{channel.pk}/history/").content.decode()
    assert "<strong>Status:</strong> Aktiv" in page
    assert "Pausad" in page
    assert "paused" not in page
    assert "True" not in page
