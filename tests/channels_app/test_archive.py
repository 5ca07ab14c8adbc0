"""Tillbakablick: archive photos, one post a week, the copyright rule, image checks, the alert."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from accounts.services import system_user
from channels_app import services
from channels_app.choices import ArchivePhotoStatus, RightsStatus
from channels_app.models import ArchivePhoto
from core.exceptions import ApplicationError
from tests.channels_app.factories import (
    ArchiveChannelFactory,
    ArchivePhotoFactory,
    RelayChannelFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


def create(editor, channel, **fields):
    values = {
        "channel": channel,
        "archive_reference": "SAÖ-1",
        "title": "Slottet 1932",
        "image": image_file(),
        "rights_status": RightsStatus.MUNICIPAL,
        **fields,
    }
    return services.archive_photo_create(actor=editor, **values)


def test_create_schedule_and_publish(editor):
    photo = create(editor, ArchiveChannelFactory.create())
    services.archive_photo_schedule(photo=photo, planned_year=2027, planned_week=10, actor=editor)
    assert photo.status == ArchivePhotoStatus.SCHEDULED
    services.archive_photo_publish(
        photo=photo, published_url="https://www.instagram.com/p/abc/", actor=editor
    )
    photo.refresh_from_db()
    assert photo.status == ArchivePhotoStatus.PUBLISHED
    assert photo.history.count() == 3


def test_a_photo_with_unknown_rights_cannot_be_scheduled(editor):
    photo = ArchivePhotoFactory.create(rights_status=RightsStatus.UNKNOWN)
    with pytest.raises(ValidationError) as error:
        services.archive_photo_schedule(
            photo=photo, planned_year=2027, planned_week=10, actor=editor
        )
    assert error.value.message_dict["rights_status"] == [
        "En bild med okända rättigheter kan inte planeras: "
        "ta först reda på vem som har rättigheterna."
    ]
    photo.refresh_from_db()
    assert photo.status == ArchivePhotoStatus.DRAFT
    assert photo.planned_week is None


def test_the_database_refuses_a_planned_photo_with_unknown_rights():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArchivePhotoFactory.create(
            rights_status=RightsStatus.UNKNOWN,
            status=ArchivePhotoStatus.SCHEDULED,
            planned_year=2027,
            planned_week=3,
        )


def test_one_post_a_week(editor):
    first = ArchivePhotoFactory.create()
    second = ArchivePhotoFactory.create(channel=first.channel)
    services.archive_photo_schedule(photo=first, planned_year=2027, planned_week=10, actor=editor)
    with pytest.raises(ValidationError) as error:
        services.archive_photo_schedule(
            photo=second, planned_year=2027, planned_week=10, actor=editor
        )
    assert "En annan bild är redan planerad den här veckan." in error.value.messages
    assert ArchivePhoto.objects.filter(planned_week=10).count() == 1


def test_week_53_of_a_short_year_is_refused(editor):
    photo = ArchivePhotoFactory.create()
    with pytest.raises(ValidationError) as error:
        services.archive_photo_schedule(
            photo=photo, planned_year=2027, planned_week=53, actor=editor
        )
    assert "planned_week" in error.value.message_dict


def test_unschedule_frees_the_week(editor):
    photo = ArchivePhotoFactory.create()
    services.archive_photo_schedule(photo=photo, planned_year=2027, planned_week=10, actor=editor)
    services.archive_photo_unschedule(photo=photo, actor=editor)
    assert (photo.status, photo.planned_week) == (ArchivePhotoStatus.DRAFT, None)
    with pytest.raises(ApplicationError):
        services.archive_photo_publish(
            photo=photo, published_url="https://www.instagram.com/p/x/", actor=editor
        )


def test_the_published_address_must_be_instagram(editor):
    photo = ArchivePhotoFactory.create()
    services.archive_photo_schedule(photo=photo, planned_year=2027, planned_week=10, actor=editor)
    with pytest.raises(ValidationError) as error:
        services.archive_photo_publish(
            photo=photo, published_url="https://example.com/p/1", actor=editor
        )
    assert "published_url" in error.value.message_dict


def test_a_licensed_photo_names_its_licence(editor):
    with pytest.raises(ValidationError) as error:
        create(editor, ArchiveChannelFactory.create(), rights_status=RightsStatus.LICENSED)
    assert "rights_note" in error.value.message_dict


def test_photos_belong_to_an_archive_account(editor):
    with pytest.raises(ValidationError) as error:
        create(editor, RelayChannelFactory.create())
    assert "channel" in error.value.message_dict


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg"),
            "Filen är inte en läsbar JPEG- eller PNG-bild.",
        ),
        (image_file("x.gif", kind="GIF"), "Bilden måste vara en JPEG- eller PNG-fil."),
        (image_file("x.jpg", size=(200, 150)), "Bilden måste vara mellan 320 och 8000 pixlar"),
        (image_file("x.png", size=(8001, 400), kind="PNG"), "Bilden måste vara mellan"),
    ],
    ids=["not-an-image", "gif", "too-small", "too-wide"],
)
def test_the_image_is_checked_on_upload(editor, upload, message):
    with pytest.raises(ValidationError) as error:
        create(editor, ArchiveChannelFactory.create(), image=upload)
    assert message in error.value.message_dict["image"][0]
    assert not ArchivePhoto.objects.exists()


def test_a_too_large_file_is_refused(editor, monkeypatch):
    from channels_app import validators

    monkeypatch.setattr(validators, "IMAGE_MAX_BYTES", 1000)
    with pytest.raises(ValidationError) as error:
        create(editor, ArchiveChannelFactory.create())
    assert "högst" in error.value.message_dict["image"][0]


def test_a_png_is_accepted(editor):
    photo = create(editor, ArchiveChannelFactory.create(), image=image_file("x.png", kind="PNG"))
    assert photo.image.name.startswith("tillbakablick/")


def test_alert_when_next_week_is_empty(editor):
    channel = ArchiveChannelFactory.create(name="Tillbakablick Örebro")
    gaps = services.archive_gap_alert(today=date(2027, 3, 4), actor=system_user())
    assert [(c, y, w) for c, y, w in gaps] == [(channel, 2027, 10)]
    assert mail.outbox[0].to == [editor.email]
    assert "Tillbakablick Örebro: vecka 10 2027" in mail.outbox[0].body
    mail.outbox.clear()
    photo = ArchivePhotoFactory.create(channel=channel)
    services.archive_photo_schedule(photo=photo, planned_year=2027, planned_week=10, actor=editor)
    assert services.archive_gap_alert(today=date(2027, 3, 4), actor=system_user()) == []
    assert mail.outbox == []
