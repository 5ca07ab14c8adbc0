"""The channel's own content (issue 16): its posts and replies are drawn-up documents,
registered with the date they were published, never queued for moderation; a reply a moderator
sends is registered when the platform confirms it, answering the comment's entry. Through the
doors: signed ``/hooks/meta/`` deliveries, ``platform_poll`` with recorded pages, the outbox
and the ingest API."""

import json
import zipfile
from datetime import UTC, datetime

import pytest
from lxml import etree

from accounts.services import system_user
from channels_app.choices import ChannelRecordsPolicy
from moderation.models import Item, PlatformAction, ReplyTemplate
from moderation.platforms import connections, tasks
from moderation.platforms.http import CannedResponse
from moderation.services import item_decide
from records.export import RECORDS_NS, SCHEMA_FILE
from records.models import Record
from records.services import records_export
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import FACEBOOK_PAGE as PAGE
from tests.moderation.platforms.recorded import (
    canned,
    meta_post,
    payload_bytes,
    payload_json,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("meta_settings")]

POST = f"{PAGE}_2233445566"
COMMENT = "2233445566_7788990011"
OWN_REPLY = "2233445566_7788990102"
POST_TITLE = "Snöröjningen i Vivalla börjar i natt. Flytta bilen från gatan före kl. 22."


def deliver(client, name: str) -> None:
    body = payload_bytes(f"meta/{name}.json")
    response = meta_post(client, body)
    assert response.status_code == 200, response.content


def entry(channel, source_id: str) -> Record:
    return Record.objects.get(channel=channel, source_id=source_id)


def test_the_pages_post_and_reply_are_drawn_up_and_the_comment_names_the_post(
    client, meta_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("facebook_own_post", "facebook_comment_add", "facebook_own_reply"):
            deliver(client, name)
        deliver(client, "facebook_own_post")  # a replay changes nothing

    post = entry(meta_page, POST)
    assert (post.direction, post.registration_basis) == ("drawn_up", "registered")
    assert post.number
    assert post.document_date == datetime.fromtimestamp(1763996400, tz=UTC)
    assert post.text == POST_TITLE
    assert post.subject == f"Inlägget ”{POST_TITLE}” på Facebook (Örebro kommun)"

    comment = entry(meta_page, COMMENT)
    assert comment.direction == "incoming"
    assert comment.public_subject == (
        f"Kommentar till inlägget ”{POST_TITLE}” på Facebook (Örebro kommun)"
    )
    assert "återvinningscentralen" not in comment.public_subject

    reply = entry(meta_page, OWN_REPLY)
    assert (reply.direction, reply.in_reply_to) == ("drawn_up", comment)
    assert reply.text == "Hej! Lördagar 10–14."
    assert reply.counterparty_name == "Anna Andersson"  # sent to the commenter
    assert reply.document_date == datetime.fromtimestamp(1764001160, tz=UTC)
    assert reply.public_subject.startswith("Svar på en kommentar till inlägget ”Snöröjningen")

    # Only the citizen's comment waits in the moderation queue.
    assert list(Item.objects.values_list("external_id", flat=True)) == [COMMENT]
    assert Record.objects.count() == 3


def test_a_reply_delivered_before_the_comment_it_answers_is_linked_when_the_comment_comes(
    client, meta_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "facebook_own_reply")
    assert entry(meta_page, OWN_REPLY).in_reply_to is None
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "facebook_comment_add")
    assert entry(meta_page, OWN_REPLY).in_reply_to == entry(meta_page, COMMENT)


def test_the_public_register_shows_the_own_post_with_platform_and_channel(
    client, meta_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "facebook_own_post")
    body = client.get("/api/v1/records/register/").json()
    (shown,) = body["results"]
    assert shown["platform"] == "facebook"
    assert shown["subject"].startswith("Inlägget ”Snöröjningen i Vivalla")


