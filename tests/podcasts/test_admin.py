"""Admin for editors: upload with guests, the conformance panel and feed preview, the
publishing actions, and a bad upload refused in Swedish."""

import pytest

from podcasts.models import Episode
from tests.podcasts import fixtures
from tests.podcasts.factories import EpisodeFactory, ShowFactory

pytestmark = pytest.mark.django_db


def _form(show, **overrides):
    data = {
        "show": show.pk,
        "number": 1,
        "episode_type": "full",
        "title": "Kocken",
        "description": "Om att laga mat till tusen elever.",
        "publish_at_0": "",
        "publish_at_1": "",
        "audio": fixtures.audio(),
        "transcript": fixtures.transcript(),
        "guests-TOTAL_FORMS": "1",
        "guests-INITIAL_FORMS": "0",
        "guests-MIN_NUM_FORMS": "0",
        "guests-MAX_NUM_FORMS": "1000",
        "guests-0-name": "Ali Berg",
        "guests-0-job_title": "Kock",
        "guests-0-unit": "Måltidsservice",
    }
    data.update(overrides)
    return data


def test_editor_uploads_an_episode_in_admin(client, editor):
    show = ShowFactory.create()
    client.force_login(editor)
    response = client.post("/admin/podcasts/episode/add/", _form(show))
    assert response.status_code == 302, response.context["adminform"].form.errors
    episode = Episode.objects.get()
    assert episode.audio_duration == 5
    assert [g.name for g in episode.guests.all()] == ["Ali Berg"]
    assert episode.history.first().history_user == editor

    page = client.get(f"/admin/podcasts/episode/{episode.pk}/change/").content.decode()
    assert "Kontroll mot apparnas krav" in page
    assert "Spotify tar bara emot ett flöde som har ett publicerat avsnitt." in page
    assert "&lt;enclosure" in page
    assert "podcast:transcript" in page


def test_bad_upload_in_admin_shows_the_swedish_message_and_saves_nothing(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/podcasts/episode/add/",
        _form(ShowFactory.create(), audio=fixtures.upload("a.m4a", fixtures.mp3_bytes())),
    )
    assert response.status_code == 200
    assert "MP3-ljud men namnet slutar på ”.m4a”" in response.content.decode()
    assert not Episode.objects.exists()


def test_publish_action_refuses_without_transcript(client, editor):
    ready = EpisodeFactory.create(publish=False)
    missing = EpisodeFactory.create(publish=False, transcript=None, show=ready.show)
    client.force_login(editor)
    response = client.post(
        "/admin/podcasts/episode/",
        {"action": "publish", "_selected_action": [ready.pk, missing.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "1 avsnitt publicerade." in text
    assert "utan transkribering" in text
    ready.refresh_from_db()
    missing.refresh_from_db()
    assert (ready.status, missing.status) == ("published", "draft")


def test_unpublish_action_keeps_the_episode(client, editor):
    episode = EpisodeFactory.create()
    client.force_login(editor)
    client.post(
        "/admin/podcasts/episode/", {"action": "unpublish", "_selected_action": [episode.pk]}
    )
    episode.refresh_from_db()
    assert episode.status == "unpublished"
    assert client.get(f"/admin/podcasts/episode/{episode.pk}/history/").status_code == 200
    assert client.get(f"/admin/podcasts/episode/{episode.pk}/delete/").status_code == 403


def test_show_admin_lists_what_apple_would_reject(client, editor):
    show = ShowFactory.create(artwork=None, artwork_alt="")
    client.force_login(editor)
    page = client.get(f"/admin/podcasts/show/{show.pk}/change/").content.decode()
    assert "Podden saknar omslagsbild (itunes:image krävs)." in page
    assert show.feed_url in page


def test_moderator_has_no_podcast_admin(client, moderator):
    client.force_login(moderator)
    assert client.get("/admin/podcasts/episode/").status_code == 403


def test_done_when_upload_schedule_task_publishes_and_feed_validates(client, editor, time_machine):
    """The issue's acceptance path: upload in admin, schedule, the beat task publishes, and the
    feed parses with the new episode in it."""
    import io
    from datetime import timedelta

    import feedparser
    import podcastparser
    from django.utils import timezone

    from podcasts.tasks import episodes_publish_due

    show = ShowFactory.create()
    client.force_login(editor)
    when = timezone.localtime() + timedelta(hours=3)
    form = _form(
        show, publish_at_0=when.strftime("%Y-%m-%d"), publish_at_1=when.strftime("%H:%M:%S")
    )
    assert client.post("/admin/podcasts/episode/add/", form).status_code == 302
    episode = Episode.objects.get()
    client.post(
        "/admin/podcasts/episode/", {"action": "schedule", "_selected_action": [episode.pk]}
    )
    episode.refresh_from_db()
    assert episode.status == "scheduled"
    feed_url = f"/poddar/{show.slug}/feed.xml"
    assert feedparser.parse(client.get(feed_url).content).entries == []

    time_machine.move_to(when + timedelta(minutes=1))
    episodes_publish_due.delay()
    body = client.get(feed_url).content
    parsed = feedparser.parse(body)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["Kocken"]
    assert podcastparser.parse(show.feed_url, io.BytesIO(body))["episodes"][0]["title"] == "Kocken"
