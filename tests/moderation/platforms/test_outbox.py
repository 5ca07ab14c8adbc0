"""The outbox sender: the exact platform request for a moderator's decision, sending after
commit, the sweep after a broker outage, back-off and Retry-After, never twice, and failures and
hand-work visible to the moderator."""

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.services import system_user
from moderation.models import ChannelConnection, PlatformAction
from moderation.platforms import outbox, tasks
from moderation.platforms.base import HttpTransportError
from moderation.platforms.http import RecordedRequest
from moderation.services import item_decide
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import canned
from tests.moderation.test_admin_views import act

PAGE = "104857600000001"
COMMENT = "2233445566_7788990011"
GRAPH = "https://graph.facebook.com/v21.0"
HIDE_REQUEST = RecordedRequest(
    "POST", f"{GRAPH}/{COMMENT}", None, {"is_hidden": "true"}, None, None
)


@pytest.fixture
def page(db):
    return ChannelFactory.create(connected=True, platform="facebook", platform_account_id=PAGE)


@pytest.fixture
def comment(intake, page):
    return intake(page, external_id=COMMENT, author_id="6001234567890")


def hide(item, actor):
    return item_decide(item=item, action="hide", ground_codes=["harassment"], actor=actor)


def sweep() -> int:
    return tasks.platform_actions_sweep()


def due_at(row: PlatformAction) -> datetime:
    assert row.next_attempt_at is not None
    return row.next_attempt_at


def make_due(row: PlatformAction) -> None:
    """Let the back-off pass."""
    PlatformAction.objects.filter(pk=row.pk, state="pending").update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


@pytest.mark.django_db
def test_a_moderators_hide_sends_the_exact_graph_api_request(
    comment, api_client, moderator, platform_http, django_capture_on_commit_callbacks
):
    platform_http.responses.append(canned("responses/meta_success.json"))
    api_client.force_authenticate(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            f"/api/v1/moderation/items/{comment.pk}/decide/",
            {"action": "hide", "grounds": ["harassment"]},
            format="json",
        )
    assert response.status_code == 201, response.content
    assert platform_http.requests == [HIDE_REQUEST]
    row = PlatformAction.objects.get()
    assert (row.state, row.attempts, row.last_status_code) == ("sent", 1, 200)
    assert row.sent_at is not None
    assert row.next_attempt_at is None
    assert ChannelConnection.objects.get(channel=comment.channel).last_sent_at
    detail = api_client.get(f"/api/v1/moderation/items/{comment.pk}/").json()
    (shown,) = detail["decisions"][0]["platform_actions"]
    assert (shown["action"], shown["state"], shown["attempts"]) == ("hide", "sent", 1)


@pytest.mark.django_db
def test_a_broker_outage_keeps_the_row_and_the_sweep_sends_it_once(
    comment, client, moderator, platform_http, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.platform_action_send, "delay", broker_down)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, comment, action="hide", grounds=["harassment"])  # the queue page
    assert response.status_code == 200  # the decision stands; the moderator sees no error
    assert "Beslut registrerat: dölj." in response.content.decode()
    row = PlatformAction.objects.get()
    assert (row.state, row.attempts, platform_http.requests) == ("pending", 0, [])

    platform_http.responses.append(canned("responses/meta_success.json"))
    assert sweep() == 1
    assert sweep() == 0  # nothing is due any more
    assert platform_http.requests == [HIDE_REQUEST]
    assert PlatformAction.objects.get().state == "sent"


