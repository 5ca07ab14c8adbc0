"""/api/v1/channels/: public reads, scoped writes through the services, 400 on bad input,
constant query counts."""

import pytest
from django.core.management import call_command

from accounts.choices import Scope
from channels_app.choices import ArchivePhotoStatus, ChannelPlatform, RelayWeekStatus, RightsStatus
from channels_app.models import ArchivePhoto, Channel, RelayWeek
from tests.channels_app.factories import (
    ArchiveChannelFactory,
    ArchivePhotoFactory,
    AudienceFactFactory,
    RelayChannelFactory,
    RelayWeekFactory,
    image_file,
)
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/channels"


def test_public_channels_with_twins_and_facts(api_client):
    call_command("seed")
    ChannelFactory.create(slug="hidden", is_public=False)
    body = api_client.get(f"{BASE}/channels/", {"platform": "facebook"}).json()
    slugs = [c["slug"] for c in body["results"]]
    assert slugs == ["facebook-orebro-kommun", "facebook-orebro-kommun-teckensprak"]
    main = body["results"][0]
    assert [t["slug"] for t in main["sign_language_twins"]] == [
        "facebook-orebro-kommun-teckensprak"
    ]
    assert {(f["metric"], f["value"]) for f in main["audience_facts"]} == {
        ("past_year", "8 av 10"),
        ("daily", "6 av 10"),
    }
    assert "hidden" not in [
        c["slug"] for c in api_client.get(f"{BASE}/channels/").json()["results"]
    ]


def test_filters_by_role_and_status(api_client):
    call_command("seed")
    paused = api_client.get(f"{BASE}/channels/", {"status": "paused"}).json()["results"]
    assert [c["slug"] for c in paused] == ["podcast-sveriges-viktigaste-chefspodd"]
    relay = api_client.get(f"{BASE}/channels/", {"role": "relay"}).json()["results"]
    assert [c["slug"] for c in relay] == ["instagram-orebrokommun"]


def test_channel_list_query_count_is_constant(api_client, django_assert_max_num_queries):
    for n in range(3):
        twin_of = ChannelFactory.create(platform=ChannelPlatform.YOUTUBE)
        ChannelFactory.create(platform=ChannelPlatform.YOUTUBE, sign_language_counterpart=twin_of)
        AudienceFactFactory.create(platform=ChannelPlatform.YOUTUBE, order=n)
    with django_assert_max_num_queries(3):
        assert len(api_client.get(f"{BASE}/channels/").json()["results"]) == 6
    for _n in range(20):
        twin_of = ChannelFactory.create()
        ChannelFactory.create(sign_language_counterpart=twin_of)
        AudienceFactFactory.create()
    with django_assert_max_num_queries(3):
        assert len(api_client.get(f"{BASE}/channels/").json()["results"]) == 46


def test_anonymous_cannot_write(api_client):
    response = api_client.post(f"{BASE}/channels/", {"name": "X"})
    assert response.status_code in (401, 403)
    assert not Channel.objects.exists()


def test_integration_client_with_write_scope_creates_a_channel(token_client):
    client = token_client(Scope.CHANNELS_WRITE)
    response = client.post(
        f"{BASE}/channels/",
        {
            "platform": "linkedin",
            "name": "Örebro kommun – jobb",
            "slug": "linkedin-jobb",
            "role": "official",
            "url": "https://www.linkedin.com/company/orebro-jobb/",
        },
    )
    assert response.status_code == 201, response.json()
    channel = Channel.objects.get(slug="linkedin-jobb")
    assert channel.history.first().history_user.integration_client.scopes == ["channels:write"]


