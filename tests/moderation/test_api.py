"""The moderation API: who may read and act, the error format, the detail's query budget (the
lists' budgets are in tests/moderation/api_budgets.py)."""

import pytest
from django.urls import reverse

from accounts.choices import Role
from channels_app.choices import ChannelPlatform
from moderation import services
from moderation.choices import ItemState
from moderation.models import Block, Decision, Item, Note
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/moderation/items/"


def test_integration_client_with_read_scope_reads_the_queue(intake, token_client):
    item = intake(text="Tack! 🎉 \u200fمرحبا\u200f noll\u200bbredd")
    client = token_client("moderation:read")
    body = client.get(ITEMS).json()
    assert [row["id"] for row in body["results"]] == [item.pk]
    assert body["results"][0]["text"] == item.text  # emoji, RTL and zero-width exactly
    detail = client.get(f"{ITEMS}{item.pk}/").json()
    assert detail["raw_payload"] == {"message": item.text}
    assert client.get("/api/v1/moderation/grounds/").status_code == 200
    assert client.get("/api/v1/moderation/metrics/").status_code == 200


def test_integration_clients_cannot_decide(intake, token_client):
    item = intake()
    client = token_client("moderation:read", "moderation:ingest")
    response = client.post(f"{ITEMS}{item.pk}/decide/", {"action": "keep"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Decision.objects.exists()


def test_without_scope_or_role_nothing_is_shown(intake, token_client, api_client, editor):
    intake()
    assert token_client("channels:read").get(ITEMS).status_code == 403
    api_client.force_authenticate(editor)
    assert api_client.get(ITEMS).status_code == 403


def test_moderator_claims_and_removes(intake, api_client, moderator):
    item = intake(text="Ni är ena jävla idioter")
    api_client.force_authenticate(moderator)
    claimed = api_client.post(f"{ITEMS}{item.pk}/claim/").json()
    assert claimed["state"] == ItemState.CLAIMED
    assert claimed["claimed_by"] == moderator.name
    response = api_client.post(
        f"{ITEMS}{item.pk}/decide/", {"action": "remove", "grounds": ["harassment"]}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["grounds"] == ["harassment"]
    assert body["platform_actions"][0]["action"] == "delete"


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"action": "remove"}, 400, "grounds"),
        ({"action": "remove", "grounds": ["political"]}, 400, "rationale"),
        ({"action": "remove", "grounds": ["okand"]}, 400, "grounds"),
        ({"action": "explode"}, 400, "action"),
    ],
)
def test_bad_decisions_are_refused_with_a_clear_message(
    intake, api_client, moderator, payload, status, field
):
    item = intake()
    api_client.force_authenticate(moderator)
    response = api_client.post(f"{ITEMS}{item.pk}/decide/", payload)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["details"]
    assert not Decision.objects.exists()