@pytest.mark.django_db
def test_a_dispatch_that_never_ran_is_sent_by_the_sweep(
    comment, moderator, platform_http, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hide(comment, moderator)
    assert len(callbacks) == 1  # the dispatch, lost with the worker that never got it
    platform_http.responses.append(canned("responses/meta_success.json"))
    sweep()
    callbacks[0]()  # the lost message turns up late after all: it finds the row already sent
    assert platform_http.requests == [HIDE_REQUEST]


@pytest.mark.django_db
def test_500_429_and_timeouts_are_retried_with_back_off_and_sent_once(
    comment, moderator, platform_http, django_capture_on_commit_callbacks
):
    platform_http.responses.extend(
        [
            canned("responses/server_error_500.json"),
            canned("responses/meta_429_retry_after.json"),
            HttpTransportError("POST graph.facebook.com: ReadTimeout"),
            canned("responses/meta_success.json"),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        hide(comment, moderator)  # attempt 1: 500
    row = PlatformAction.objects.get()
    assert (row.state, row.attempts, row.last_status_code) == ("pending", 1, 500)
    wait = (due_at(row) - timezone.now()).total_seconds()
    assert outbox.FIRST_DELAY / 2 - 2 <= wait <= outbox.FIRST_DELAY
    assert sweep() == 0  # not yet due: nothing is sent
    assert len(platform_http.requests) == 1

    make_due(row)
    sweep()  # attempt 2: 429 with Retry-After: 120
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_status_code) == ("pending", 2, 429)
    assert (due_at(row) - timezone.now()).total_seconds() >= 118
    assert "request limit" in row.last_answer

    make_due(row)
    sweep()  # attempt 3: no answer in time
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_status_code) == ("pending", 3, None)
    assert "ReadTimeout" in row.last_answer

    make_due(row)
    sweep()  # attempt 4: done
    make_due(row)
    sweep()
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 4)
    assert platform_http.requests == [HIDE_REQUEST] * 4


@pytest.mark.django_db
def test_after_the_last_attempt_the_row_fails_with_the_answer_visible(
    comment, client, moderator, platform_http, django_capture_on_commit_callbacks
):
    platform_http.responses.extend(
        [canned("responses/server_error_500.json")] * outbox.MAX_ATTEMPTS
    )
    with django_capture_on_commit_callbacks(execute=True):
        hide(comment, moderator)
    for _ in range(outbox.MAX_ATTEMPTS + 2):
        make_due(PlatformAction.objects.get())
        sweep()
    row = PlatformAction.objects.get()
    assert (row.state, row.attempts, row.last_status_code) == ("failed", outbox.MAX_ATTEMPTS, 500)
    assert row.next_attempt_at is None
    assert "Internal error encountered." in row.last_answer
    assert len(platform_http.requests) == outbox.MAX_ATTEMPTS
    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_queue_item", args=[comment.pk])).content.decode()
    assert "Internal error encountered." in page
    assert ChannelConnection.objects.get(channel=comment.channel).last_error


