"""The seeded shows pass Apple's artwork check on a fresh run, and an editor's artwork stays."""

import pytest
from django.core.management import call_command
from PIL import Image

from podcasts import conformance
from podcasts.models import Show

pytestmark = pytest.mark.django_db


def test_seeded_shows_have_artwork_that_apple_accepts():
    call_command("seed")
    for show in Show.objects.all():
        assert [f for f in conformance.show_check(show) if "artwork" in f.message] == []
        assert show.artwork_alt == show.title
        with show.artwork.open("rb") as file, Image.open(file) as image:
            assert (image.format, image.mode) == ("PNG", "RGB")
            assert image.size[0] == image.size[1]
            assert 1400 <= image.size[0] <= 3000


def test_a_second_seed_leaves_the_artwork_alone():
    call_command("seed")
    show = Show.objects.get(slug="vardagshjaltarna")
    artwork = show.artwork.name
    history = show.history.count()
    call_command("seed")
    show.refresh_from_db()
    assert show.artwork.name == artwork
    assert show.history.count() == history