def test_decision_on_an_item_claimed_by_another_is_a_conflict(intake, api_client, make_user):
    first, second = make_user(Role.MODERATOR), make_user(Role.MODERATOR)
    item = intake()
    services.item_claim(item=item, actor=first)
    api_client.force_authenticate(second)
    response = api_client.post(f"{ITEMS}{item.pk}/decide/", {"action": "keep"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "claimed_by_other"
    assert first.name in response.json()["error"]["message"]


def test_bulk_decide(intake, api_client, moderator):
    items = [intake() for _ in range(3)]
    api_client.force_authenticate(moderator)
    response = api_client.post(
        f"{ITEMS}bulk-decide/",
        {"items": [i.pk for i in items], "action": "hide", "ground": "harassment"},
    )
    assert response.status_code == 201
    assert len(response.json()) == 3
    assert Item.objects.filter(state=ItemState.HIDDEN).count() == 3


def test_bulk_refuses_unknown_items_and_unable_channels(intake, api_client, moderator):
    linkedin = ChannelFactory.create(connected=True, platform=ChannelPlatform.LINKEDIN, url="")
    items = [intake(), intake(linkedin)]
    api_client.force_authenticate(moderator)
    unknown = api_client.post(
        f"{ITEMS}bulk-decide/", {"items": [items[0].pk, 999999], "action": "keep"}
    )
    assert unknown.status_code == 400
    assert "999999" in str(unknown.json())
    mixed = api_client.post(
        f"{ITEMS}bulk-decide/",
        {"items": [i.pk for i in items], "action": "hide", "ground": "harassment"},
    )
    assert mixed.status_code == 409
    assert not Decision.objects.exists()


def test_reconsider_through_the_api(intake, api_client, make_user):
    first, second = make_user(Role.MODERATOR), make_user(Role.MODERATOR)
    item = intake()
    decision = services.item_decide(
        item=item, action="remove", ground_codes=["harassment"], actor=first
    )
    api_client.force_authenticate(first)
    same = api_client.post(
        f"{ITEMS}{item.pk}/reconsider/",
        {"decision": decision.pk, "outcome": "upheld", "rationale": "Står fast."},
    )
    assert same.status_code == 403
    api_client.force_authenticate(second)
    other = api_client.post(
        f"{ITEMS}{item.pk}/reconsider/",
        {"decision": decision.pk, "outcome": "upheld", "rationale": "Rätt bedömt."},
    )
    assert other.status_code == 201


def test_blocks_and_notes(intake, api_client, moderator, channel):
    item = intake()
    api_client.force_authenticate(moderator)
    created = api_client.post(
        "/api/v1/moderation/blocks/",
        {"author": item.author.pk, "channel": channel.pk, "grounds": ["harassment"]},
    )
    assert created.status_code == 201
    block_id = created.json()["id"]
    lifted = api_client.post(f"/api/v1/moderation/blocks/{block_id}/lift/", {"rationale": "Ok"})
    assert lifted.status_code == 200
    assert lifted.json()["lifted_at"]
    note = api_client.post("/api/v1/moderation/notes/", {"item": item.pk, "text": "Följ upp."})
    assert note.status_code == 201
    assert note.json()["created_by"] == moderator.name
    both = api_client.post(
        "/api/v1/moderation/notes/", {"item": item.pk, "author": item.author.pk, "text": "x"}
    )
    assert both.status_code == 400
    assert Note.objects.count() == 1
    assert Block.objects.count() == 1


def test_metrics_count_a_removal(intake, api_client, moderator, channel):
    item = intake()
    services.item_decide(item=item, action="remove", ground_codes=["harassment"], actor=moderator)
    api_client.force_authenticate(moderator)
    body = api_client.get("/api/v1/moderation/metrics/").json()
    month = next(m for m in body["months"] if m["received"])
    assert month["removals"] == 1
    assert month["removals_by_channel"] == {channel.name: 1}
    assert sum(month["removals_by_ground"].values()) == 1


def test_filters(intake, api_client, moderator):
    plain = intake(text="När plogas Storgatan?")
    flagged = intake(text="Din jävla idiot, ring 070-123 45 67")
    api_client.force_authenticate(moderator)
    by_ground = api_client.get(ITEMS, {"ground": "sensitive-information"}).json()["results"]
    assert [row["id"] for row in by_ground] == [flagged.pk]
    services.item_decide(item=plain, action="keep", actor=moderator)
    open_items = api_client.get(ITEMS, {"due": "open"}).json()["results"]
    assert [row["id"] for row in open_items] == [flagged.pk]
    kept = api_client.get(ITEMS, {"state": "kept"}).json()["results"]
    assert [row["id"] for row in kept] == [plain.pk]


def test_detail_query_count(intake, api_client, moderator, django_assert_max_num_queries):
    item = intake(text="Din idiot, 19121212-1212")
    services.item_decide(item=item, action="keep", actor=moderator)
    services.item_decide(item=item, action="reopen", actor=moderator)
    services.item_decide(item=item, action="remove", ground_codes=["harassment"], actor=moderator)
    api_client.force_authenticate(moderator)
    # The item, its grounds, hits and decisions, and the decisions' grounds and platform actions
    # (the services have read the moderator's permissions into the user already).
    with django_assert_max_num_queries(6):
        assert api_client.get(f"{ITEMS}{item.pk}/").status_code == 200


def test_schema_documents_the_actions(api_client):
    schema = api_client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/moderation/items/{id}/claim/",
        "/api/v1/moderation/items/{id}/decide/",
        "/api/v1/moderation/items/bulk-decide/",
        "/api/v1/moderation/blocks/{id}/lift/",
        "/api/v1/moderation/metrics/",
    ):
        assert path in paths


def test_queue_list_is_what_the_item_serializer_gives(intake, api_client, moderator):
    """The list is built from plain rows; it must match ItemSerializer key for key."""
    from moderation import selectors
    from moderation.api.serializers import ItemSerializer

    flagged = intake(text="Din idiot, ring 070-123 45 67")
    intake(text="Svar", parent_external_id=flagged.external_id)
    intake(text="Tack! 🎉")
    services.item_claim(item=flagged, actor=moderator)
    api_client.force_authenticate(moderator)
    listed = api_client.get(ITEMS, {"page_size": 200}).json()["results"]
    expected = ItemSerializer(selectors.item_list(), many=True, context={"viewer": moderator}).data
    assert listed == expected
    assert any(row["hits"] and row["suspected_grounds"] for row in listed)
    assert any(row["claimed_by"] == moderator.name for row in listed)
    assert all(row["record"] for row in listed if row["id"] == flagged.pk)


def test_item_detail_is_what_the_detail_serializer_gives(intake, api_client, make_user):
    """The detail is built from the queue's plain rows; it must match ItemDetailSerializer
    byte for byte."""
    from rest_framework.renderers import JSONRenderer

    from moderation import selectors
    from moderation.api.serializers import ItemDetailSerializer

    first, second = make_user(Role.MODERATOR), make_user(Role.MODERATOR)
    flagged = intake(text="Din idiot, ring 070-123 45 67")
    services.item_decide(item=flagged, action="keep", actor=first)
    services.item_decide(item=flagged, action="reopen", actor=first)
    removal = services.item_decide(
        item=flagged, action="remove", ground_codes=["harassment"], actor=first
    )
    services.decision_reconsider(
        decision=removal, outcome="upheld", rationale="Rätt bedömt.", actor=second
    )
    claimed = intake(text="Tack! 🎉")
    services.item_claim(item=claimed, actor=second)
    anonymous = intake(text="Hej", author_id=None)
    api_client.force_authenticate(first)
    for item in (flagged, claimed, anonymous):
        response = api_client.get(f"{ITEMS}{item.pk}/")
        instance = (
            selectors.item_list()
            .prefetch_related(
                "decisions__grounds", "decisions__platform_actions", "decisions__moderator"
            )
            .get(pk=item.pk)
        )
        expected = ItemDetailSerializer(instance, context={"viewer": first}).data
        assert response.content == JSONRenderer().render(expected)
    body = api_client.get(f"{ITEMS}{flagged.pk}/").json()
    assert body["hits"]
    assert body["suspected_grounds"]
    assert body["record"]
    assert [d["action"] for d in body["decisions"]] == ["remove", "reopen", "keep"]
    assert body["decisions"][0]["grounds"] == ["harassment"]
    assert body["decisions"][0]["platform_actions"][0]["action"] == "delete"
    assert api_client.get(f"{ITEMS}{claimed.pk}/").json()["claimed_by"] == second.name
    assert api_client.get(f"{ITEMS}{anonymous.pk}/").json()["author"] is None
