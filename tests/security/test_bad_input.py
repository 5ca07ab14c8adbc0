"""Bad input through the doors people and systems use gets a clear 4xx (in the API's error
format under /api/) and stores nothing; never a 5xx."""

import base64
import io
import json
import struct
import zlib
from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.choices import Role, Scope
from accounts.models import IntegrationClient
from moderation.choices import ItemState
from moderation.models import Block, Decision, Item, Note
from moderation.services import item_claim
from podcasts.models import Episode, Show
from tests.podcasts import fixtures as podcast_files
from tests.security.data import fuzz_data

pytestmark = pytest.mark.django_db

BIGINT_PAST = str(2**63)


def assert_error_format(response, status=400):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.fixture
def everyone(make_user):
    """A signed-in person in every role, on the API as in the admin."""
    return make_user(*Role.values)


@pytest.fixture
def staff_api(everyone):
    client = APIClient()
    client.force_login(everyone)
    return client


@pytest.mark.parametrize("year", ["10000", "-1", "0", "9" * 20, "2026.5", "1e400"])
def test_a_year_out_of_range_in_the_public_register_is_a_400(api_client, year):
    fuzz_data()
    response = api_client.get(f"/api/v1/records/register/?year={year}")
    assert_error_format(response)
    assert "year" in response.json()["error"]["details"]


def test_a_year_in_range_still_filters_the_public_register(api_client):
    fuzz_data()
    rows = api_client.get("/api/v1/records/register/").json()["results"]
    year = int(rows[0]["document_date"][:4])
    found = api_client.get(f"/api/v1/records/register/?year={year}").json()["results"]
    assert len(found) == len(rows)
    assert api_client.get(f"/api/v1/records/register/?year={year + 1}").json()["results"] == []


def _cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


BAD_CURSORS = [
    "abc",
    _cursor("p=abc"),
    _cursor("p=2026-02-30T10:00"),
    _cursor("p=" + "9" * 20),
    _cursor("p=-" + "9" * 20),
    _cursor("p=\x00"),
    _cursor("o=" + "9" * 20 + "&p=1"),
    _cursor("r=1&p=1.5"),
]


def _cursor_lists(client):
    schema = client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if (
            get
            and "{" not in path
            and any(p["name"] == "cursor" for p in get.get("parameters", []))
        ):
            yield path


def test_a_malformed_cursor_on_every_cursor_paginated_list_is_a_4xx(staff_api):
    fuzz_data()
    lists = list(_cursor_lists(staff_api))
    assert len(lists) >= 12
    failures = []
    for path in lists:
        assert staff_api.get(path).status_code == 200, path
        for cursor in BAD_CURSORS:
            response = staff_api.get(f"{path}?cursor={quote(cursor, safe='%')}")
            # A position the list's order can hold is a valid cursor; the rest are refused.
            refused = response.status_code == 404 and "error" in response.json()
            if response.status_code != 200 and not refused:
                failures.append(f"{path} cursor={cursor}: {response.status_code}")
    assert failures == [], "\n".join(failures)
    for path in ("/api/v1/records/entries/", "/api/v1/moderation/items/"):
        for cursor in BAD_CURSORS[1:5]:
            assert staff_api.get(f"{path}?cursor={cursor}").status_code == 404


def _nested(depth: int) -> str:
    return '{"text": ' * depth + '"x"' + "}" * depth


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("/api/v1/moderation/ingest/", Scope.MODERATION_INGEST),
        ("/api/v1/records/entries/", Scope.RECORDS_WRITE),
        ("/api/v1/podcasts/episodes/", Scope.PODCASTS_WRITE),
        ("/api/v1/channels/channels/", None),
    ],
)
def test_a_body_nested_deeper_than_a_document_is_a_400(token_client, path, scope, depth):
    client = token_client(*([scope] if scope else []))
    response = client.generic("POST", path, _nested(depth), content_type="application/json")
    assert response.status_code in (400, 403), response.content[:300]
    assert "error" in response.json()


