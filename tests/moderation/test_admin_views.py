"""The moderator's pages in admin: the queue, its actions and status poll, the metrics."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.choices import Role
from moderation import services
from moderation.choices import ItemState
from moderation.models import Decision, Item, Word

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:moderation_queue")


def act(client, item, **data):
    return client.post(reverse("admin:moderation_queue_act", args=[item.pk]), data, follow=True)


def test_the_item_list_leads_to_the_queue(client, moderator):
    client.force_login(moderator)
    response = client.get(reverse("admin:moderation_item_changelist"))
    assert response.status_code == 302
    assert response["Location"] == QUEUE


def test_queue_shows_the_item_with_hits_highlighted(client, moderator, intake):
    Word.objects.create(list="suspect", term="idiot")
    text = "Din idiot 🎉\u200f noll\u200bbredd"
    item = intake(text=text)
    client.force_login(moderator)
    page = client.get(QUEUE).content.decode()
    assert '<mark title="Misstänkt ord: idiot">idiot' in page
    assert "🎉\u200f noll\u200bbredd" in page  # shown exactly as received
    assert item.permalink in page
    assert 'lang="sv"' in page


def test_a_long_text_is_shown_whole(client, moderator, intake):
    text = "ä" * 10_000
    item = intake(text=text)
    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_queue_item", args=[item.pk])).content.decode()
    assert text in page


def test_claim_and_remove_from_the_page(client, moderator, intake):
    item = intake()
    client.force_login(moderator)
    act(client, item, action="claim")
    assert Item.objects.get().state == ItemState.CLAIMED
    response = act(client, item, action="remove", grounds=["harassment"])
    page = response.content.decode()
    assert "Beslut registrerat: ta bort." in page
    item = Item.objects.get()
    assert item.state == ItemState.REMOVED
    assert item.record is not None
    assert item.record.number  # the removal registered it, and the page links the entry
    assert reverse("admin:records_record_change", args=[item.record.pk]) in page


def test_refusals_are_shown_and_nothing_is_written(client, moderator, intake):
    item = intake()
    client.force_login(moderator)
    response = act(client, item, action="remove", grounds=["political"])
    assert "En skriftlig motivering krävs" in response.content.decode()
    assert not Decision.objects.exists()


def test_status_poll_tells_who_holds_the_item(client, make_user, intake):
    first, second = make_user(Role.MODERATOR), make_user(Role.MODERATOR)
    item = intake()
    services.item_claim(item=item, actor=first)
    client.force_login(second)
    status = client.get(reverse("admin:moderation_status", args=[item.pk])).json()
    assert status == {
        "state": "claimed",
        "state_label": "Tagen",
        "claimed_by": first.name,
        "claimed_by_me": False,
        "decisions": 0,
    }


def test_bulk_from_the_page(client, moderator, intake):
    items = [intake(), intake()]
    client.force_login(moderator)
    client.post(
        reverse("admin:moderation_queue_bulk"),
        {"items": [i.pk for i in items], "action": "keep"},
    )
    assert Item.objects.filter(state=ItemState.KEPT).count() == 2


def test_editors_do_not_see_the_queue(client, editor):
    client.force_login(editor)
    assert client.get(QUEUE).status_code == 403


def test_metrics_page_and_csv_count_a_removal(client, moderator, intake, channel):
    item = intake()
    services.item_decide(item=item, action="remove", ground_codes=["harassment"], actor=moderator)
    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_metrics")).content.decode()
    assert "<svg" in page
    assert channel.name in page
    response = client.get(reverse("admin:moderation_metrics_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "månad"
    month = next(row for row in rows[1:] if row[1] == "1")
    assert month[5] == "1"
    assert channel.name in month[7]