@pytest.mark.django_db
def test_a_row_another_worker_holds_is_not_sent_again(
    comment, moderator, platform_http, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        hide(comment, moderator)
    row = PlatformAction.objects.get()
    (claimed,) = outbox._claim([row.pk])  # another worker is calling the platform right now
    assert claimed.attempts == 1
    assert outbox.platform_actions_send(action_ids=[row.pk], actor=system_user()) == []
    assert sweep() == 0
    assert platform_http.requests == []


@pytest.mark.django_db
def test_a_channel_not_connected_gets_no_outbox_row_and_its_decision_says_so(
    client, comment, moderator, platform_http, django_capture_on_commit_callbacks
):
    comment.channel.platform_account_id = ""
    comment.channel.save()
    with django_capture_on_commit_callbacks(execute=True):
        decision = hide(comment, moderator)
    assert not PlatformAction.objects.exists()
    assert decision.platform_connected is False
    assert sweep() == 0
    assert platform_http.requests == []
    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_queue_item", args=[comment.pk])).content.decode()
    assert "inte skickad – kanalen är inte ansluten till sin plattform" in page


@pytest.mark.django_db
def test_a_row_whose_channel_lost_its_account_id_is_retried_with_the_reason(
    comment, moderator, platform_http, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        hide(comment, moderator)
    comment.channel.platform_account_id = ""
    comment.channel.save()
    sweep()
    row = PlatformAction.objects.get()
    assert (row.state, row.attempts) == ("pending", 1)
    assert "no platform account id" in row.last_answer
    assert platform_http.requests == []


@pytest.mark.django_db
def test_the_sweep_sends_youtube_actions_in_batches_of_50(
    intake, moderator, platform_http, django_capture_on_commit_callbacks
):
    channel = ChannelFactory.create(
        connected=True, platform="youtube", platform_account_id="UCorebro"
    )
    items = [intake(channel, external_id=f"Ugz{n}") for n in range(51)]
    with django_capture_on_commit_callbacks(execute=False):
        for item in items:
            hide(item, moderator)
    platform_http.responses.extend([canned("responses/youtube_no_content.json")] * 2)
    assert sweep() == 51
    assert [len(r.params["id"].split(",")) for r in platform_http.requests] == [50, 1]


@pytest.mark.django_db
def test_youtube_actions_go_out_in_one_batch(
    intake, moderator, platform_http, django_capture_on_commit_callbacks
):
    channel = ChannelFactory.create(
        connected=True, platform="youtube", platform_account_id="UCorebro"
    )
    items = [intake(channel, external_id=f"Ugz{n}") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for item in items:
            hide(item, moderator)
    platform_http.responses.append(canned("responses/youtube_no_content.json"))
    for dispatch in callbacks:  # the first task takes its partners along; the rest find them sent
        dispatch()
    assert sweep() == 0
    (request,) = platform_http.requests
    assert request.url == "https://www.googleapis.com/youtube/v3/comments/setModerationStatus"
    assert request.params == {"id": "Ugz0,Ugz1,Ugz2", "moderationStatus": "heldForReview"}
    assert set(PlatformAction.objects.values_list("state", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_what_the_platform_cannot_do_is_shown_with_the_link(
    intake, client, moderator, platform_http, django_capture_on_commit_callbacks
):
    from moderation.models import ReplyTemplate

    channel = ChannelFactory.create(
        connected=True, platform="linkedin", platform_account_id="urn:li:organization:1"
    )
    comment_urn = "urn:li:comment:(urn:li:activity:7000,7001)"
    item = intake(channel, external_id=comment_urn)
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(
            item=item,
            action="reply",
            reply_template=ReplyTemplate.objects.first(),
            actor=moderator,
        )
    row = PlatformAction.objects.get()
    assert row.state == "unsupported"
    assert "https://www.linkedin.com/feed/update/urn:li:activity:7000/" in row.last_answer
    assert platform_http.requests == []
    client.force_login(moderator)
    page = client.get(reverse("admin:moderation_queue_item", args=[item.pk])).content.decode()
    assert f'href="{item.permalink}"' in page
    assert 'href="https://www.linkedin.com/feed/update/urn:li:activity:7000/"' in page


def test_back_off_doubles_with_jitter_and_honours_retry_after():
    for attempts in range(1, 12):
        ceiling = min(outbox.MAX_DELAY, outbox.FIRST_DELAY * 2 ** (attempts - 1))
        assert ceiling / 2 <= outbox.backoff_seconds(attempts) <= ceiling
    assert outbox.backoff_seconds(1, retry_after=3600) == 3600
    assert len({outbox.backoff_seconds(5) for _ in range(20)}) > 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_worker_is_skipped_not_waited_for(
    comment, moderator, platform_http
):
    hide(comment, moderator)  # autocommit: the dispatch runs, but the channel answers nothing yet
    row = PlatformAction.objects.get()
    make_due(row)
    PlatformAction.objects.filter(pk=row.pk).update(state="pending", attempts=0)
    outcome: list[list] = []

    def other_worker():
        try:
            outcome.append(outbox.platform_actions_send(action_ids=[row.pk], actor=system_user()))
        finally:
            connections.close_all()

    with transaction.atomic():
        PlatformAction.objects.select_for_update().get(pk=row.pk)  # this worker holds it
        thread = threading.Thread(target=other_worker)
        thread.start()
        thread.join(timeout=10)
    assert outcome == [[]]  # skipped at once, nothing sent
