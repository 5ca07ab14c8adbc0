"""The reproductions of issue 13's read side, each through the door a person or client uses:
after a registrar marks an entry secret, its content (in the register and in the moderation
copy) reaches no one but registrars, and a moderator only through the logged "show content"
step; deliveries re-check secrecy when they are sent."""

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import system_user
from moderation import seed
from moderation.models import Item
from moderation.services import moderation_item_intake, note_create
from records.models import Record, SecretAccessLog
from records.services import (
    access_request_create,
    access_request_decide,
    record_register,
    record_secrecy_mark,
)
from tests.factories import ChannelFactory
from tests.moderation.factories import normalized
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db

CANARY = "SPARV-91c4e2-HEMLIG"
ITEMS = "/api/v1/moderation/items/"


@pytest.fixture(autouse=True)
def grounds(db: None) -> None:
    seed._grounds()
    seed._reply_templates()


def _mark(record: Record, registrar: User) -> Record:
    return record_secrecy_mark(record=record, provision="OSL 26 kap. 1 §", actor=registrar)


@pytest.fixture
def secret_item(registrar: User, moderator: User) -> Item:
    """A comment with the canary, captured in the register, noted on, then marked secret."""
    channel = ChannelFactory.create(connected=True)
    item = moderation_item_intake(
        channel=channel,
        item=normalized(channel, text=f"Min granne {CANARY} är sjuk"),
        actor=system_user(),
    ).item
    note_create(item=item, text=f"Citat: {CANARY}", actor=moderator)
    item.refresh_from_db()
    assert item.record is not None
    _mark(item.record, registrar)
    return item


@pytest.fixture
def secret_record(registrar: User) -> Record:
    record = record_register(
        **registration_kwargs(
            ChannelFactory.create(connected=True),
            registrar,
            subject=f"Anmälan {CANARY}",
            text=f"Hälsouppgifter {CANARY}",
        )
    )
    return _mark(record, registrar)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _text(response: Any) -> str:
    return response.content.decode(errors="replace")


# --- history ---------------------------------------------------------------------------------


def test_history_pages_of_a_secret_entry_show_a_moderator_nothing(
    secret_record: Record, moderator: User
) -> None:
    client = _client(moderator)
    version = secret_record.history.order_by("history_id").first()
    assert version is not None
    pages = [
        reverse("admin:records_record_history", args=[secret_record.pk]),
        reverse("admin:records_record_simple_history", args=[secret_record.pk, version.history_id]),
    ]
    for url in pages:
        response = client.get(url)
        assert CANARY not in _text(response), url
        assert response.status_code == 403, url
    assert not SecretAccessLog.objects.exists()


def test_history_version_page_shows_a_registrar_the_content_and_logs_it(
    secret_record: Record, registrar: User
) -> None:
    version = secret_record.history.order_by("history_id").first()
    assert version is not None
    url = reverse(
        "admin:records_record_simple_history", args=[secret_record.pk, version.history_id]
    )
    response = _client(registrar).get(url)
    assert response.status_code == 200
    assert CANARY in _text(response)
    assert SecretAccessLog.objects.filter(record=secret_record, user=registrar).exists()


def test_no_request_or_user_is_kept_on_a_shared_admin_object(
    secret_record: Record, registrar: User, moderator: User
) -> None:
    _client(registrar).get(reverse("admin:records_record_change", args=[secret_record.pk]))
    _client(moderator).get(reverse("admin:records_record_change", args=[secret_record.pk]))
    for model_admin in admin.site._registry.values():
        kept = [
            name
            for name, value in vars(model_admin).items()
            if isinstance(value, HttpRequest | User)
        ]
        assert kept == [], (type(model_admin).__name__, kept)


def test_the_change_page_logs_the_viewer_not_an_earlier_one(
    secret_record: Record, registrar: User, moderator: User
) -> None:
    url = reverse("admin:records_record_change", args=[secret_record.pk])
    assert CANARY in _text(_client(registrar).get(url))
    assert CANARY not in _text(_client(moderator).get(url))
    assert list(SecretAccessLog.objects.values_list("user", flat=True)) == [registrar.pk]


