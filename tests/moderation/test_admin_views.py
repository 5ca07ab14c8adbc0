"""The moderator's pages in admin: the queue, its actions and status poll, the metrics."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.choices import Role
from moderation import services
from moderation.choices import ItemState
from moderation.models import Decision, Item, PlatformAction, Word
from tests.moderation.test_queue_read_model import queue_rows_html

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


def test_the_queue_rows_keep_their_controls_labels_and_links(client, moderator, intake, channel):
    """The rows beside the item are built from plain rows: each keeps its checkbox, its link
    with the filter, the current mark, the labels, the excerpt and the due time."""
    current = intake(text="När plogas Storgatan?")
    urgent = intake(text="Storgatan " * 20)
    withheld = intake(text="Borttaget")
    Item.objects.filter(pk=urgent.pk).update(priority=7, due_at=timezone.now() - timedelta(hours=1))
    Item.objects.filter(pk=withheld.pk).update(content_withheld=True, state=ItemState.REMOVED)
    client.force_login(moderator)
    url = reverse("admin:moderation_queue_item", args=[current.pk])
    page = queue_rows_html(client, f"{url}?channel={channel.pk}&state=")

    def row(item, meta, excerpt, due, *, is_current=False):
        item = Item.objects.get(pk=item.pk)
        with translation.override("sv"):
            due_text = date_format(timezone.localtime(item.due_at), "j b H:i")
        current_class, current_attr = (
            (" mq-current", ' aria-current="true"') if is_current else ("", "")
        )
        return (
            f'    <li class="mq-row{current_class}">\n'
            f'      <input type="checkbox" name="items" value="{item.pk}" form="mq-bulk" '
            f'id="bulk-{item.pk}" aria-label="Välj {item.external_id}">\n'
            f'      <a href="{reverse("admin:moderation_queue_item", args=[item.pk])}'
            f"?channel={channel.pk}"
            f'&amp;state="{current_attr}>\n'
            f'        <span class="mq-meta">{channel.name} · Kommentar · {meta}</span>\n'
            f'        <span class="mq-excerpt" dir="auto">{excerpt}</span>\n'
            f"        {due.format(due_text)}\n"
            "      </a>\n"
            "    </li>\n"
        )

    assert page.count('<li class="mq-row') == 3
    assert (
        row(
            urgent,
            '<span class="mq-state mq-state-new">Ny</span> · prioritet 7',
            ("Storgatan " * 20)[:89] + "…",
            '<span class="mq-due mq-overdue">Senast {} (försenad)</span>',
        )
        in page
    )
    assert (
        row(
            current,
            '<span class="mq-state mq-state-new">Ny</span>',
            "När plogas Storgatan?",
            '<span class="mq-due">Senast {}</span>',
            is_current=True,
        )
        in page
    )
    assert (
        row(
            withheld,
            '<span class="mq-state mq-state-removed">Borttagen</span>',
            "(innehållet sparas inte)",
            '<span class="mq-due">Senast {}</span>',
        )
        in page
    )
    assert page.index(f'id="bulk-{urgent.pk}"') < page.index(f'id="bulk-{current.pk}"')


def _queries_before_and_after_ten_more(client, url, intake):
    """The queries of GET ``url``, then again after ten more items reached the queue."""
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(10):
        intake()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    return few, many


def test_the_queue_page_makes_as_many_queries_however_long_the_queue(client, moderator, intake):
    item = intake(text="Hej")
    services.item_decide(item=item, action="hide", ground_codes=["harassment"], actor=moderator)
    client.force_login(moderator)
    few, many = _queries_before_and_after_ten_more(
        client, reverse("admin:moderation_queue_item", args=[item.pk]), intake
    )
    # 24: the item's decisions bring the authors' requests for reconsideration (one query) and
    # their ties to secret entries (one query for every decision, request and note), and its
    # entry's stored media files are linked (one query).
    assert len(many) == len(few) <= 24


def test_a_withheld_item_page_does_not_read_what_it_withholds(client, moderator, intake):
    item = intake(text="Borttaget")
    Item.objects.filter(pk=item.pk).update(content_withheld=True, state=ItemState.REMOVED)
    client.force_login(moderator)
    url = reverse("admin:moderation_queue_item", args=[item.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"moderation_note"' not in read
    assert f'"moderation_item"."author_id" = {item.author_id}' not in read


def test_the_item_page_reads_the_filter_choices_once_each(client, moderator, intake, channel):
    item = intake(text="Hej")
    client.force_login(moderator)
    url = reverse("admin:moderation_queue_item", args=[item.pk])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"{url}?channel={channel.pk}&ground=harassment").content.decode()
    read = [
        query["sql"].split(" WHERE ")[0].split(" ORDER BY ")[0]
        for query in queries.captured_queries
    ]
    assert sum(sql.endswith('FROM "channels_app_channel"') for sql in read) == 1
    assert sum(sql.endswith('FROM "moderation_ground"') for sql in read) <= 2
    assert f'<option value="{channel.pk}" selected>{channel}</option>' in page


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
    assert item.record.number  # the removal registered it, and the item's page links the entry
    page = client.get(reverse("admin:moderation_queue_item", args=[item.pk])).content.decode()
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


def test_a_decision_moves_the_page_to_the_next_item(client, moderator, intake):
    first, second, third = intake(), intake(), intake()
    client.force_login(moderator)
    url = reverse("admin:moderation_queue_act", args=[second.pk])
    response = client.post(url, {"action": "keep", "query": "state="})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:moderation_queue_item", args=[third.pk]) + "?state="
    )
    page = client.get(response["Location"]).content.decode()
    assert "Beslut registrerat: behåll." in page
    back = reverse("admin:moderation_queue_item", args=[second.pk])
    assert f'<a href="{back}?state=">Tillbaka till det beslutade inlägget</a>' in page
    assert Item.objects.get(pk=first.pk).state == ItemState.NEW


def test_the_last_decision_leaves_the_empty_queue_with_a_way_back(client, moderator, intake):
    item = intake()
    client.force_login(moderator)
    response = client.post(
        reverse("admin:moderation_queue_act", args=[item.pk]), {"action": "keep"}
    )
    assert response["Location"] == QUEUE
    page = client.get(QUEUE).content.decode()
    assert "Inget i kön matchar." in page
    assert reverse("admin:moderation_queue_item", args=[item.pk]) in page


def test_claiming_stays_on_the_item(client, moderator, intake):
    item, _later = intake(), intake()
    client.force_login(moderator)
    response = client.post(
        reverse("admin:moderation_queue_act", args=[item.pk]), {"action": "claim"}
    )
    assert response["Location"] == reverse("admin:moderation_queue_item", args=[item.pk])


def test_a_police_report_removal_names_shows_and_links_its_checklist(client, moderator, intake):
    item = intake(text="Jag ska skjuta er")
    client.force_login(moderator)
    response = act(client, item, action="remove", grounds=["threat-incitement"])
    decision = Decision.objects.get(item=item, action="remove")
    checklist = decision.police_checklist
    with translation.override("sv"):
        when = date_format(timezone.localtime(decision.created_at), "j F Y H:i")
    name = f"Kommentar från Anna Andersson, {when}"
    assert str(checklist) == name
    checklist_url = reverse("admin:moderation_policereportchecklist_change", args=[checklist.pk])
    page = response.content.decode()
    assert "Grunden ska polisanmälas: en checklista är öppnad." in page
    assert f'<a href="{checklist_url}">{name}</a>' in page

    item_page = client.get(reverse("admin:moderation_queue_item", args=[item.pk])).content
    assert f'<a href="{checklist_url}">{name}</a>' in item_page.decode()
    assert "inte klar" in item_page.decode()

    checklist_page = client.get(checklist_url).content.decode()
    assert reverse("admin:moderation_queue_item", args=[item.pk]) in checklist_page


def test_a_decision_on_a_channel_not_connected_says_nothing_was_sent(client, moderator, intake):
    item = intake()
    item.channel.platform_account_id = ""
    item.channel.save()
    client.force_login(moderator)
    page = act(client, item, action="hide", grounds=["harassment"]).content.decode()
    assert "Kanalen är inte ansluten till sin plattform: inget skickades dit." in page
    assert not PlatformAction.objects.exists()


def test_the_item_page_steps_through_the_queue_and_names_where_its_rows_come_from(
    client, moderator, intake, channel
):
    """The rows beside the item come by their own request (the page's script fetches them);
    without script the page still steps through the queue with its previous and next links."""
    first, second, third = intake(text="Ett"), intake(text="Två"), intake(text="Tre")
    client.force_login(moderator)
    query = f"channel={channel.pk}&state=new"
    url = reverse("admin:moderation_queue_item", args=[second.pk])
    page = client.get(f"{url}?{query}").content.decode()
    rows_url = reverse("admin:moderation_queue_rows", args=[second.pk])
    assert f'data-rows-url="{rows_url}?channel={channel.pk}&amp;state=new"' in page
    assert '<li class="mq-row' not in page
    for neighbour, rel in ((first, "prev"), (third, "next")):
        link = reverse("admin:moderation_queue_item", args=[neighbour.pk])
        assert f'<a href="{link}?channel={channel.pk}&amp;state=new" rel="{rel}">' in page
    rows = client.get(f"{rows_url}?{query}").content.decode()
    assert rows.count('<li class="mq-row') == 3
    assert rows.count('aria-current="true"') == 1
    assert f'value="{second.pk}" form="mq-bulk"' in rows


def test_the_queue_rows_make_as_many_queries_however_long_the_queue(client, moderator, intake):
    item = intake(text="Hej")
    client.force_login(moderator)
    few, many = _queries_before_and_after_ten_more(
        client, reverse("admin:moderation_queue_rows", args=[item.pk]), intake
    )
    assert len(many) == len(few)


def test_the_item_page_lists_each_version_with_its_time(client, moderator, intake):
    created = timezone.now() - timedelta(hours=2)
    intake(external_id="c-v", occurred_at=created, text="Första lydelsen")
    item = intake(
        external_id="c-v", occurred_at=created + timedelta(minutes=1), text="Andra", event="edited"
    )
    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_queue_item", args=[item.pk])).content.decode()
    listed = page[page.index('<ol class="mq-versions">') :]
    listed = listed[: listed.index("</ol>")]
    with translation.override("sv"):
        first = date_format(timezone.localtime(created), "j b Y H:i:s")
    assert f'<li>{first}: <span dir="auto">Första lydelsen</span></li>' in listed
    assert listed.index("Första lydelsen") < listed.index("Andra")
