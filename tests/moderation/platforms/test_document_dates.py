"""The document date of polled content is when it first existed on the platform, also when the
first poll meets it already edited; a later edit is an amendment with its own date."""

import json
from datetime import UTC, datetime

import pytest

from accounts.services import system_user
from channels_app.choices import ChannelRecordsPolicy
from moderation.models import Item
from moderation.platforms import connections, tasks
from moderation.platforms.http import CannedResponse
from records.models import Record
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import payload_json

TOKEN = "ya29.a0-secret-token-value"
pytestmark = pytest.mark.django_db


def answer(name: str) -> CannedResponse:
    return CannedResponse(200, {}, payload_json(f"{name}.json"))


def connected_channel(platform: str, account_id: str):
    channel = ChannelFactory.create(
        connected=True,
        platform=platform,
        platform_account_id=account_id,
        records_policy=ChannelRecordsPolicy.REGISTER_ALL,
    )
    connections.channel_connection_save(channel=channel, access_token=TOKEN, actor=system_user())
    return channel


def test_a_youtube_comment_first_polled_after_an_edit_is_dated_when_it_was_published(
    platform_http,
):
    channel = connected_channel("youtube", "UCorebroKommun00")
    platform_http.responses.extend(
        [
            answer("youtube/comment_threads_edited_before_first_poll"),  # heldForReview
            answer("youtube/comment_threads_empty"),  # likelySpam
            answer("youtube/comment_threads_empty"),  # published
        ]
    )
    assert tasks.platform_poll("youtube") == 1

    item = Item.objects.get(channel=channel, external_id="UgzOrebro0009")
    published = datetime(2026, 11, 23, 18, 15, tzinfo=UTC)
    edited = datetime(2026, 11, 24, 7, 40, tzinfo=UTC)
    assert item.platform_time == published
    assert item.versions.get().platform_time == edited  # the text as received, when it was
    record = Record.objects.get(channel=channel, source_id="UgzOrebro0009")
    assert record.document_date == published
    assert record.text == item.text
    assert not record.amendments.exists()  # only one text was ever received


def test_a_linkedin_comment_first_polled_after_an_edit_is_dated_when_it_was_created(
    platform_http,
):
    channel = connected_channel("linkedin", "urn:li:organization:1000001")
    platform_http.responses.extend(
        [
            answer("linkedin/posts_page"),
            answer("linkedin/comments_page"),
            answer("linkedin/comments_empty"),
        ]
    )
    assert tasks.platform_poll("linkedin") == 5  # with the organisation's own posts and answer

    # comments_page.json: created 1764000300000 ms, last modified 1764000900000 ms.
    record = Record.objects.get(channel=channel, source_id__endswith="7260000000000000002)")
    assert record.document_date == datetime.fromtimestamp(1764000300, tz=UTC)
    item = Item.objects.get(channel=channel, external_id=record.source_id)
    assert item.platform_time == record.document_date
    assert item.versions.get().platform_time == datetime.fromtimestamp(1764000900, tz=UTC)


def test_a_later_edit_is_an_amendment_with_its_own_date(platform_http):
    channel = connected_channel("youtube", "UCorebroKommun00")
    platform_http.responses.extend(
        [
            answer("youtube/comment_threads_edited_before_first_poll"),
            answer("youtube/comment_threads_empty"),
            answer("youtube/comment_threads_empty"),
        ]
    )
    tasks.platform_poll("youtube")
    recorded = json.dumps(
        payload_json("youtube/comment_threads_edited_before_first_poll.json"), ensure_ascii=False
    )
    edited_again = recorded.replace("2026-11-24T07:40:00Z", "2026-11-24T11:05:00Z").replace(
        "nu är det plogat, tack!", "nu är det plogat, stort tack!"
    )
    platform_http.responses.extend(
        [
            CannedResponse(200, {}, json.loads(edited_again)),
            answer("youtube/comment_threads_empty"),
            answer("youtube/comment_threads_empty"),
        ]
    )
    tasks.platform_poll("youtube")

    record = Record.objects.get(channel=channel, source_id="UgzOrebro0009")
    assert record.document_date == datetime(2026, 11, 23, 18, 15, tzinfo=UTC)
    (amendment,) = record.amendments.all()
    assert amendment.occurred_at == datetime(2026, 11, 24, 11, 5, tzinfo=UTC)
    assert "stort tack" in amendment.text
