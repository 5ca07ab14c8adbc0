"""A post published here, then seen by Meta's webhook (issue 20, point 6): the post the webhook
delivers is the entry the sender registered, not a second one, and the comments that answer
it name it in their subjects. Through the doors: the sender at the post's time and signed
``/hooks/meta/`` deliveries."""

import json

import pytest

from moderation.models import Item
from publishing import tasks
from publishing.models import Post
from records.models import Record
from tests.moderation.platforms.recorded import canned, meta_post
from tests.publishing.conftest import PAGE
from tests.publishing.factories import approved, in_an_hour
from tests.publishing.test_sending import time_comes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("meta_settings")]

PUBLISHED_ID = "104857600000001_1029384756000999"  # publishing/facebook_photo_created.json
TITLE = "Nu öppnar skridskobanan på Stortorget. Välkommen att åka!"


def deliver(client, value: dict) -> None:
    body = json.dumps(
        {
            "object": "page",
            "entry": [{"id": PAGE, "time": value["created_time"], "changes": [value]}],
        }
    ).encode()
    response = meta_post(client, body)
    assert response.status_code == 200, response.content


def published(facebook, author, approver, platform_http) -> Post:
    post = approved(facebook, author, approver, planned_at=in_an_hour())
    time_comes(post)
    platform_http.responses.append(canned("publishing/facebook_photo_created.json"))
    assert tasks.posts_send_due() == 1
    post.refresh_from_db()
    assert post.external_id == PUBLISHED_ID
    return post


def published_second(post: Post) -> int:
    assert post.published_at is not None
    return int(post.published_at.timestamp())


def own_photo(post: Post) -> dict:
    return {
        "field": "feed",
        "value": {
            "item": "photo",
            "verb": "add",
            "post_id": post.external_id,
            "photo_id": "1029384756000123",
            "from": {"id": PAGE, "name": "Örebro kommun"},
            "message": post.text,
            "published": 1,
            "created_time": published_second(post),
        },
        "created_time": published_second(post),
    }


def comment_on(post: Post, comment_id: str, message: str) -> dict:
    when = published_second(post)  # at once (a later time is in the future here)
    return {
        "field": "feed",
        "value": {
            "item": "comment",
            "comment_id": comment_id,
            "post_id": post.external_id,
            "parent_id": post.external_id,
            "from": {"id": "6001234567890", "name": "Anna Andersson"},
            "verb": "add",
            "message": message,
            "created_time": when,
        },
        "created_time": when,
    }


def test_the_post_published_here_and_seen_by_the_webhook_is_one_entry_named_by_its_comments(
    client, facebook, author, approver, platform_http, django_capture_on_commit_callbacks
):
    post = published(facebook, author, approver, platform_http)
    entry = Record.objects.get()
    assert entry.subject == f"Inlägget ”{TITLE}” på Facebook (Örebro kommun)"

    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, own_photo(post))  # Meta tells of the post it published
        deliver(client, comment_on(post, "1029384756000999_5550001", "Är den gratis?"))

    posts = Record.objects.filter(source_id=PUBLISHED_ID)
    assert list(posts) == [entry]  # one entry, not two
    assert not Item.objects.filter(external_id=PUBLISHED_ID).exists()  # nothing to moderate
    comment = Record.objects.get(source_id="1029384756000999_5550001")
    assert comment.direction == "incoming"
    assert comment.subject == f"Kommentar till inlägget ”{TITLE}” på Facebook (Örebro kommun)"
    assert "gratis" not in comment.public_subject
    assert Item.objects.get(external_id=comment.source_id).record == comment


def test_a_comment_arriving_before_the_webhook_sees_the_post_still_names_it(
    client, facebook, author, approver, platform_http, django_capture_on_commit_callbacks
):
    post = published(facebook, author, approver, platform_http)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, comment_on(post, "1029384756000999_5550002", "Vilka tider?"))
    comment = Record.objects.get(source_id="1029384756000999_5550002")
    assert comment.subject.startswith(f"Kommentar till inlägget ”{TITLE}”")
    assert Record.objects.filter(source_id=PUBLISHED_ID).count() == 1


def test_a_feed_post_with_a_link_seen_by_the_webhook_is_not_taken_for_an_edit(
    client, facebook, author, approver, platform_http, django_capture_on_commit_callbacks
):
    post = approved(
        facebook,
        author,
        approver,
        image=False,
        planned_at=in_an_hour(),
        link_url="https://www.orebro.se/skridsko",
        link_text="Öppettider för skridskobanan",
    )
    time_comes(post)
    platform_http.responses.append(canned("publishing/facebook_feed_created.json"))
    assert tasks.posts_send_due() == 1
    post.refresh_from_db()
    entry = Record.objects.get()
    assert entry.text == post.text  # as Facebook shows it: the link goes beside the message
    assert entry.raw_payload["link"] == {
        "url": "https://www.orebro.se/skridsko",
        "text": "Öppettider för skridskobanan",
    }
    shared = own_photo(post)
    shared["value"].update(item="share", link="https://www.orebro.se/skridsko")
    del shared["value"]["photo_id"]
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, shared)
    assert list(Record.objects.all()) == [entry]
    assert not entry.amendments.exists()  # the same text: no "platform edit"