def test_a_reply_the_platform_confirms_is_registered_answering_the_comment(
    client, meta_page, moderator, platform_http, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "facebook_comment_add")
    comment = Item.objects.get(external_id=COMMENT)
    platform_http.responses.append(canned("responses/meta_reply_created.json"))
    template = ReplyTemplate.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(item=comment, action="reply", reply_template=template, actor=moderator)

    reply = entry(meta_page, "2233445566_7788990300")  # the id the Graph API gave the reply
    assert (reply.direction, reply.registration_basis) == ("drawn_up", "registered")
    assert reply.in_reply_to == entry(meta_page, COMMENT)
    assert reply.text == PlatformAction.objects.get().text  # as the platform received it
    assert reply.document_date is not None
    # The reply's own webhook event, later, finds the same entry.
    body = payload_json("meta/facebook_own_reply.json")
    body["entry"][0]["changes"][0]["value"]["comment_id"] = "2233445566_7788990300"
    raw = json.dumps(body).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = meta_post(client, raw)
    assert response.status_code == 200
    assert Record.objects.filter(direction="drawn_up").count() == 1
    assert Item.objects.count() == 1


def test_a_reply_the_platform_refuses_is_not_registered(
    client, meta_page, moderator, platform_http, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "facebook_comment_add")
    comment = Item.objects.get(external_id=COMMENT)
    platform_http.responses.append(canned("responses/meta_permission_error.json"))
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(
            item=comment,
            action="reply",
            reply_template=ReplyTemplate.objects.first(),
            actor=moderator,
        )
    assert not Record.objects.filter(direction="drawn_up").exists()


def test_linkedin_posts_and_the_organisations_answer_are_polled_as_drawn_up(platform_http):
    channel = ChannelFactory.create(
        connected=True,
        platform="linkedin",
        platform_account_id="urn:li:organization:1000001",
        records_policy=ChannelRecordsPolicy.REGISTER_ALL,
    )
    connections.channel_connection_save(channel=channel, access_token="t0ken", actor=system_user())
    for name in ("posts_page", "comments_page", "comments_empty"):
        platform_http.responses.append(
            CannedResponse(200, {}, payload_json(f"linkedin/{name}.json"))
        )
    tasks.platform_poll("linkedin")

    post = entry(channel, "urn:li:activity:7259999999999999999")
    assert post.direction == "drawn_up"
    assert post.document_date == datetime.fromtimestamp(1764000000, tz=UTC)
    assert "Nu öppnar vi Örebros nya simhall!" in post.subject
    answer = entry(
        channel, "urn:li:comment:(urn:li:activity:7259999999999999999,7260000000000000003)"
    )
    assert (answer.direction, answer.text) == ("drawn_up", "Öppet 06–21 alla dagar.")
    comment = entry(
        channel, "urn:li:comment:(urn:li:activity:7259999999999999999,7260000000000000001)"
    )
    assert comment.direction == "incoming"
    assert "simhall" in comment.subject
    assert "Tack för infon" not in comment.subject
    assert Item.objects.filter(channel=channel).count() == 2  # the citizens' comments only


URL = "/api/v1/moderation/ingest/"


def own_entry(**overrides):
    return {
        "channel": "orebro-ingest",
        "external_id": "cms-post-1",
        "kind": "post",
        "event": "created",
        "occurred_at": "2026-11-24T09:00:00+01:00",
        "text": "Biblioteket har nya öppettider från måndag.",
        "own": True,
        **overrides,
    }


@pytest.fixture
def ingest_channel(db):
    return ChannelFactory.create(connected=True, slug="orebro-ingest", platform_account_id="")