def test_read_scope_cannot_write(token_client):
    client = token_client(Scope.CHANNELS_READ)
    assert client.patch(f"{BASE}/channels/x/", {"name": "Y"}).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"url": "https://example.com/x"}, "url"),
        ({"url": "inte-en-url"}, "url"),
        ({"handle": "@med mellanslag"}, "handle"),
        ({"sign_language_counterpart": "self"}, "sign_language_counterpart"),
        ({"sign_language_counterpart": "facebook"}, "sign_language_counterpart"),
    ],
    ids=["foreign-url", "malformed-url", "malformed-handle", "twin-itself", "twin-other-platform"],
)
def test_bad_channel_input_is_400_and_nothing_changes(api_client, editor, change, field):
    channel = ChannelFactory.create(platform=ChannelPlatform.INSTAGRAM, slug="insta")
    facebook = ChannelFactory.create(platform=ChannelPlatform.FACEBOOK)
    targets = {"self": channel.pk, "facebook": facebook.pk}
    change = {k: targets.get(v, v) for k, v in change.items()}
    api_client.force_authenticate(editor)
    response = api_client.patch(f"{BASE}/channels/insta/", change)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["details"]
    before = Channel.objects.get(pk=channel.pk)
    assert (before.url, before.handle, before.sign_language_counterpart) == ("", "", None)


def test_relay_weeks_public_without_emails(api_client, django_assert_max_num_queries):
    channel = RelayChannelFactory.create()
    for week in range(1, 4):
        RelayWeekFactory.create(channel=channel, iso_week=week)
    RelayWeekFactory.create(channel=channel, iso_week=4, status=RelayWeekStatus.PROPOSED)
    with django_assert_max_num_queries(2):
        results = api_client.get(f"{BASE}/relay-weeks/").json()["results"]
    assert [w["iso_week"] for w in results] == [3, 2, 1]
    assert all("host_email" not in w for w in results)
    for week in range(5, 25):
        RelayWeekFactory.create(channel=channel, iso_week=week)
    with django_assert_max_num_queries(2):
        assert len(api_client.get(f"{BASE}/relay-weeks/").json()["results"]) == 23


def test_editors_see_every_booking_with_the_email(api_client, editor):
    RelayWeekFactory.create(status=RelayWeekStatus.PROPOSED, host_email="anna@orebro.se")
    api_client.force_authenticate(editor)
    results = api_client.get(f"{BASE}/relay-weeks/", {"status": "proposed"}).json()["results"]
    assert [w["host_email"] for w in results] == ["anna@orebro.se"]


def test_book_confirm_swap_and_cancel_through_the_api(api_client, editor):
    channel = RelayChannelFactory.create()
    api_client.force_authenticate(editor)
    payload = {
        "channel": channel.pk,
        "iso_year": 2027,
        "iso_week": 10,
        "host_name": "Anna Berg",
        "host_email": "anna@orebro.se",
    }
    first = api_client.post(f"{BASE}/relay-weeks/", payload).json()
    second = api_client.post(
        f"{BASE}/relay-weeks/", {**payload, "iso_week": 11, "host_name": "Bo Ek"}
    ).json()
    assert first["status"] == "proposed"
    confirmed = api_client.post(f"{BASE}/relay-weeks/{first['id']}/confirm/")
    assert confirmed.json()["status"] == "confirmed"
    swapped = api_client.post(f"{BASE}/relay-weeks/{first['id']}/swap/", {"other": second["id"]})
    assert swapped.json()["host_name"] == "Bo Ek"
    cancelled = api_client.post(f"{BASE}/relay-weeks/{first['id']}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    again = api_client.post(f"{BASE}/relay-weeks/{first['id']}/cancel/")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"iso_week": 10}, "Veckan har redan en värd på det här kontot."),
        ({"iso_week": 53}, "Vecka 53 finns inte år 2027."),
        ({"host_email": "inte-en-adress"}, None),
    ],
    ids=["two-hosts", "week-53", "bad-email"],
)
def test_bad_bookings_are_400_and_nothing_saved(api_client, editor, change, message):
    channel = RelayChannelFactory.create()
    RelayWeekFactory.create(channel=channel, iso_year=2027, iso_week=10)
    api_client.force_authenticate(editor)
    payload = {
        "channel": channel.pk,
        "iso_year": 2027,
        "iso_week": 11,
        "host_name": "Bo Ek",
        "host_email": "bo@orebro.se",
        **change,
    }
    response = api_client.post(f"{BASE}/relay-weeks/", payload)
    assert response.status_code == 400
    if message:
        assert message in str(response.json()["error"]["details"])
    assert RelayWeek.objects.count() == 1


def test_moderators_cannot_book(api_client, moderator):
    api_client.force_authenticate(moderator)
    assert api_client.post(f"{BASE}/relay-weeks/", {}).status_code == 403


