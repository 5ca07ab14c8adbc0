"""The public account of moderation (/insyn/, its open data) and the author's request for
reconsideration, through the doors the public and the moderators use."""

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from channels_app.models import Channel
from moderation import services
from moderation.models import Decision, Item, ReconsiderationRequest
from moderation.statistics import moderation_statistics
from tests.factories import ChannelFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
STATISTICS = "/api/v1/moderation/statistics/"
FORM = "/insyn/omprovning/"


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


def _received(item: Item, moment: datetime) -> Item:
    Item.objects.filter(pk=item.pk).update(received_at=moment)
    item.refresh_from_db()
    return item


def _decide(item: Item, action: str, moderator: User, ground: str = "harassment") -> Decision:
    services.item_claim(item=item, actor=moderator)
    return services.item_decide(item=item, action=action, ground_codes=[ground], actor=moderator)


def _form_token(client: Client) -> str:
    page = client.get(FORM).content.decode()
    return page.split('name="token" value="')[1].split('"')[0]


# --- the figures -----------------------------------------------------------------------------


def test_months_follow_stockholm_time(intake: Callable[..., Item], channel: Channel) -> None:
    # 23:30 UTC on 31 March is already 1 April in Stockholm (summer time: UTC+2).
    _received(intake(), datetime(2026, 3, 31, 23, 30, tzinfo=ZoneInfo("UTC")))
    _received(intake(), datetime(2026, 3, 31, 21, 30, tzinfo=ZoneInfo("UTC")))
    figures = moderation_statistics()
    totals = {row.month.isoformat(): row.values["received"] for row in figures.totals()}
    assert totals == {"2026-03-01": 1, "2026-04-01": 1}


def test_medians_are_taken_in_the_database(intake: Callable[..., Item]) -> None:
    received = datetime(2026, 3, 10, 12, tzinfo=STOCKHOLM)
    for minutes in (10, 20, 60, None):
        item = _received(intake(), received)
        if minutes is not None:
            moment = received + timedelta(minutes=minutes)
            Item.objects.filter(pk=item.pk).update(first_action_at=moment, hidden_at=moment)
    total = moderation_statistics().totals()[0]
    assert total.values["median_minutes_to_first_action"] == 20.0
    assert total.values["median_minutes_to_hiding"] == 20.0
    assert total.basis["first_action_count"] == 3


def test_counts_under_three_are_suppressed_and_cannot_be_subtracted(
    intake: Callable[..., Item], moderator: User, make_user: Callable[..., User]
) -> None:
    big, small = (
        ChannelFactory.create(connected=True, name="Stor kanal"),
        ChannelFactory.create(connected=True, name="Liten"),
    )
    march = datetime(2026, 3, 10, 12, tzinfo=STOCKHOLM)
    for _ in range(5):
        _received(intake(big), march)
    _received(intake(small), march)
    figures = moderation_statistics()
    total = figures.for_month(march.date().replace(day=1), "month")[0]
    rows = {row.channel: row for row in figures.for_month(total.month, "channel")}
    assert total.published("received") == 6
    assert rows[small.slug].suppressed["received"] == "fewer-than-3"
    # 6 − 5 would give the small channel's 1: the big channel's count is protected too.
    assert rows[big.slug].suppressed["received"] == "protected"
    assert rows[big.slug].published("received") is None


def test_a_sum_of_small_counts_cannot_be_worked_out_either() -> None:
    from moderation.statistics import StatisticsRow, suppress

    march = datetime(2026, 3, 1).date()
    total = StatisticsRow(month=march, values={"hidden": 13})
    parts = [
        StatisticsRow(month=march, channel=f"c{n}", values={"hidden": v})
        for n, v in enumerate([4, 9, 0, 0])
    ]
    suppress([total, *parts], [((total, "hidden"), [(part, "hidden") for part in parts])])
    # 13 − 4 − 9 would show that the two small channels hid nothing: both large ones are
    # protected, so each small one may be 0, 1 or 2.
    assert [part.suppressed["hidden"] for part in parts] == [
        "protected",
        "protected",
        "fewer-than-3",
        "fewer-than-3",
    ]
    assert total.published("hidden") == 13