def test_ingest_own_content_from_a_client_that_may_speak_for_the_channel(
    ingest_channel, token_client
):
    client = token_client("moderation:ingest", "moderation:own")
    response = client.post(URL, {"items": [own_entry(), own_entry()]}, format="json")
    assert response.status_code == 200, response.content
    first, again = response.json()["results"]
    assert (first["outcome"], first["item"], again["outcome"]) == ("created", None, "unchanged")
    record = Record.objects.get(pk=first["record"])
    assert (record.direction, record.source_kind) == ("drawn_up", "ingest")
    assert record.document_date == datetime.fromisoformat("2026-11-24T09:00:00+01:00")
    assert not Item.objects.exists()

    edited = own_entry(event="edited", text="Nya tider.", occurred_at="2026-11-24T10:00:00+01:00")
    (result,) = client.post(URL, {"items": [edited]}, format="json").json()["results"]
    assert result["outcome"] == "updated"
    assert record.amendments.get().text == "Nya tider."


def test_ingest_own_content_from_a_client_without_the_right_is_refused(
    ingest_channel, token_client
):
    client = token_client("moderation:ingest")
    pretending = own_entry(external_id="cms-2", own=False, author_id="orebro-ingest")
    response = client.post(URL, {"items": [own_entry(), pretending]}, format="json")
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == ["rejected", "rejected"]
    assert "tala för kanalen" in results[0]["reason"]
    assert not Record.objects.exists()
    assert not Item.objects.exists()


def test_a_replayed_edit_of_the_own_post_is_one_amendment(
    client, meta_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "facebook_own_post")
    body = payload_json("meta/facebook_own_post.json")
    value = body["entry"][0]["changes"][0]["value"]
    value.update(verb="edited", message="Snöröjningen i Vivalla börjar i morgon.")
    body["entry"][0]["time"] = 1764003600
    raw = json.dumps(body).encode()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = meta_post(client, raw)
        assert response.status_code == 200
    post = entry(meta_page, POST)
    assert post.text == POST_TITLE  # the snapshot as published
    (amendment,) = post.amendments.all()
    assert amendment.text == "Snöröjningen i Vivalla börjar i morgon."
    assert amendment.occurred_at == datetime.fromtimestamp(1764003600, tz=UTC)


def test_the_exported_package_names_what_the_reply_answers(
    client, meta_page, registrar, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("facebook_own_post", "facebook_comment_add", "facebook_own_reply"):
            deliver(client, name)
    name, payload = records_export(records=list(Record.objects.all()), actor=registrar)
    with payload, zipfile.ZipFile(payload) as archive:
        descriptive = etree.fromstring(
            archive.read(f"{name.removesuffix('.zip')}/metadata/descriptive/records.xml")
        )
    assert etree.XMLSchema(etree.parse(str(SCHEMA_FILE))).validate(descriptive)
    namespaces = {"r": RECORDS_NS}
    (reply,) = descriptive.xpath("//r:entry[r:inReplyTo]", namespaces=namespaces)
    assert reply.findtext(f"{{{RECORDS_NS}}}sourceId") == OWN_REPLY
    assert reply.findtext(f"{{{RECORDS_NS}}}inReplyTo") == COMMENT
    assert reply.findtext(f"{{{RECORDS_NS}}}direction") == "drawn_up"


def test_own_content_follows_the_channels_records_policy(
    client, meta_page, django_capture_on_commit_callbacks
):
    """Point 1: registered per the channel's policy. A page that keeps what is not moderated in
    order keeps its own post and reply in order too (OSL 5:1 3rd para.): entries without a
    number, out of the public register."""
    meta_page.records_policy = ChannelRecordsPolicy.REGISTER_MODERATED
    meta_page.save(update_fields=["records_policy"])
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("facebook_own_post", "facebook_comment_add", "facebook_own_reply"):
            deliver(client, name)
    post, reply = entry(meta_page, POST), entry(meta_page, OWN_REPLY)
    for own in (post, reply):
        assert (own.direction, own.registration_basis) == ("drawn_up", "kept_in_order")
        assert (own.registration_rule, own.number) == ("policy_register_moderated", None)
    assert reply.in_reply_to == entry(meta_page, COMMENT)
    # Nothing of the thread is registered (the comment is kept in order too): none is public.
    assert "Snöröjningen i Vivalla" not in client.get("/diarium/?q=Vivalla").content.decode()
