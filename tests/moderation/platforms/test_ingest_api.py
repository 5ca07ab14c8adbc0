"""``POST /api/v1/moderation/ingest/``: other municipal systems push normalized items."""

import pytest

from moderation.models import Item
from tests.factories import ChannelFactory

URL = "/api/v1/moderation/ingest/"
TEXT = "ä😍\u200bشكرا\u200f Örebro\u2067עברית\u2069  "


@pytest.fixture
def channel(db):
    return ChannelFactory.create(connected=True, slug="orebro-kommun-facebook")


def entry(**overrides):
    return {
        "channel": "orebro-kommun-facebook",
        "external_id": "123_456",
        "kind": "comment",
        "event": "created",
        "occurred_at": "2026-11-24T09:00:00+01:00",
        "text": TEXT,
        "author_id": "6001234567890",
        "author_name": "Anna Andersson",
        "permalink": "https://www.facebook.com/123?comment_id=456",
        "raw": {"source": "e-tjänst"},
        **overrides,
    }


@pytest.mark.django_db
def test_a_batch_comes_in_with_a_result_per_item_and_again_changes_nothing(channel, token_client):
    client = token_client("moderation:ingest")
    batch = {
        "items": [
            entry(),
            entry(external_id="123_789", author_id=None, author_name=None),
            entry(event="edited", text="Ändrad", occurred_at="2026-11-24T10:00:00+01:00"),
            entry(channel="finns-inte"),
            entry(kind="story"),
            "not an item",
        ]
    }
    response = client.post(URL, batch, format="json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == [
        "created",
        "created",
        "updated",
        "rejected",
        "rejected",
        "rejected",
    ]
    assert "finns-inte" in results[3]["reason"]
    assert results[4]["reason"].startswith("kind:")
    item = Item.objects.get(external_id="123_456")
    assert results[0]["item"] == item.pk
    assert item.text == "Ändrad"
    first_version = item.versions.order_by("platform_time")[0]
    assert first_version.text == TEXT  # stored exactly
    assert Item.objects.get(external_id="123_789").author is None

    again = client.post(URL, batch, format="json").json()["results"]
    assert [r["outcome"] for r in again[:3]] == ["unchanged"] * 3
    assert Item.objects.count() == 2


@pytest.mark.django_db
def test_more_than_500_items_or_none_is_a_400(channel, token_client):
    client = token_client("moderation:ingest")
    too_many = {"items": [entry(external_id=str(n)) for n in range(501)]}
    response = client.post(URL, too_many, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["items"]
    assert client.post(URL, {"items": []}, format="json").status_code == 400
    assert client.post(URL, {}, format="json").status_code == 400
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_a_batch_of_500_is_accepted_with_bounded_queries(
    channel, token_client, django_assert_max_num_queries
):
    client = token_client("moderation:ingest")
    small = {"items": [entry(external_id=f"a{n}") for n in range(2)]}
    large = {"items": [entry(external_id=f"b{n}") for n in range(20)]}
    with django_assert_max_num_queries(10 + 2 * 30):
        client.post(URL, small, format="json")
    with django_assert_max_num_queries(10 + 20 * 30):  # linear in the items, never worse
        response = client.post(URL, large, format="json")
    assert {r["outcome"] for r in response.json()["results"]} == {"created"}
    full = {"items": [entry(external_id=f"c{n}", text=None) for n in range(500)]}
    assert client.post(URL, full, format="json").status_code == 200
    assert Item.objects.count() == 522


@pytest.mark.django_db
@pytest.mark.parametrize("scopes", [(), ("moderation:read",)])
def test_without_the_ingest_scope_nothing_comes_in(channel, token_client, scopes):
    response = token_client(*scopes).post(URL, {"items": [entry()]}, format="json")
    assert response.status_code == 403
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_staff_cannot_ingest(channel, api_client, moderator, administrator):
    for user in (moderator, administrator):
        api_client.force_authenticate(user)
        assert api_client.post(URL, {"items": [entry()]}, format="json").status_code == 403
