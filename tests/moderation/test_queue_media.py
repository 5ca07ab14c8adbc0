"""The queue's item page shows the comment's stored image and links the file, where the
register would serve it to the moderator (issue 16)."""

import pytest
from django.urls import reverse

from moderation.models import Item
from records.models import Record
from records.services import record_register
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs, stored_media
from tests.records.media_server import JPEG

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_with_image(intake, registrar) -> Item:
    item = intake(text="Titta på bilden")
    record = record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))
    stored_media(record, JPEG)
    Item.objects.filter(pk=item.pk).update(record=record)
    return Item.objects.get(pk=item.pk)


def page(client, user, item: Item) -> str:
    client.force_login(user)
    return client.get(reverse("admin:moderation_queue_item", args=[item.pk])).content.decode()


def test_the_item_page_shows_the_image_and_links_the_file(client, moderator, item_with_image):
    url = reverse("admin:records_record_media", args=[item_with_image.record_id, 0])
    shown = page(client, moderator, item_with_image)
    assert f'<img src="{url}" alt="Bild i kommentaren"' in shown
    assert client.get(url).status_code == 200  # and the link opens it


def test_a_secret_entrys_image_is_not_shown_in_the_queue(client, moderator, item_with_image):
    Record.objects.filter(pk=item_with_image.record_id).update(
        is_secret=True, secrecy_provision="OSL 26 kap. 1 §"
    )
    shown = page(client, moderator, item_with_image)
    assert "Bild i kommentaren" not in shown
    assert "/media/0/" not in shown
