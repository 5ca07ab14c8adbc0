"""The queue's read model (moderation.queue) as its two doors show it: the moderators' page and
the API list are built from the same rows by the same builder, so they list the same items, in
the same working order, with the same state, priority and due time, and show or withhold the
same text. This equality is the contract the read model keeps."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from moderation.choices import ItemState
from moderation.models import Item
from records.access import Access

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/moderation/items/"
ROW = re.compile(
    r'<li class="mq-row[^"]*">.*?value="(?P<id>\d+)".*?mq-state-(?P<state>\w+)">'
    r"[^<]*</span>(?: · prioritet (?P<priority>\d+))?</span>.*?"
    r'<span class="mq-excerpt" dir="auto">(?P<excerpt>.*?)</span>',
    re.S,
)


def queue_rows_html(client, url):
    """The rows the item's page at ``url`` lists: its script fetches them from the address the
    list names, after the page."""
    page = client.get(url).content.decode()
    found = re.search(r'data-rows-url="([^"]+)"', page)
    if found is None:
        return ""
    response = client.get(unescape(found[1]))
    assert response.status_code == 200
    return response.content.decode()


def page_rows(client, url):
    page = queue_rows_html(client, url)
    return [
        (int(m["id"]), m["state"], int(m["priority"] or 0), unescape(m["excerpt"]))
        for m in ROW.finditer(page)
    ]


def api_rows(api_client, params):
    rows = api_client.get(ITEMS, {**params, "page_size": 200}).json()["results"]
    with translation.override("sv"):
        withheld = "(innehållet sparas inte)"
    return [
        (
            row["id"],
            row["state"],
            row["priority"],
            Truncator(row["text"]).chars(90)
            if Access(row["content_access"]).shows_content
            else withheld,
        )
        for row in rows
    ]


def test_the_page_and_the_api_list_the_same_rows_in_the_same_order(
    client, api_client, moderator, intake, channel
):
    now = timezone.now()
    plain = intake(text="När plogas Storgatan?")
    urgent = intake(text="Storgatan " * 20)
    also_urgent = intake(text="Idiot, ring 070-123 45 67")
    withheld = intake(text="Borttaget")
    older = intake(text="Tack! 🎉 \u200fمرحبا\u200f")
    Item.objects.filter(pk__in=[urgent.pk, also_urgent.pk]).update(
        priority=7, received_at=now - timedelta(minutes=5)
    )
    Item.objects.filter(pk=older.pk).update(received_at=now - timedelta(days=1))
    Item.objects.filter(pk=withheld.pk).update(content_withheld=True, state=ItemState.REMOVED)
    client.force_login(moderator)
    api_client.force_authenticate(moderator)

    shown = page_rows(client, f"{reverse('admin:moderation_queue')}?channel={channel.pk}&state=")
    listed = api_rows(api_client, {"channel": channel.pk})

    assert shown == listed
    # The working order: priority first, then the oldest, the id breaking ties.
    assert [row[0] for row in shown] == [
        urgent.pk,
        also_urgent.pk,
        older.pk,
        plain.pk,
        withheld.pk,
    ]
    assert any(excerpt == "(innehållet sparas inte)" for *_, excerpt in shown)


def test_the_page_and_the_api_agree_under_the_same_filter(
    client, api_client, moderator, intake, channel
):
    intake(text="Hej")
    intake(text="Din jävla idiot, ring 070-123 45 67")
    client.force_login(moderator)
    api_client.force_authenticate(moderator)
    url = f"{reverse('admin:moderation_queue')}?ground=sensitive-information"

    shown = page_rows(client, url)

    assert len(shown) == 1
    assert shown == api_rows(api_client, {"ground": "sensitive-information"})
