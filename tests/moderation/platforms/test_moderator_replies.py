"""Replies a moderator writes (issue 20, point 7): a free text, not only a template, read by the
detectors before it is sent (an identity number or a banned word is refused, nothing stored),
sent through the outbox, registered as drawn up once the platform confirms it. Through the
queue page and the API."""

import pytest
from django.urls import reverse

from moderation.models import Decision, Item, PlatformAction, Word
from records.models import Record
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import canned
from tests.moderation.platforms.test_own_content import COMMENT, PAGE, deliver

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("meta_settings")]

GRAPH = "https://graph.facebook.com/v21.0"
REPLY = "Hej Anna! Återvinningscentralen på Atleverket öppnar klockan 10 på lördag."
REPLY_ID = "2233445566_7788990300"  # responses/meta_reply_created.json


@pytest.fixture
def comment(client, django_capture_on_commit_callbacks):
    page = ChannelFactory.create(
        connected=True, platform="facebook", platform_account_id=PAGE, name="Örebro kommun"
    )
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, "facebook_comment_add")
    return Item.objects.get(channel=page, external_id=COMMENT)


def act(client, item, **data):
    return client.post(reverse("admin:moderation_queue_act", args=[item.pk]), data, follow=True)


def test_a_reply_written_on_the_queue_page_is_sent_and_registered_when_confirmed(
    client, comment, moderator, platform_http, django_capture_on_commit_callbacks
):
    platform_http.responses.append(canned("responses/meta_reply_created.json"))
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        page = act(client, comment, action="reply", reply_text=f"  {REPLY}\n")
    assert page.status_code == 200
    assert [str(m) for m in page.context["messages"]] == ["Beslut registrerat: svar."]

    (request,) = platform_http.requests
    assert (request.method, request.url) == ("POST", f"{GRAPH}/{COMMENT}/comments")
    assert request.data == {"message": REPLY}  # the moderator's words, as written
    sent = PlatformAction.objects.get()
    assert (sent.state, sent.text, sent.decision.action) == ("sent", REPLY, "reply")
    assert sent.decision.reply_template is None
    reply = Record.objects.get(source_id=REPLY_ID)
    assert (reply.direction, reply.text) == ("drawn_up", REPLY)
    assert reply.in_reply_to == Record.objects.get(source_id=COMMENT)
    assert reply.counterparty_name == "Anna Andersson"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Hej! Vi har hittat ditt ärende, 19811218-9876, och återkommer.",
            "Svaret innehåller ett personnummer eller samordningsnummer",
        ),
        ("Sluta skriva, din jävla idiot.", "Svaret innehåller ord som inte får användas"),
        ("   ", "Skriv ett svar eller välj en svarsmall."),
    ],
)
def test_a_reply_the_detectors_refuse_is_not_sent_and_the_page_says_why(
    client, comment, moderator, platform_http, django_capture_on_commit_callbacks, text, message
):
    Word.objects.create(list="banned", term="jävla idiot")
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        page = act(client, comment, action="reply", reply_text=text)
    assert message in page.content.decode()
    assert "19811218-9876" not in page.content.decode().split("messagelist")[-1][:2000]
    assert not Decision.objects.exists()
    assert not PlatformAction.objects.exists()
    assert platform_http.requests == []


def test_the_api_takes_a_written_reply_and_refuses_an_identity_number(
    api_client, comment, moderator, platform_http, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(moderator)
    url = f"/api/v1/moderation/items/{comment.pk}/decide/"
    refused = api_client.post(
        url, {"action": "reply", "reply_text": "Ditt personnummer 811218-9876 är noterat."}
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert "reply_text" in error["details"]
    assert "personnummer" in str(error["details"]["reply_text"])
    assert not Decision.objects.exists()

    platform_http.responses.append(canned("responses/meta_reply_created.json"))
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(url, {"action": "reply", "reply_text": REPLY})
    assert response.status_code == 201, response.content
    assert response.json()["platform_actions"][0]["action"] == "reply"
    assert PlatformAction.objects.get().text == REPLY
    assert Record.objects.get(source_id=REPLY_ID).text == REPLY
