"""Meta deliveries -> NormalizedItems: every recorded event kind, signature and handshake."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from moderation.platforms import meta
from tests.moderation.platforms.recorded import FIXTURES, TEST_SECRET, payload_bytes, sign

PAGE = "104857600000001"
POST = f"{PAGE}_2233445566"
COMMENT = "2233445566_7788990011"


def parse_one(name: str):
    delivery = meta.delivery_parse(payload_bytes(f"meta/{name}.json"))
    assert delivery.skipped == []
    assert len(delivery.items) == 1
    return delivery.items[0]


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def test_a_facebook_comment_added():
    item = parse_one("facebook_comment_add")
    assert (item.platform, item.account_id, item.external_id) == ("facebook", PAGE, COMMENT)
    assert (item.kind, item.event) == ("comment", "created")
    assert item.text == "När öppnar återvinningscentralen? 🙂"
    assert (item.author_id, item.author_name) == ("6001234567890", "Anna Andersson")
    assert (item.parent_external_id, item.thread_external_id) == (POST, POST)
    assert item.occurred_at == at(1764000000)
    assert item.permalink == f"https://www.facebook.com/{POST}?comment_id=7788990011"
    assert item.raw["verb"] == "add"


@pytest.mark.parametrize(
    ("name", "event", "seconds"),
    [
        ("facebook_comment_edited", "edited", 1764000300),
        ("facebook_comment_remove", "removed", 1764000600),
        ("facebook_comment_hide", "hidden", 1764000700),
        ("facebook_comment_unhide", "unhidden", 1764000800),
    ],
)
def test_later_events_on_a_facebook_comment(name, event, seconds):
    item = parse_one(name)
    assert (item.external_id, item.kind, item.event) == (COMMENT, "comment", event)
    # The time of the change, not the comment's original created_time.
    assert item.occurred_at == at(seconds)


def test_a_removal_without_message_or_created_time():
    item = parse_one("facebook_comment_remove")
    assert item.text is None
    assert item.author_id == "6001234567890"


def test_the_legacy_edit_verb_counts_as_edited():
    body = json.loads(payload_bytes("meta/facebook_comment_edited.json"))
    body["entry"][0]["changes"][0]["value"]["verb"] = "edit"
    (item,) = meta.delivery_parse(json.dumps(body).encode()).items
    assert item.event == "edited"


def test_a_reply_names_its_parent_comment():
    item = parse_one("facebook_reply_add")
    assert (item.kind, item.parent_external_id, item.thread_external_id) == ("reply", COMMENT, POST)
    assert item.author_id == "6009876543210"  # numeric in the payload, a string here


def test_a_visitor_post_on_the_page():
    item = parse_one("facebook_post_add")
    assert (item.kind, item.event, item.external_id) == ("post", "created", f"{PAGE}_3344556677")
    assert item.text == "Gatlampan på Drottninggatan 12 är trasig."
    assert item.parent_external_id is None


def test_a_comment_without_from_has_an_unknown_author():
    item = parse_one("facebook_comment_without_from")
    assert (item.author_id, item.author_name) == (None, None)
    assert item.text == "Varför svarar ingen?"


def test_an_older_payload_names_the_author_in_sender_fields():
    item = parse_one("facebook_comment_sender_id")
    assert (item.author_id, item.author_name) == ("6005556667778", "David Dahl")


def test_the_pages_own_reply_and_post_are_items_of_its_own():
    reply = parse_one("facebook_own_reply")
    assert (reply.kind, reply.author_id, reply.account_id) == ("reply", PAGE, PAGE)
    assert reply.is_own
    post = parse_one("facebook_own_post")
    assert (post.kind, post.external_id, post.is_own) == ("post", f"{PAGE}_2233445566", True)
    assert post.text.startswith("Snöröjningen i Vivalla")
    assert not parse_one("facebook_comment_add").is_own


def test_unknown_fields_items_and_verbs_are_skipped_not_errors(caplog):
    delivery = meta.delivery_parse(payload_bytes("meta/facebook_unknown.json"))
    assert delivery.items == []
    reasons = [(s["field"], s["item"], s["reason"]) for s in delivery.skipped]
    assert reasons == [
        ("ratings", None, "unknown_field"),
        ("feed", "video", "unknown_verb"),
        ("feed", "reaction", "unknown_item"),
    ]
    assert "unknown_verb" in caplog.text


def test_escaped_unicode_emoji_zero_width_and_rtl_come_out_exactly():
    raw = payload_bytes("meta/facebook_comment_escaped_unicode.json")
    assert b"\\u00e4\\ud83d\\ude0d" in raw  # as Meta sends it: escaped, odd spacing
    assert meta.signature_valid(raw, sign(raw), [TEST_SECRET])
    (item,) = meta.delivery_parse(raw).items
    assert item.text == "ä😍\u200bشكرا\u200f  Örebro\u2067עברית\u2069 🇸🇪"


def test_an_instagram_comment():
    item = parse_one("instagram_comment")
    assert (item.platform, item.account_id) == ("instagram", "17841400000000001")
    assert (item.external_id, item.kind, item.event) == ("17890000000000001", "comment", "created")
    assert item.text == "Vilken fin bild från Wadköping 😍"
    assert (item.author_id, item.author_name) == ("17841499999999999", "orebro_bo")
    assert item.author_url == "https://www.instagram.com/orebro_bo/"
    assert (item.parent_external_id, item.thread_external_id) == (
        "17900000000000001",
        "17900000000000001",
    )
    assert item.occurred_at == at(1764000100)


def test_an_instagram_reply():
    item = parse_one("instagram_reply")
    assert (item.kind, item.parent_external_id) == ("reply", "17890000000000001")


def test_an_instagram_mention_names_the_comment_only():
    item = parse_one("instagram_mention")
    assert (item.kind, item.external_id, item.thread_external_id) == (
        "mention",
        "17890000000000055",
        "17900000000000077",
    )
    assert item.text is None


def test_the_instagram_dashboard_test_payload_is_ignored():
    delivery = meta.delivery_parse(payload_bytes("meta/instagram_dashboard_test.json"))
    assert delivery.items == []
    assert delivery.skipped[0]["reason"] == "dashboard_test"


def test_an_edit_before_its_add_and_a_remove_before_its_edit_keep_platform_order():
    arrival = ["facebook_comment_remove", "facebook_comment_edited", "facebook_comment_add"]
    items = [parse_one(name) for name in arrival]
    in_platform_order = sorted(items, key=lambda item: item.occurred_at)
    assert [i.event for i in in_platform_order] == ["created", "edited", "removed"]


def test_a_replayed_delivery_has_the_same_event_keys_and_an_edit_a_new_one():
    first = parse_one("facebook_comment_add")
    again = parse_one("facebook_comment_add")
    edited = parse_one("facebook_comment_edited")
    assert first.event_key == again.event_key
    assert edited.event_key != first.event_key


def test_a_thousand_change_batch_parses():
    value = json.loads(payload_bytes("meta/facebook_comment_add.json"))["entry"][0]["changes"][0]
    changes = [
        {**value, "value": {**value["value"], "comment_id": f"2233445566_{n}"}} for n in range(1000)
    ]
    body = {"object": "page", "entry": [{"id": PAGE, "time": 1764000000, "changes": changes}]}
    delivery = meta.delivery_parse(json.dumps(body).encode())
    assert len({item.external_id for item in delivery.items}) == 1000


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"\xff\xfe", b"[]", b'{"object":"page"}', b"[" * 100_000]
)
def test_a_body_that_is_not_a_delivery_is_malformed(body):
    with pytest.raises(meta.MalformedDeliveryError):
        meta.delivery_parse(body)


def test_broken_parts_inside_a_delivery_are_skipped():
    body = {
        "object": "page",
        "entry": [
            1,
            {"id": PAGE, "changes": "x"},
            {"id": PAGE, "time": "garbage", "changes": [{"field": "feed", "value": "text"}]},
            {
                "id": PAGE,
                "changes": [{"field": "feed", "value": {"item": "comment", "verb": "add"}}],
            },
            {"id": PAGE, "time": 1764000000, "messaging": [{"message": {"text": "hej"}}]},
            {"time": 1764000000, "changes": [{"field": "feed", "value": {}}]},
            {
                "id": PAGE,
                "time": 1764000000,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment",
                            "verb": "add",
                            "comment_id": {"x": 1},
                            "message": ["not", "text"],
                        },
                    }
                ],
            },
        ],
    }
    delivery = meta.delivery_parse(json.dumps(body).encode())
    assert delivery.items == []
    assert [s["reason"] for s in delivery.skipped] == [
        "entry_not_an_object",
        "change_not_an_object",
        "unknown_item",
        "no_id",  # no time is no reason to skip (TF 2:9: the arrival dates it); no id is
        "not_subscribed",
        "no_account",
        "no_id",
    ]


def test_an_unknown_object_is_skipped():
    body = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{}]}]}
    delivery = meta.delivery_parse(json.dumps(body).encode())
    assert [s["reason"] for s in delivery.skipped] == ["unknown_object"]


class TestSignature:
    body = payload_bytes("meta/facebook_comment_add.json")

    def test_the_right_secret(self):
        assert meta.signature_valid(self.body, sign(self.body), [TEST_SECRET])

    def test_either_of_two_secrets_instagram_login(self):
        assert meta.signature_valid(self.body, sign(self.body, "ig"), ["", TEST_SECRET, "ig"])

    @pytest.mark.parametrize(
        "signature",
        [
            None,
            "",
            "sha256=",
            "sha256=zz" + "0" * 62,
            "sha1=0123456789abcdef0123456789abcdef01234567",
            "sha256=" + "0" * 64,
            "sha256=ÄÖ",
        ],
    )
    def test_missing_or_wrong_signatures(self, signature):
        assert not meta.signature_valid(self.body, signature, [TEST_SECRET])

    def test_a_wrong_secret(self):
        assert not meta.signature_valid(self.body, sign(self.body, "other"), [TEST_SECRET])

    def test_one_changed_byte(self):
        signature = sign(self.body)
        assert not meta.signature_valid(
            self.body.replace(b"Anna", b"Anne"), signature, [TEST_SECRET]
        )

    def test_no_configured_secret_accepts_nothing(self):
        assert not meta.signature_valid(self.body, sign(self.body, ""), ["", ""])


class TestHandshake:
    def test_the_right_token_echoes_the_challenge(self):
        query = {"hub.mode": "subscribe", "hub.verify_token": "t0k", "hub.challenge": "1158201444"}
        assert meta.handshake(query, "t0k") == (200, "1158201444")

    @pytest.mark.parametrize(
        ("query", "token"),
        [
            ({"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"}, "t0k"),
            ({"hub.mode": "unsubscribe", "hub.verify_token": "t0k", "hub.challenge": "1"}, "t0k"),
            ({"hub.challenge": "1"}, "t0k"),
            ({"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}, ""),
        ],
    )
    def test_anything_else_is_refused(self, query, token):
        assert meta.handshake(query, token) == (403, "")


def test_mutated_deliveries_never_raise_anything_but_malformed():
    """Every recorded delivery with values swapped for other JSON types, many times over."""
    import random

    odd_values: list[Any] = [None, True, 0, -1, 1e308, "", "x", [], [1, None], {}, {"id": {}}]
    rng = random.Random(6)

    def mutate(node):
        if isinstance(node, dict):
            return {
                k: rng.choice(odd_values) if rng.random() < 0.2 else mutate(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [mutate(v) for v in node]
        return node

    names = sorted(p.stem for p in (FIXTURES / "meta").glob("*.json"))
    for _ in range(40):
        for name in names:
            body = json.dumps(mutate(json.loads(payload_bytes(f"meta/{name}.json")))).encode()
            try:
                delivery = meta.delivery_parse(body)
            except meta.MalformedDeliveryError:
                continue
            for item in delivery.items:
                assert isinstance(item.external_id, str)
                assert item.text is None or isinstance(item.text, str)
                json.dumps(item.to_payload())
