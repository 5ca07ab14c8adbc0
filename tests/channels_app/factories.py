"""Factories for the channel register."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from channels_app.choices import (
    AudienceMetric,
    ChannelPlatform,
    ChannelRole,
    RelayWeekStatus,
    RightsStatus,
)
from channels_app.models import ArchivePhoto, AudienceFact, RelayWeek
from tests.factories import ChannelFactory


def image_file(
    name: str = "photo.jpg", size: tuple[int, int] = (640, 480), kind: str = "JPEG"
) -> SimpleUploadedFile:
    """A real image of the given size and format, as an upload."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 90, 60)).save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}")


class RelayChannelFactory(ChannelFactory):
    platform = ChannelPlatform.INSTAGRAM
    role = ChannelRole.RELAY
    handle = factory.Sequence(lambda n: f"@stafett{n}")


class ArchiveChannelFactory(ChannelFactory):
    platform = ChannelPlatform.INSTAGRAM
    role = ChannelRole.ARCHIVE
    handle = factory.Sequence(lambda n: f"@arkiv{n}")


class AudienceFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AudienceFact

    platform = ChannelPlatform.FACEBOOK
    cohort = factory.Sequence(lambda n: f"Grupp {n}")
    metric = AudienceMetric.PAST_YEAR
    value = "8 av 10"
    source = "Svenskarna och internet 2021"
    year = 2021


class RelayWeekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelayWeek

    channel = factory.SubFactory(RelayChannelFactory)
    iso_year = 2027
    iso_week = factory.Sequence(lambda n: n % 52 + 1)
    host_name = factory.Sequence(lambda n: f"Värd {n}")
    host_title = "Bibliotekarie"
    host_unit = "Kultur- och fritidsförvaltningen"
    host_email = factory.Sequence(lambda n: f"vard{n}@orebro.se")
    topic = "En vecka på biblioteket"
    status = RelayWeekStatus.CONFIRMED


class ArchivePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArchivePhoto

    channel = factory.SubFactory(ArchiveChannelFactory)
    archive_reference = factory.Sequence(lambda n: f"SAÖ-{n:05d}")
    title = factory.Sequence(lambda n: f"Stortorget {n}")
    caption = "Stortorget en marknadsdag."
    decade = 1950
    place = "Stortorget"
    image = factory.LazyFunction(image_file)
    rights_status = RightsStatus.PUBLIC_DOMAIN
