"""Admin for editors: the register in Swedish, saves through the services, refusals shown on
the form with nothing saved, the coming weeks with their gaps."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from channels_app.choices import ChannelPlatform, RelayWeekStatus, RightsStatus
from channels_app.models import ArchivePhoto, Channel, RelayWeek
from channels_app.weeks import next_monday
from tests.channels_app.factories import (
    ArchiveChannelFactory,
    ArchivePhotoFactory,
    RelayChannelFactory,
    RelayWeekFactory,
    image_file,
)
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/channels_app"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def coming_week(offset=0):
    iso = (next_monday(timezone.localdate()) + timedelta(weeks=offset)).isocalendar()
    return iso.year, iso.week


def test_editor_sees_every_seeded_channel(editor_client):
    call_command("seed")
    page = editor_client.get(f"{ADMIN}/channel/").content.decode()
    for channel in Channel.objects.all():
        assert channel.name in page
    assert "Plattform" in page


def test_the_channel_page_shows_the_twins_side_by_side(editor_client):
    call_command("seed")
    main = Channel.objects.get(slug="facebook-orebro-kommun")
    page = editor_client.get(f"{ADMIN}/channel/{main.pk}/change/").content.decode()
    assert "Teckenspråkstvillingar" in page
    assert "Örebro kommun – Teckenspråk" in page
    twin = Channel.objects.get(slug="facebook-orebro-kommun-teckensprak")
    page = editor_client.get(f"{ADMIN}/channel/{twin.pk}/change/").content.decode()
    assert main.purpose in page


def channel_form(channel, **changes):
    data = {
        "platform": channel.platform,
        "role": channel.role,
        "name": channel.name,
        "slug": channel.slug,
        "handle": channel.handle,
        "url": channel.url,
        "purpose": channel.purpose,
        "audience": "",
        "owning_unit": "",
        "status": channel.status,
        "is_public": "on",
        "order": 0,
        "sign_language_counterpart": "",
        "supervision_interval_0": "1",
        "supervision_interval_1": "days",
        "records_policy": channel.records_policy,
        "sign_language_twins-TOTAL_FORMS": 0,
        "sign_language_twins-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_a_change_is_saved_through_the_service_with_history(editor_client, editor):
    channel = ChannelFactory.create()
    response = editor_client.post(
        f"{ADMIN}/channel/{channel.pk}/change/", channel_form(channel, name="Nytt namn")
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Nytt namn"
    assert channel.history.first().history_user == editor


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sign_language_counterpart": "facebook"}, "Teckenspråkstvillingen måste finnas på"),
        ({"sign_language_counterpart": "self"}, "En kanal kan inte vara sin egen"),
        ({"url": "https://example.com/x"}, "Adressen måste ligga på instagram.com"),
        ({"url": "inte en adress"}, "Ange en giltig URL."),
        ({"handle": "@med mellanslag"}, "Ett kontonamn"),
    ],
    ids=["twin-other-platform", "twin-itself", "foreign-url", "malformed-url", "bad-handle"],
)
def test_bad_channel_input_is_shown_in_swedish(editor_client, change, message):
    channel = ChannelFactory.create(platform=ChannelPlatform.INSTAGRAM)
    facebook = ChannelFactory.create(platform=ChannelPlatform.FACEBOOK)
    targets = {"self": channel.pk, "facebook": facebook.pk}
    change = {k: targets.get(v, v) for k, v in change.items()}
    response = editor_client.post(
        f"{ADMIN}/channel/{channel.pk}/change/", channel_form(channel, **change)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert channel.history.count() == 1  # only the creation


def relay_form(channel, year, week, **changes):
    return {
        "channel": channel.pk,
        "iso_year": year,
        "iso_week": week,
        "host_name": "Anna Berg",
        "host_title": "",
        "host_unit": "",
        "host_email": "anna@orebro.se",
        "topic": "",
        "status": "proposed",
        **changes,
    }


def test_an_editor_books_next_week(editor_client, editor):
    channel = RelayChannelFactory.create()
    year, week = coming_week()
    response = editor_client.post(f"{ADMIN}/relayweek/add/", relay_form(channel, year, week))
    assert response.status_code == 302
    booked = RelayWeek.objects.get()
    assert (booked.iso_year, booked.iso_week) == (year, week)
    assert booked.history.first().history_user == editor


def test_two_hosts_in_one_week_are_refused_in_swedish(editor_client):
    existing = RelayWeekFactory.create(iso_year=2027, iso_week=10)
    response = editor_client.post(f"{ADMIN}/relayweek/add/", relay_form(existing.channel, 2027, 10))
    assert "Veckan har redan en värd på det här kontot." in response.content.decode()
    assert RelayWeek.objects.count() == 1


def test_week_53_of_a_short_year_is_refused_in_swedish(editor_client):
    response = editor_client.post(
        f"{ADMIN}/relayweek/add/", relay_form(RelayChannelFactory.create(), 2027, 53)
    )
    assert "Vecka 53 finns inte år 2027." in response.content.decode()
    assert not RelayWeek.objects.exists()


def test_the_rota_shows_the_coming_weeks_and_warns_of_gaps(editor_client):
    channel = RelayChannelFactory.create(name="@orebrokommun")
    year, week = coming_week()
    RelayWeekFactory.create(channel=channel, iso_year=year, iso_week=week, host_name="Anna Berg")
    response = editor_client.get(f"{ADMIN}/relayweek/rota/")
    page = response.content.decode()
    assert "Anna Berg" in page
    assert page.count("Lucka – inget planerat") == 11
    _gap_year, gap_week = coming_week(1)
    assert f"@orebrokommun saknar planering för vecka {gap_week}" in page
    assert f"iso_week={gap_week}" in page
    assert "Kommande veckor" in editor_client.get(f"{ADMIN}/relayweek/").content.decode()


def test_admin_actions_confirm_and_cancel(editor_client):
    week = RelayWeekFactory.create(status=RelayWeekStatus.PROPOSED)
    editor_client.post(f"{ADMIN}/relayweek/", {"action": "confirm", "_selected_action": [week.pk]})
    week.refresh_from_db()
    assert week.status == RelayWeekStatus.CONFIRMED
    editor_client.post(f"{ADMIN}/relayweek/", {"action": "cancel", "_selected_action": [week.pk]})
    week.refresh_from_db()
    assert week.status == RelayWeekStatus.CANCELLED


def photo_form(channel, **changes):
    return {
        "channel": channel.pk,
        "archive_reference": "SAÖ-5",
        "title": "Slottet",
        "caption": "",
        "year": "",
        "decade": "1930",
        "place": "",
        "photographer": "",
        "image": image_file(),
        "rights_status": RightsStatus.MUNICIPAL,
        "rights_note": "",
        "planned_year": "",
        "planned_week": "",
        "status": "draft",
        "published_url": "",
        **changes,
    }


def test_an_editor_schedules_a_photo(editor_client):
    channel = ArchiveChannelFactory.create()
    year, week = coming_week()
    response = editor_client.post(
        f"{ADMIN}/archivephoto/add/",
        photo_form(channel, planned_year=year, planned_week=week, status="scheduled"),
    )
    assert response.status_code == 302
    assert ArchivePhoto.objects.get().planned_week == week
    plan = editor_client.get(f"{ADMIN}/archivephoto/plan/").content.decode()
    assert "Slottet" in plan


def test_unknown_rights_cannot_be_scheduled_in_admin(editor_client):
    response = editor_client.post(
        f"{ADMIN}/archivephoto/add/",
        photo_form(
            ArchiveChannelFactory.create(),
            rights_status=RightsStatus.UNKNOWN,
            planned_year=2027,
            planned_week=10,
            status="scheduled",
        ),
    )
    assert "En bild med okända rättigheter kan inte planeras" in response.content.decode()
    assert not ArchivePhoto.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_in_admin(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = editor_client.post(
        f"{ADMIN}/archivephoto/add/", photo_form(ArchiveChannelFactory.create(), image=fake)
    )
    assert response.status_code == 200
    assert "bild" in response.content.decode()
    assert not ArchivePhoto.objects.exists()


def test_the_plan_warns_when_next_week_is_empty(editor_client):
    ArchiveChannelFactory.create(name="Tillbakablick Örebro")
    ArchivePhotoFactory.create()
    _year, week = coming_week()
    page = editor_client.get(f"{ADMIN}/archivephoto/plan/").content.decode()
    assert f"Tillbakablick Örebro saknar planering för vecka {week}." in page


def test_nobody_deletes_and_moderators_cannot_change(client, moderator, editor_client):
    channel = ChannelFactory.create()
    assert editor_client.get(f"{ADMIN}/channel/{channel.pk}/delete/").status_code == 403
    client.force_login(moderator)
    assert client.get(f"{ADMIN}/relayweek/").status_code == 403
    assert client.get(f"{ADMIN}/relayweek/rota/").status_code == 403
    response = client.post(f"{ADMIN}/channel/{channel.pk}/change/", channel_form(channel))
    assert response.status_code == 403


def test_the_admin_index_lists_the_register_in_swedish(editor_client):
    page = editor_client.get("/admin/").content.decode()
    for label in ("Kanalregister", "Kanaler", "Stafettveckor", "Arkivbilder", "Målgruppsuppgifter"):
        assert label in page


def test_swap_action_needs_exactly_two_weeks(editor_client):
    first = RelayWeekFactory.create(iso_week=20, host_name="Anna")
    second = RelayWeekFactory.create(channel=first.channel, iso_week=21, host_name="Bo")
    response = editor_client.post(
        f"{ADMIN}/relayweek/", {"action": "swap", "_selected_action": [first.pk]}, follow=True
    )
    assert "Markera exakt två veckor för att byta." in response.content.decode()
    response = editor_client.post(
        f"{ADMIN}/relayweek/",
        {"action": "swap", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "Värdarna har bytt veckor." in response.content.decode()
    first.refresh_from_db()
    assert first.host_name == "Bo"


def test_the_add_form_takes_the_gap_week_from_the_link(editor_client):
    channel = RelayChannelFactory.create()
    page = editor_client.get(
        f"{ADMIN}/relayweek/add/?channel={channel.pk}&iso_year=2027&iso_week=12"
    ).content.decode()
    assert 'name="iso_week" value="12"' in page


def test_a_new_booking_cannot_start_as_done(editor_client):
    response = editor_client.post(
        f"{ADMIN}/relayweek/add/", relay_form(RelayChannelFactory.create(), 2027, 12, status="done")
    )
    assert response.status_code == 200
    assert "En ny bokning är föreslagen eller bekräftad." in response.content.decode()
    assert not RelayWeek.objects.exists()


def test_the_supervision_interval_is_set_and_shown_in_working_days_and_hours(editor_client, editor):
    from datetime import timedelta

    channel = ChannelFactory.create()
    url = f"{ADMIN}/channel/{channel.pk}/change/"
    form = editor_client.get(url).content.decode()
    assert 'value="1"' in form
    assert '<option value="days" selected>arbetsdagar</option>' in form
    response = editor_client.post(
        url,
        channel_form(channel, supervision_interval_0="4", supervision_interval_1="hours"),
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.supervision_interval == timedelta(hours=4)
    listing = editor_client.get(f"{ADMIN}/channel/").content.decode()
    assert "4 arbetstimmar" in listing
    assert "4:00:00" not in listing


def test_working_time_in_words():
    from datetime import timedelta

    from channels_app.forms import working_time_words

    assert working_time_words(timedelta(days=1)) == "1 arbetsdag"
    assert working_time_words(timedelta(days=2, hours=4)) == "2 arbetsdagar och 4 arbetstimmar"
    assert working_time_words(timedelta(hours=1)) == "1 arbetstimme"