# --- the moderation copy ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["moderator", "administrator"])
def test_the_moderation_copy_follows_the_register(
    secret_item: Item, who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    api, browser = _api(user), _client(user)
    part = CANARY.split("-")[1]
    responses = {
        "detail": api.get(f"{ITEMS}{secret_item.pk}/"),
        "list": api.get(ITEMS),
        "search": api.get(f"{ITEMS}?q={part}"),
        "notes": api.get(f"/api/v1/moderation/notes/?item={secret_item.pk}"),
        "queue": browser.get(reverse("admin:moderation_queue") + "?due=&state="),
        "queue item": browser.get(reverse("admin:moderation_queue_item", args=[secret_item.pk])),
        "item admin": browser.get(reverse("admin:moderation_item_change", args=[secret_item.pk])),
    }
    for name, response in responses.items():
        assert response.status_code == 200, name
        assert CANARY not in _text(response), name
    assert api.get(f"{ITEMS}?q={part}").json()["results"] == []
    detail = json.loads(_text(responses["detail"]))
    assert detail["content_access"] == ("revealable" if who == "moderator" else "secret")
    assert not SecretAccessLog.objects.exists()


def test_an_integration_client_sees_no_secret_moderation_copy(
    secret_item: Item, token_client: Callable[..., APIClient]
) -> None:
    client = token_client("moderation:read")
    for url in (
        f"{ITEMS}{secret_item.pk}/",
        ITEMS,
        f"{ITEMS}?q=SPARV",
        "/api/v1/moderation/notes/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert CANARY not in _text(response), url


def test_a_moderator_shows_the_content_through_the_logged_step(
    secret_item: Item, moderator: User
) -> None:
    api = _api(moderator)
    refused = api.post(f"{ITEMS}{secret_item.pk}/reveal/", {"reason": "  "})
    assert refused.status_code == 400
    assert CANARY not in _text(refused)
    assert not SecretAccessLog.objects.exists()
    shown = api.post(f"{ITEMS}{secret_item.pk}/reveal/", {"reason": "Bedömer hot"})
    assert shown.status_code == 200
    assert CANARY in shown.json()["text"]
    log = SecretAccessLog.objects.get()
    assert (log.user, log.record_id) == (moderator, secret_item.record_id)
    assert "Bedömer hot" in log.purpose
    # The next plain read is withheld again.
    assert CANARY not in _text(api.get(f"{ITEMS}{secret_item.pk}/"))


def test_the_queue_page_has_the_logged_show_content_step(
    secret_item: Item, moderator: User
) -> None:
    browser = _client(moderator)
    url = reverse("admin:moderation_queue_act", args=[secret_item.pk])
    page = browser.post(url, {"action": "reveal", "reason": "Ska besluta"})
    assert page.status_code == 200
    assert CANARY in _text(page)
    assert SecretAccessLog.objects.filter(user=moderator, purpose__contains="Ska besluta").exists()
    assert CANARY not in _text(
        browser.get(reverse("admin:moderation_queue_item", args=[secret_item.pk]))
    )


def test_an_administrator_cannot_take_the_show_content_step(
    secret_item: Item, administrator: User
) -> None:
    response = _api(administrator).post(f"{ITEMS}{secret_item.pk}/reveal/", {"reason": "Nyfiken"})
    assert response.status_code == 403
    assert not SecretAccessLog.objects.exists()


# --- search and autocomplete -----------------------------------------------------------------


def test_admin_search_and_autocomplete_do_not_match_secret_subjects(
    secret_record: Record, moderator: User, registrar: User
) -> None:
    term = CANARY.split("-")[1]
    urls = [
        f"/admin/records/record/?q={term}",
        "/admin/autocomplete/?app_label=records&model_name=accessrequest"
        f"&field_name=records&term={term}",
    ]
    for url in urls:
        found = _text(_client(moderator).get(url))
        assert str(secret_record.pk) not in json_ids(found)
        assert secret_record.source_id not in found
    # Registrars still find it.
    found = _client(registrar).get(urls[1]).json()["results"]
    assert [r["id"] for r in found] == [str(secret_record.pk)]


def json_ids(body: str) -> list[str]:
    try:
        return [r["id"] for r in json.loads(body)["results"]]
    except (ValueError, KeyError):
        return []


def test_public_register_filters_do_not_reveal_a_secret_entrys_channel(
    secret_record: Record, client: Client, api_client: APIClient
) -> None:
    secret_record.refresh_from_db()
    slug = secret_record.channel.slug
    Record.objects.filter(pk=secret_record.pk).update(registration_basis="registered")
    page = _text(client.get(reverse("records:public-register") + f"?channel={slug}"))
    assert secret_record.number is None or secret_record.number not in page
    assert "Sekretess" not in page
    body = api_client.get(f"/api/v1/records/register/?channel={slug}").json()
    assert body["results"] == []
    body = api_client.get("/api/v1/records/register/?direction=incoming").json()
    assert body["results"] == []


# --- deliveries ------------------------------------------------------------------------------


def test_a_delivery_re_checks_secrecy_when_it_is_sent(registrar: User) -> None:
    """Decide "release", mark the entry secret, deliver: refused, nothing sent; decided again
    (in part, masked), it is delivered without the secret text."""
    record = record_register(
        **registration_kwargs(
            ChannelFactory.create(connected=True), registrar, text=f"Text {CANARY}"
        )
    )
    request = access_request_create(scope="Kommentaren", records=[record], actor=registrar)
    access_request_decide(request=request, decision="release", actor=registrar)
    _mark(record, registrar)
    api = _api(registrar)
    url = f"/api/v1/records/access-requests/{request.pk}"
    refused = api.post(f"{url}/deliver/")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "secret_since_decision"
    assert CANARY not in _text(refused)
    request.refresh_from_db()
    assert request.status == "decided"
    assert request.delivered_at is None
    decided = api.post(
        f"{url}/decide/",
        {"decision": "partial", "provision": "OSL 26 kap. 1 §", "masked_terms": [CANARY]},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    delivered = api.post(f"{url}/deliver/")
    assert delivered.status_code == 200
    with zipfile.ZipFile(io.BytesIO(delivered.getvalue())) as package:
        body = "".join(package.read(name).decode() for name in package.namelist())
    assert CANARY not in body
    assert "Text" in body


# --- decisions, blocks and requests about a secret item -----------------------------------------


@pytest.fixture
def decided_secret_item(registrar: User, make_user: Callable[..., User]) -> Item:
    """A secret item whose author's name holds the canary, removed and blocked with rationales
    that quote it, asked to be reconsidered by its author (quoting it) and reconsidered."""
    from dataclasses import replace

    from moderation.reconsideration import reconsideration_request_submit
    from moderation.services import block_create, decision_reconsider, item_claim, item_decide

    first, second = make_user("moderator"), make_user("moderator")
    channel = ChannelFactory.create()
    event = replace(
        normalized(channel, text=f"Min granne {CANARY} är sjuk", author_id="a-canary"),
        author_name=f"Anna {CANARY}",
    )
    item = moderation_item_intake(channel=channel, item=event, actor=system_user()).item
    item_claim(item=item, actor=first)
    decision = item_decide(
        item=item,
        action="remove",
        ground_codes=["harassment"],
        rationale=f"Skrev ”{CANARY}” om grannen.",
        actor=first,
    )
    item.refresh_from_db()
    assert item.author is not None
    block_create(
        author=item.author,
        channel=channel,
        ground_codes=["harassment"],
        rationale=f"Upprepade ”{CANARY}”.",
        item=item,
        actor=first,
    )
    reconsideration_request_submit(
        permalink=item.permalink,
        reason=f"Jag skrev bara {CANARY}",
        contact="",
        form_nonce="nonce-canary",
    )
    decision_reconsider(
        decision=decision,
        outcome="upheld",
        rationale=f"”{CANARY}” är en uppgift om hälsa.",
        actor=second,
    )
    assert item.record is not None
    _mark(item.record, registrar)
    return item


@pytest.mark.parametrize("who", ["moderator", "administrator"])
def test_decisions_blocks_and_requests_on_a_secret_item_withhold_author_and_quotes(
    decided_secret_item: Item, who: str, request: pytest.FixtureRequest
) -> None:
    from moderation.models import Block, Decision, ReconsiderationRequest

    user = request.getfixturevalue(who)
    api, browser = _api(user), _client(user)
    urls = [
        reverse("admin:moderation_decision_changelist"),
        reverse("admin:moderation_block_changelist"),
        reverse("admin:moderation_reconsiderationrequest_changelist"),
        "/api/v1/moderation/blocks/",
    ]
    for decision in Decision.objects.all():
        urls.append(reverse("admin:moderation_decision_change", args=[decision.pk]))
    for block in Block.objects.all():
        urls += [
            reverse("admin:moderation_block_change", args=[block.pk]),
            reverse("admin:moderation_block_history", args=[block.pk]),
            f"/api/v1/moderation/blocks/{block.pk}/",
        ]
    for asked in ReconsiderationRequest.objects.all():
        urls.append(reverse("admin:moderation_reconsiderationrequest_change", args=[asked.pk]))
    for url in urls:
        response = api.get(url) if url.startswith("/api/") else browser.get(url)
        assert response.status_code == 200, url
        assert CANARY not in _text(response), url
    assert not SecretAccessLog.objects.exists()