def test_a_moderately_nested_body_is_still_read(token_client):
    client = token_client(Scope.MODERATION_INGEST)
    body = '{"items": [' + _nested(50) + "]}"
    response = client.generic(
        "POST", "/api/v1/moderation/ingest/", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content[:300]
    assert response.json()["results"][0]["outcome"] == "rejected"


@pytest.fixture
def claimed(client, everyone):
    data = fuzz_data()
    item_claim(item=data.open_item, actor=everyone)
    client.force_login(everyone)
    return data.open_item


def _act(client, item, **data):
    return client.post(reverse("admin:moderation_queue_act", args=[item.pk]), data, follow=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"action": "block", "grounds": ["harassment"], "ends_at": "2026-02-30T10:00"},
            "giltigt datum",
        ),
        ({"action": "block", "grounds": ["harassment"], "ends_at": "imorgon"}, "giltigt datum"),
        ({"action": "reconsider", "decision": "abc", "outcome": "upheld"}, "finns inte"),
        ({"action": "reconsider", "decision": BIGINT_PAST, "outcome": "upheld"}, "finns inte"),
        ({"action": "lift", "block": "abc"}, "finns inte"),
        ({"action": "lift", "block": BIGINT_PAST}, "finns inte"),
        ({"action": "reply", "reply_template": "abc"}, "finns inte"),
    ],
)
def test_a_malformed_queue_action_is_refused_with_a_message(client, claimed, data, message):
    decisions = Decision.objects.count()
    response = _act(client, claimed, **data)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1
    assert message in shown[0]
    assert Decision.objects.count() == decisions
    assert not Block.objects.exists()


def test_bulk_decide_in_the_queue_with_an_id_past_bigint_is_refused(client, claimed):
    response = client.post(
        reverse("admin:moderation_queue_bulk"),
        {"items": [BIGINT_PAST, str(claimed.pk)], "action": "keep"},
        follow=True,
    )
    assert response.status_code == 200
    assert Item.objects.get(pk=claimed.pk).state != ItemState.KEPT


@pytest.mark.parametrize("items", [[BIGINT_PAST], [-1], [2**31, 2**63 - 1]])
def test_bulk_decide_in_the_api_with_an_id_past_bigint_is_a_400(staff_api, items):
    fuzz_data()
    response = staff_api.post(
        "/api/v1/moderation/items/bulk-decide/", {"items": items, "action": "keep"}, format="json"
    )
    if items == [2**31, 2**63 - 1]:  # in range, no such items: refused by the service
        assert response.status_code in (400, 409), response.content
    else:
        assert_error_format(response)
        assert "items" in response.json()["error"]["details"]


def test_the_api_refuses_an_impossible_end_date(staff_api, everyone):
    data = fuzz_data()
    item_claim(item=data.open_item, actor=everyone)
    response = staff_api.post(
        f"/api/v1/moderation/items/{data.open_item.pk}/decide/",
        {"action": "block", "grounds": ["harassment"], "ends_at": "2026-02-30T10:00"},
        format="json",
    )
    assert_error_format(response)
    assert not Block.objects.exists()