def test_public_page_shows_the_month_with_chart_and_tables(
    client: Client, intake: Callable[..., Item], channel: Channel, moderator: User
) -> None:
    items = [intake() for _ in range(4)]
    for item in items[:3]:
        _decide(item, "hide", moderator)
    response = client.get("/insyn/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page
    assert 'role="img"' in page
    assert "<script" not in page
    assert channel.name in page
    assert "färre än 3" in page  # nothing removed, nobody blocked this month
    month_name = timezone.localdate().strftime("%Y-%m")
    assert f"format=csv&amp;month={month_name}" in page
    assert "Begär omprövning" in page or "omprövning" in page


def test_public_page_refuses_a_month_that_is_not_one(client: Client) -> None:
    response = client.get("/insyn/", {"manad": "2026-13"})
    assert response.status_code == 400
    assert "2026-03" in response.content.decode()


def test_open_data_as_json_and_csv(
    api_client: Client, intake: Callable[..., Item], channel: Channel, moderator: User
) -> None:
    for item in [intake() for _ in range(3)]:
        _decide(item, "remove", moderator)
    month = timezone.localdate().strftime("%Y-%m")
    body = api_client.get(STATISTICS, {"month": month}).json()
    levels = {row["level"]: row for row in body["results"]}
    assert levels["month"]["received"] == 3
    assert levels["channel"]["channel"] == channel.slug
    assert levels["rule"]["rule"] == "harassment"
    assert levels["rule"]["removed"] == 3
    assert levels["month"]["hidden"] is None
    assert levels["month"]["suppressed"]["hidden"] == "fewer-than-3"
    assert "text" not in str(body)
    assert "Anna" not in str(body)

    response = api_client.get(STATISTICS, {"month": month, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["received"] == "3"
    assert rows[0]["hidden"] == "färre än 3"


def test_open_data_filters_by_channel_and_refuses_bad_filters(
    api_client: Client, intake: Callable[..., Item], channel: Channel
) -> None:
    other = ChannelFactory.create(connected=True)
    intake(other)
    body = api_client.get(STATISTICS, {"channel": other.slug}).json()
    assert {row["channel"] for row in body["results"]} == {other.slug}
    bad_month = api_client.get(STATISTICS, {"month": "mars"})
    assert bad_month.status_code == 400
    assert "month" in bad_month.json()["error"]["details"]
    assert api_client.get(STATISTICS, {"channel": "ingen-sadan"}).status_code == 400
    as_csv = api_client.get(STATISTICS, {"month": "mars", "format": "csv"})
    assert as_csv.status_code == 400
    assert as_csv.json()["error"]["code"] == "invalid"


def test_open_data_is_documented_and_public(api_client: Client) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/moderation/statistics/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"month", "channel", "format"}
    assert api_client.get(STATISTICS).status_code == 200


def test_open_data_reads_in_a_fixed_number_of_queries(
    api_client: Client,
    intake: Callable[..., Item],
    moderator: User,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    for index in range(12):
        item = intake(ChannelFactory.create(connected=True))
        if index % 2:
            _decide(item, "hide", moderator)
    with django_assert_max_num_queries(9):  # type: ignore[attr-defined]
        assert api_client.get(STATISTICS).status_code == 200


def test_moderators_metrics_group_in_the_database(
    intake: Callable[..., Item], django_assert_max_num_queries: Callable[..., object]
) -> None:
    from moderation.statistics import moderation_metrics

    for _ in range(30):
        intake()
    with django_assert_max_num_queries(5):  # type: ignore[attr-defined]
        metrics = moderation_metrics(year=timezone.localdate().year)
    assert sum(month.received for month in metrics.months) == 30
    assert metrics.open_count == 30


# --- the request for reconsideration ---------------------------------------------------------


@pytest.fixture
def hidden_item(intake: Callable[..., Item], moderator: User) -> Item:
    item = intake()
    Item.objects.filter(pk=item.pk).update(permalink="https://www.facebook.com/kommun/posts/1?c=9")
    item.refresh_from_db()
    _decide(item, "hide", moderator)
    return item


def test_a_link_that_is_no_item_of_ours_is_answered_and_nothing_is_stored(
    client: Client, hidden_item: Item
) -> None:
    response = client.post(
        FORM,
        {
            "permalink": "https://www.facebook.com/someone-else/posts/2",
            "reason": "Jag heter Anna och vill ha svar.",
            "contact": "anna@example.se",
            "token": _form_token(client),
        },
    )
    assert response.status_code == 422
    assert "Vi har ingen kommentar med den här länken" in response.content.decode()
    assert not ReconsiderationRequest.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "data",
    [
        {"permalink": ""},
        {"permalink": "inte en länk"},
        {"permalink": "https://x.se/" + "a" * 1000},
        {"permalink": "https://www.facebook.com/kommun/posts/1?c=9", "reason": "x" * 4001},
        {"permalink": "https://www.facebook.com/kommun/posts/1?c=9", "contact": "inte e-post"},
    ],
)
def test_bad_input_gets_a_clear_answer_and_stores_nothing(
    client: Client, hidden_item: Item, data: dict[str, str]
) -> None:
    response = client.post(FORM, {**data, "token": _form_token(client)})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ReconsiderationRequest.objects.exists()


def test_request_goes_to_another_moderator_and_is_due_on_the_working_calendar(
    client: Client,
    hidden_item: Item,
    moderator: User,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    other = make_user(Role.MODERATOR, email="other@orebro.se")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        response = client.post(
            FORM,
            {
                "permalink": " https://www.facebook.com/kommun/posts/1?c=9 ",
                "reason": "Jag skrev inget olämpligt.",
                "contact": "forfattare@example.se",
                "token": _form_token(client),
            },
        )
    assert response.status_code == 302
    request = ReconsiderationRequest.objects.get()
    assert request.decision.item_id == hidden_item.pk
    assert request.assigned_to == other  # not the moderator who decided
    assert request.due_at > request.received_at + timedelta(days=5)
    assert mail.outbox[-1].to == ["other@orebro.se"]
    # The same form sent again is refused.
    token = client.get(FORM).content.decode()  # a fresh form still works later
    assert token


def test_throttled_per_address(client: Client, hidden_item: Item) -> None:
    from rest_framework.settings import api_settings

    rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
    original = rates["reconsideration_form"]
    rates["reconsideration_form"] = "2/hour"
    try:
        statuses = [
            client.post(FORM, {"permalink": "https://example.se/x", "token": _form_token(client)})
            for _ in range(3)
        ]
    finally:
        rates["reconsideration_form"] = original
    assert [r.status_code for r in statuses] == [422, 422, 429]


def test_reconsideration_is_decided_by_another_moderator_answered_and_counted(
    client: Client,
    hidden_item: Item,
    moderator: User,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    other = make_user(Role.MODERATOR, email="other@orebro.se")
    client.post(
        FORM,
        {
            "permalink": "https://www.facebook.com/kommun/posts/1?c=9",
            "contact": "forfattare@example.se",
            "token": _form_token(client),
        },
    )
    decision = ReconsiderationRequest.objects.get().decision
    staff = Client()
    staff.force_login(other)
    page = staff.get(f"/admin/moderation/item/queue/{hidden_item.pk}/").content.decode()
    assert "Begäran om omprövning" in page
    listing = staff.get("/admin/moderation/reconsiderationrequest/?status=open")
    assert listing.status_code == 200
    assert "Väntar" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        staff.post(
            f"/admin/moderation/item/queue/{hidden_item.pk}/act/",
            {
                "action": "reconsider",
                "decision": decision.pk,
                "outcome": "changed",
                "rationale": "Kommentaren bryter inte mot reglerna.",
            },
        )
    assert decision.reconsideration.moderator == other
    assert mail.outbox[-1].to == ["forfattare@example.se"]
    assert "Ändrat" in mail.outbox[-1].body
    row = moderation_statistics().for_month(timezone.localdate().replace(day=1), "channel")[0]
    assert row.values["reconsiderations_asked"] == 1
    assert row.values["reconsiderations_changed"] == 1
    assert row.suppressed["reconsiderations_asked"] == "fewer-than-3"


def test_template_replies_link_to_the_form(intake: Callable[..., Item]) -> None:
    item = intake(text="Mitt personnummer är 19121212-1212.")
    reply = item.decisions.get(action="reply").platform_actions.get()
    assert reply.text.endswith("/insyn/omprovning/")
