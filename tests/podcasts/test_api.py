"""/api/v1/podcasts/: public reads of published episodes, editors and podcasts:write clients
create, change, publish, schedule and unpublish; scopes are enforced."""

from datetime import timedelta

import pytest
from django.utils import timezone

from podcasts.models import Episode
from tests.podcasts import fixtures
from tests.podcasts.factories import EpisodeFactory, ShowFactory

pytestmark = pytest.mark.django_db


def test_public_reads_shows_and_published_episodes_only(api_client):
    show = ShowFactory.create()
    EpisodeFactory.create(show=show, number=1)
    EpisodeFactory.create(show=show, number=2, publish=False)
    shows = api_client.get("/api/v1/podcasts/shows/").json()["results"]
    assert [s["slug"] for s in shows] == [show.slug]
    assert shows[0]["podcast_guid"] == str(show.podcast_guid)
    assert shows[0]["feed_url"].endswith(f"/poddar/{show.slug}/feed.xml")
    episodes = api_client.get("/api/v1/podcasts/episodes/").json()["results"]
    assert [e["number"] for e in episodes] == [1]
    assert episodes[0]["guests"] == [
        {"name": "Sara Ek", "job_title": "Lokalvårdare", "unit": "Servicenämnden"}
    ]
    assert episodes[0]["audio_url"].startswith("http")
    assert api_client.post("/api/v1/podcasts/episodes/", {}).status_code in {401, 403}


def test_editor_sees_drafts(api_client, editor):
    EpisodeFactory.create(publish=False)
    api_client.force_authenticate(editor)
    assert len(api_client.get("/api/v1/podcasts/episodes/").json()["results"]) == 1


def test_client_with_write_scope_uploads_schedules_and_unpublishes(token_client):
    client = token_client("podcasts:read", "podcasts:write")
    show = ShowFactory.create()
    response = client.post(
        "/api/v1/podcasts/episodes/",
        {
            "show": show.slug,
            "number": 1,
            "title": "Socialsekreteraren",
            "description": "Ett jobb som gör skillnad.",
            "audio": fixtures.audio(),
            "transcript": fixtures.transcript(),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "draft"
    assert created["audio_duration"] == 5
    pk = created["id"]
    when = (timezone.now() + timedelta(days=1)).isoformat()
    scheduled = client.post(f"/api/v1/podcasts/episodes/{pk}/schedule/", {"publish_at": when})
    assert scheduled.status_code == 200, scheduled.json()
    assert scheduled.json()["status"] == "scheduled"
    gone = client.post(f"/api/v1/podcasts/episodes/{pk}/unpublish/")
    assert gone.json()["status"] == "unpublished"
    published = client.post(f"/api/v1/podcasts/episodes/{pk}/publish/")
    assert published.json()["status"] == "published"
    again = client.post(f"/api/v1/podcasts/episodes/{pk}/publish/")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_published"


def test_publish_without_transcript_is_400_in_swedish(api_client, editor):
    episode = EpisodeFactory.create(publish=False, transcript=None)
    api_client.force_authenticate(editor)
    response = api_client.post(
        f"/api/v1/podcasts/episodes/{episode.pk}/publish/", HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert "utan transkribering" in details["transcript"][0]
    episode.refresh_from_db()
    assert episode.status == "draft"


def test_bad_upload_over_the_api_saves_nothing(api_client, editor):
    api_client.force_authenticate(editor)
    response = api_client.post(
        "/api/v1/podcasts/episodes/",
        {
            "show": ShowFactory.create().slug,
            "number": 1,
            "title": "Wav",
            "description": "x",
            "audio": fixtures.upload("a.wav", fixtures.wav_bytes()),
        },
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 400
    assert "WAV-filer tas inte emot" in response.json()["error"]["details"]["audio"][0]
    assert not Episode.objects.exists()


def test_read_scope_cannot_write(token_client):
    episode = EpisodeFactory.create(publish=False)
    client = token_client("podcasts:read")
    assert client.get("/api/v1/podcasts/episodes/").json()["results"][0]["status"] == "draft"
    assert client.post(f"/api/v1/podcasts/episodes/{episode.pk}/publish/").status_code == 403
    url = f"/api/v1/podcasts/episodes/{episode.pk}/"
    assert client.patch(url, {"title": "x"}).status_code == 403


def test_other_scopes_and_roles_cannot_publish(token_client, api_client, moderator):
    episode = EpisodeFactory.create(publish=False)
    assert (
        token_client("channels:write")
        .post(f"/api/v1/podcasts/episodes/{episode.pk}/publish/")
        .status_code
        == 403
    )
    api_client.force_authenticate(moderator)
    assert api_client.post(f"/api/v1/podcasts/episodes/{episode.pk}/publish/").status_code == 403


def test_editor_changes_a_show_and_the_guid_stays(api_client, editor):
    show = ShowFactory.create()
    api_client.force_authenticate(editor)
    response = api_client.patch(
        f"/api/v1/podcasts/shows/{show.pk}/", {"title": "Ny titel", "podcast_guid": "x"}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Ny titel"
    assert response.json()["podcast_guid"] == str(show.podcast_guid)


def test_episode_list_query_count_is_constant(api_client, django_assert_max_num_queries):
    show = ShowFactory.create()
    for number in range(1, 4):
        EpisodeFactory.create(show=show, number=number)
    with django_assert_max_num_queries(4):
        assert len(api_client.get("/api/v1/podcasts/episodes/").json()["results"]) == 3
    for number in range(4, 10):
        EpisodeFactory.create(show=show, number=number)
    with django_assert_max_num_queries(4):
        assert len(api_client.get("/api/v1/podcasts/episodes/").json()["results"]) == 9
    with django_assert_max_num_queries(3):
        api_client.get("/api/v1/podcasts/shows/")