@pytest.mark.parametrize("version", ["abc", BIGINT_PAST, "-1", "1.5"])
@pytest.mark.parametrize(
    "page",
    ["records/record", "podcasts/show", "accounts/user"],
)
def test_a_history_version_that_is_not_an_id_is_a_404(client, make_user, page, version):
    data = fuzz_data()
    superuser = make_user(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    objects = {
        "records/record": lambda: data.public_record,
        "podcasts/show": lambda: Show.objects.first(),
        "accounts/user": lambda: superuser,
    }
    pk = objects[page]().pk
    assert client.get(f"/admin/{page}/{pk}/history/").status_code == 200
    assert client.get(f"/admin/{page}/{pk}/history/{version}/").status_code == 404
    assert client.get(f"/admin/{page}/abc/history/1/").status_code == 404
    assert client.get(f"/admin/{page}/abc/history/").status_code in (302, 404)


def test_a_client_rate_that_is_not_a_rate_is_refused_in_the_admin(client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/admin/accounts/integrationclient/add/",
        {
            "name": "Ärendesystemet",
            "contact": "it@orebro.se",
            "scopes": ["records:read"],
            "throttle_rate": "abc",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Ange gränsen som antal anrop per period" in response.content.decode()
    assert not IntegrationClient.objects.exists()


@pytest.mark.parametrize("rate", ["10/min", "5/s", "100/hour", "1000/day"])
def test_a_client_rate_in_the_documented_form_is_kept(client, administrator, rate):
    client.force_login(administrator)
    response = client.post(
        "/admin/accounts/integrationclient/add/",
        {
            "name": "Ärendesystemet",
            "contact": "it@orebro.se",
            "scopes": ["records:read"],
            "throttle_rate": rate,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert IntegrationClient.objects.get().throttle_rate == rate


def test_a_client_with_a_broken_stored_rate_still_works(make_integration):
    client, token = make_integration(Scope.RECORDS_READ)
    IntegrationClient.objects.filter(pk=client.pk).update(throttle_rate="abc")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/records/entries/").status_code == 200


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims the given size: a decompression bomb."""
    buffer = io.BytesIO(podcast_files.image_bytes(size=8))
    data = bytearray(buffer.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def test_a_decompression_bomb_as_show_artwork_is_refused(staff_api):
    fuzz_data()
    show = Show.objects.get()
    before = show.artwork.name
    bomb = podcast_files.upload("omslag.png", _png_claiming(60_000, 60_000), "image/png")
    response = staff_api.patch(
        f"/api/v1/podcasts/shows/{show.pk}/", {"artwork": bomb}, format="multipart"
    )
    assert_error_format(response)
    assert "artwork" in response.json()["error"]["details"]
    assert "3000 × 3000" in str(response.json()["error"]["details"])
    show.refresh_from_db()
    assert show.artwork.name == before


def test_an_ingest_batch_up_to_the_documented_10_mb_is_read(token_client):
    fuzz_data()
    client = token_client(Scope.MODERATION_INGEST)
    entry = {
        "channel": "finns-inte",
        "external_id": "1",
        "kind": "comment",
        "event": "created",
        "occurred_at": "2026-11-24T09:00:00+01:00",
        "text": "ä" * 9_000,
    }
    body = {"items": [entry] * 400}  # about 7 MB
    response = client.post("/api/v1/moderation/ingest/", body, format="json")
    assert response.status_code == 200, response.content[:300]
    assert len(response.json()["results"]) == 400


def test_an_ingest_batch_over_10_mb_is_a_400_in_the_error_format(token_client):
    client = token_client(Scope.MODERATION_INGEST)
    body = '{"items": ["' + "x" * (10 * 1024 * 1024 + 10) + '"]}'
    response = client.generic(
        "POST", "/api/v1/moderation/ingest/", body, content_type="application/json"
    )
    assert_error_format(response, status=400)


def test_any_api_body_over_the_upload_limit_answers_in_the_error_format(staff_api):
    fuzz_data()
    body = urlencode({"text": "x" * (3 * 1024 * 1024)})
    response = staff_api.generic(
        "POST",
        "/api/v1/moderation/notes/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (400, 413), response.content[:300]
    assert "error" in response.json()
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    "character", [chr(0), chr(0xD800), chr(0xDFFF)], ids=["NUL", "high", "low"]
)
@pytest.mark.parametrize("field", ["text", "external_id", "author_name", "raw", "raw key"])
def test_one_ingested_item_the_register_cannot_hold_costs_only_itself(
    token_client, field, character
):
    data = fuzz_data()
    client = token_client(Scope.MODERATION_INGEST)

    def entry(name, **overrides):
        return {
            "channel": data.channel.slug,
            "external_id": name,
            "kind": "comment",
            "event": "created",
            "occurred_at": "2026-11-24T09:00:00+01:00",
            "text": "Hej 🙂\u200f",
            "raw": {"källa": "e-tjänst"},
            **overrides,
        }

    hostile = {
        "text": {"text": f"a{character}b"},
        "external_id": {"external_id": f"x{character}"},
        "author_name": {"author_id": "1", "author_name": character},
        "raw": {"raw": {"djup": [{"text": character}]}},
        "raw key": {"raw": {f"nyckel{character}": 1}},
    }[field]
    body = {"items": [entry("ok-1"), entry("bad", **hostile), entry("ok-2")]}
    # ensure_ascii: the hostile characters travel as \u escapes, as a JSON client sends them.
    response = client.generic(
        "POST", "/api/v1/moderation/ingest/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content[:300]
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == ["created", "rejected", "created"]
    assert results[1]["reason"]
    assert set(
        Item.objects.filter(external_id__startswith="ok-").values_list("external_id", flat=True)
    ) == {"ok-1", "ok-2"}


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/channels/channels/a%00b/",
        "/api/v1/records/retention-classes/%00/",
        "/api/v1/moderation/grounds/%00/",
        "/api/v1/moderation/statistics/?channel=%00",
    ],
)
def test_nul_in_an_address_is_a_400(staff_api, address):
    fuzz_data()
    assert_error_format(staff_api.get(address))


@pytest.mark.parametrize("body_format", ["multipart", None])
def test_a_form_or_multipart_body_with_nul_is_a_400(staff_api, body_format):
    """The JSON parser's refusal holds for form and multipart bodies too: a slug with NUL sent
    as a form field reached a lookup and was a database error on PostgreSQL. (A lone surrogate
    cannot be sent in a form: it has no UTF-8 form.)"""
    fuzz_data()
    value = "a\x00b"
    before = Episode.objects.count()
    data = {"show": value, "title": value, "number": "7", "description": "x"}
    if body_format is None:
        response = staff_api.generic(
            "POST",
            "/api/v1/podcasts/episodes/",
            urlencode(data),
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = staff_api.post("/api/v1/podcasts/episodes/", data, format=body_format)
    assert response.status_code == 400
    assert_error_format(response)
    assert Episode.objects.count() == before
