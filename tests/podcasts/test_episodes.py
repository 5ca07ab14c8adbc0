"""Episodes through the services: uploads read and checked, the publishing gate, scheduling by
the periodic task, unpublishing, fixed identity. Bad input: a Swedish message, nothing saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts.services import system_user
from core.exceptions import ApplicationError
from podcasts import services, tasks
from podcasts.choices import EpisodeStatus, ShowStatus
from podcasts.models import Episode, EpisodeGuest
from tests.podcasts import fixtures
from tests.podcasts.factories import EpisodeFactory, ShowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def _fields(**overrides):
    fields = {
        "number": 1,
        "title": "Brandmannen",
        "description": "Om ett jobb där ingen dag är den andra lik.",
        "audio": fixtures.audio(),
        "transcript": fixtures.transcript(),
    }
    fields.update(overrides)
    return fields


def test_editor_uploads_an_episode_and_the_files_are_read(editor):
    show = ShowFactory.create()
    episode = services.episode_create(
        show=show,
        actor=editor,
        guests=[{"name": "Sara Ek", "job_title": "Brandman", "unit": "Nerikes brandkår"}],
        sign_language_video=fixtures.video(),
        **_fields(),
    )
    assert episode.status == EpisodeStatus.DRAFT
    assert episode.audio_type == "audio/mpeg"
    assert episode.audio_size == len(fixtures.mp3_bytes())
    assert episode.audio_duration == 5
    assert episode.audio_bitrate == 128
    assert episode.sign_language_video_size == len(fixtures.mp4_video_bytes())
    assert str(episode.audio.name).endswith(".mp3")
    assert [str(g) for g in episode.guests.all()] == ["Sara Ek, Brandman, Nerikes brandkår"]


def test_m4a_is_accepted(editor):
    episode = services.episode_create(
        show=ShowFactory.create(),
        actor=editor,
        **_fields(audio=fixtures.upload("a.m4a", fixtures.m4a_bytes(seconds=7, kbps=160))),
    )
    assert (episode.audio_type, episode.audio_duration, episode.audio_bitrate) == (
        "audio/x-m4a",
        7,
        160,
    )


BAD_INPUT = [
    ("audio", fixtures.upload("a.wav", fixtures.wav_bytes()), "WAV-filer tas inte emot"),
    ("audio", fixtures.upload("a.mp3", b"ID3" + bytes(4000)), "skadad"),
    ("audio", fixtures.upload("a.mp3", b"\xff\xfb\x90\xc4" + bytes(300)), "skadad"),
    ("audio", fixtures.upload("a.m4a", fixtures.mp3_bytes()), "MP3-ljud men namnet slutar"),
    ("audio", fixtures.upload("a.mp3", fixtures.mp3_bytes(kbps=64)), "Bithastigheten"),
    ("transcript", fixtures.upload("a.vtt", "1\n00:00:01,000 --> 00:00:02,000\nHej\n"), "WebVTT"),
    ("transcript", fixtures.upload("a.srt", fixtures.VTT), ".vtt"),
    (
        "transcript",
        fixtures.upload("a.vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHej\n"),
        "talare",
    ),
    ("sign_language_video", fixtures.upload("a.mp4", fixtures.mp3_bytes()), "MP4"),
    ("title", "x" * 256, "255 tecken"),
    ("description", "å" * 2001, "4000 byte"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT)
def test_bad_input_is_refused_in_swedish_and_nothing_is_saved(editor, field, value, message):
    show = ShowFactory.create()
    with pytest.raises(ValidationError) as error:
        services.episode_create(show=show, actor=editor, **_fields(**{field: value}))
    assert message in " ".join(error.value.message_dict[field])
    assert not Episode.objects.exists()
    assert not EpisodeGuest.objects.exists()


def test_duplicate_episode_number_is_refused(editor):
    show = ShowFactory.create()
    services.episode_create(show=show, actor=editor, **_fields())
    with pytest.raises(ValidationError) as error:
        services.episode_create(show=show, actor=editor, **_fields(title="Ett annat"))
    assert error.value.message_dict["number"] == ["Podden har redan ett avsnitt nummer 1."]
    assert Episode.objects.count() == 1
    # Another show may use the same number.
    services.episode_create(show=ShowFactory.create(), actor=editor, **_fields())


def test_publish_without_transcript_is_refused_and_nothing_changes(editor):
    episode = services.episode_create(
        show=ShowFactory.create(), actor=editor, **_fields(transcript=None)
    )
    for attempt in (
        lambda: services.episode_publish(episode=episode, actor=editor),
        lambda: services.episode_schedule(
            episode=episode, publish_at=timezone.now() + timedelta(hours=1), actor=editor
        ),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "utan transkribering" in error.value.message_dict["transcript"][0]
        assert "2018:1937" in error.value.message_dict["transcript"][0]
        episode.refresh_from_db()
        assert episode.status == EpisodeStatus.DRAFT
        assert episode.published_at is None
        assert episode.history.count() == 1


def test_scheduled_episode_is_published_by_the_periodic_task(editor, time_machine):
    episode = EpisodeFactory.create(publish=False)
    publish_at = timezone.now() + timedelta(hours=2)
    services.episode_schedule(episode=episode, publish_at=publish_at, actor=editor)
    assert tasks.episodes_publish_due.delay().get() == 0
    time_machine.move_to(publish_at + timedelta(seconds=30))
    assert tasks.episodes_publish_due.delay().get() == 1
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.PUBLISHED
    assert episode.published_at == publish_at
    assert episode.history.first().history_user == system_user()


def test_the_beat_schedule_runs_the_task():
    from config.schedule import BEAT_SCHEDULE

    assert any(
        entry["task"] == "podcasts.tasks.episodes_publish_due" for entry in BEAT_SCHEDULE.values()
    )


def test_unpublish_keeps_the_episode_and_its_history(editor):
    episode = EpisodeFactory.create()
    services.episode_unpublish(episode=episode, actor=editor)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.UNPUBLISHED
    assert [h.status for h in episode.history.all()][:2] == ["unpublished", "published"]
    services.episode_publish(episode=episode, actor=editor)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.PUBLISHED


def test_replaced_audio_gets_a_new_url_and_the_guid_never_changes(editor):
    episode = EpisodeFactory.create()
    guid, old_name = episode.guid, episode.audio.name
    services.episode_update(
        episode=episode, actor=editor, audio=fixtures.audio(seconds=9), title="Nytt namn"
    )
    episode.refresh_from_db()
    assert episode.audio.name != old_name
    assert episode.audio_duration == 9
    assert episode.guid == guid


def test_paused_show_takes_no_new_episode_but_keeps_its_own(editor):
    episode = EpisodeFactory.create()
    show = services.show_update(
        show=episode.show, actor=editor, status=ShowStatus.PAUSED, update_frequency_text="Pausad"
    )
    with pytest.raises(ValidationError) as error:
        services.episode_create(show=show, actor=editor, **_fields(number=99))
    assert "tar inte emot nya avsnitt" in error.value.message_dict["show"][0]
    services.episode_unpublish(episode=episode, actor=editor)
    services.episode_publish(episode=episode, actor=editor)  # an earlier episode may come back


def test_publishing_twice_is_a_conflict(editor):
    episode = EpisodeFactory.create()
    with pytest.raises(ApplicationError):
        services.episode_publish(episode=episode, actor=editor)


@pytest.mark.parametrize("role", ["moderator", "registrar"])
def test_only_editors_write(make_user, role):
    with pytest.raises(PermissionDenied):
        services.episode_create(show=ShowFactory.create(), actor=make_user(role), **_fields())


def test_podcast_guid_is_uuid5_of_the_feed_url_and_set_once(editor):
    import uuid

    show = ShowFactory.create(slug="vardagshjaltarna")
    address = show.feed_url.split("://", 1)[1]
    assert show.podcast_guid == uuid.uuid5(
        uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), address
    )
    guid = show.podcast_guid
    services.show_update(show=show, actor=editor, slug="nytt-namn")
    show.refresh_from_db()
    assert show.podcast_guid == guid


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (fixtures.artwork(size=1000), "mellan 1400 och 3000"),
        (fixtures.upload("a.jpg", fixtures.image_bytes(mode="CMYK", fmt="JPEG")), "RGB"),
        (fixtures.upload("a.png", fixtures.image_bytes(fmt="JPEG")), "JPEG-bild men"),
        (fixtures.artwork(height=1500), "kvadratisk"),
        (fixtures.upload("a.gif", fixtures.image_bytes(fmt="GIF", mode="P")), "JPEG eller PNG"),
    ],
)
def test_bad_artwork_is_refused(editor, upload, message):
    show = ShowFactory.create()
    before = show.artwork.name
    with pytest.raises(ValidationError) as error:
        services.show_update(show=show, actor=editor, artwork=upload)
    assert message in error.value.message_dict["artwork"][0]
    show.refresh_from_db()
    assert show.artwork.name == before


def test_apple_category_must_be_on_apples_list(editor):
    with pytest.raises(ValidationError) as error:
        services.show_update(show=ShowFactory.create(), actor=editor, apple_category="Podcasts")
    assert "apple_category" in error.value.message_dict