def test_archive_photos_upload_schedule_and_publish(api_client, editor):
    channel = ArchiveChannelFactory.create()
    api_client.force_authenticate(editor)
    response = api_client.post(
        f"{BASE}/archive-photos/",
        {
            "channel": channel.pk,
            "archive_reference": "SAÖ-77",
            "title": "Järntorget 1910",
            "year": 1910,
            "rights_status": "public_domain",
            "image": image_file(),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    photo_id = response.json()["id"]
    scheduled = api_client.post(
        f"{BASE}/archive-photos/{photo_id}/schedule/", {"planned_year": 2027, "planned_week": 12}
    )
    assert scheduled.json()["status"] == "scheduled"
    published = api_client.post(
        f"{BASE}/archive-photos/{photo_id}/publish/",
        {"published_url": "https://www.instagram.com/p/abc/"},
    )
    assert published.json()["status"] == "published"


def test_a_non_image_upload_is_400(api_client, editor):
    api_client.force_authenticate(editor)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api_client.post(
        f"{BASE}/archive-photos/",
        {
            "channel": ArchiveChannelFactory.create().pk,
            "archive_reference": "SAÖ-78",
            "title": "Inte en bild",
            "image": SimpleUploadedFile("x.jpg", b"GIF89a....", content_type="image/jpeg"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "image" in response.json()["error"]["details"]
    assert not ArchivePhoto.objects.exists()


def test_scheduling_a_photo_with_unknown_rights_is_400(api_client, editor):
    photo = ArchivePhotoFactory.create(rights_status=RightsStatus.UNKNOWN)
    api_client.force_authenticate(editor)
    response = api_client.post(
        f"{BASE}/archive-photos/{photo.pk}/schedule/", {"planned_year": 2027, "planned_week": 12}
    )
    assert response.status_code == 400
    assert "rights_status" in response.json()["error"]["details"]
    photo.refresh_from_db()
    assert photo.status == ArchivePhotoStatus.DRAFT


def test_the_public_sees_only_published_photos(api_client, django_assert_max_num_queries):
    channel = ArchiveChannelFactory.create()
    ArchivePhotoFactory.create(channel=channel)
    for week in range(1, 6):
        ArchivePhotoFactory.create(
            channel=channel,
            status=ArchivePhotoStatus.PUBLISHED,
            planned_year=2026,
            planned_week=week,
            published_url="https://www.instagram.com/p/x/",
        )
    with django_assert_max_num_queries(2):
        results = api_client.get(f"{BASE}/archive-photos/").json()["results"]
    assert len(results) == 5
    assert {p["status"] for p in results} == {"published"}


def test_audience_facts_are_public(api_client):
    AudienceFactFactory.create(platform=ChannelPlatform.LINKEDIN, value="3 av 10")
    body = api_client.get(f"{BASE}/audience-facts/", {"platform": "linkedin"}).json()
    assert [f["value"] for f in body["results"]] == ["3 av 10"]


def test_integration_clients_book_with_the_write_scope_and_read_with_the_read_scope(
    token_client,
):
    channel = RelayChannelFactory.create()
    writer = token_client(Scope.CHANNELS_WRITE)
    payload = {
        "channel": channel.pk,
        "iso_year": 2027,
        "iso_week": 15,
        "host_name": "Cecilia Dahl",
        "host_email": "cecilia@orebro.se",
    }
    booked = writer.post(f"{BASE}/relay-weeks/", payload)
    assert booked.status_code == 201
    confirmed = writer.post(f"{BASE}/relay-weeks/{booked.json()['id']}/confirm/")
    assert confirmed.json()["status"] == "confirmed"
    reader = token_client(Scope.CHANNELS_READ)
    assert reader.post(f"{BASE}/relay-weeks/{booked.json()['id']}/cancel/").status_code == 403
    rows = reader.get(f"{BASE}/relay-weeks/").json()["results"]
    assert rows[0]["host_email"] == "cecilia@orebro.se"
    other = token_client(Scope.PODCASTS_WRITE)
    assert other.post(f"{BASE}/relay-weeks/", payload).status_code == 403
