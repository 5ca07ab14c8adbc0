"""The public register page and the public request form."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from records.models import AccessRequest
from records.services import record_register, record_secrecy_mark
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(registrar):
    channel = ChannelFactory(registered=True, name="Örebro kommun")
    public = record_register(
        **registration_kwargs(channel, registrar, subject="Fråga om snöröjningen på Storgatan")
    )
    secret = record_register(
        **registration_kwargs(
            channel, registrar, subject="Klagomål om skolan", text="Mitt barn Olle mår dåligt"
        )
    )
    secret = record_secrecy_mark(record=secret, provision="OSL 26 kap. 1 §", actor=registrar)
    return public, secret


def test_register_lists_numbers_and_hides_secret_subject(client, entries):
    public, secret = entries
    response = client.get(reverse("records:public-register"))
    body = response.content.decode()
    assert response.status_code == 200
    assert public.number in body
    assert "Fråga om snöröjningen på Storgatan" in body
    assert secret.number in body
    assert "Sekretess" in body
    assert "Klagomål om skolan" not in body
    assert "Olle" not in body
    assert "När plogas" not in body  # no content is published
    assert "Anna Andersson" not in body


def test_search_finds_subject_but_never_a_secret_subject(client, entries):
    public, secret = entries
    body = client.get(reverse("records:public-register"), {"q": "snöröjningen"}).content.decode()
    assert public.number in body
    body = client.get(reverse("records:public-register"), {"q": "skolan"}).content.decode()
    assert secret.number not in body
    body = client.get(reverse("records:public-register"), {"q": secret.number}).content.decode()
    assert secret.number in body


def test_pagination_and_constant_queries(client, registrar, django_assert_max_num_queries):
    channel = ChannelFactory(registered=True)
    for n in range(30):
        record_register(**registration_kwargs(channel, registrar, subject=f"Ämne {n}"))
    with django_assert_max_num_queries(8):
        first = client.get(reverse("records:public-register")).content.decode()
    assert "Sida 1 av 2" in first
    second = client.get(reverse("records:public-register"), {"sida": 2}).content.decode()
    assert "Ämne 0<" in second or "Ämne 0 " in second or "Ämne 0\n" in second


def _token(client: Client) -> str:
    page = client.get(reverse("records:access-request")).content.decode()
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_request_form_anonymous_post_creates_request(client):
    token = _token(client)
    response = client.post(
        reverse("records:access-request"),
        {"scope": "Kommentarer om snöröjning i januari", "contact": "", "token": token},
    )
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert request.requester == ""
    assert request.intake == "public_form"


def test_request_form_asks_no_name_nor_purpose(client):
    page = client.get(reverse("records:access-request")).content.decode()
    assert 'name="requester"' not in page
    assert "varför" not in page.lower().replace("varför du vill", "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": ""}, "Ange vilka handlingar du vill ha"),
        ({"scope": "x", "website": "http://spam"}, "kunde inte skickas"),
        ({"scope": "x", "token": "forged:token"}, "gått ut eller ändrats"),
    ],
)
def test_bad_posts_are_refused_and_nothing_stored(client, data, message):
    payload = {"contact": "", "token": _token(client), **data}
    response = client.post(reverse("records:access-request"), payload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert AccessRequest.objects.count() == 0
    if not data["scope"]:
        assert 'aria-invalid="true"' in response.content.decode()
        assert 'aria-describedby="id_scope-help id_scope-error"' in response.content.decode()


def test_repeated_post_is_refused(client):
    payload = {"scope": "Alla inlägg", "contact": "", "token": _token(client)}
    client.post(reverse("records:access-request"), payload)
    response = client.post(reverse("records:access-request"), payload)
    assert response.status_code == 200
    assert "redan skickats" in response.content.decode()
    assert AccessRequest.objects.count() == 1


def test_form_requires_csrf():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("records:access-request"), {"scope": "x"})
    assert response.status_code == 403
    assert AccessRequest.objects.count() == 0


def test_year_filter_offers_the_years_from_the_newest_entry_back_to_the_first(registrar):
    from datetime import timedelta

    from django.utils import timezone

    from records.selectors import record_public_years

    assert record_public_years() == []
    channel = ChannelFactory(registered=True)
    now = timezone.localtime()
    for days in (0, 800):
        record_register(
            **registration_kwargs(
                channel, registrar, reason="moderated", document_date=now - timedelta(days=days)
            )
        )
    first = timezone.localtime(now - timedelta(days=800)).year
    assert record_public_years() == list(range(now.year, first - 1, -1))
    page = Client().get(reverse("records:public-register")).content.decode()
    assert f'<option value="{first}">{first}</option>' in page
    assert str(channel.name) in page


def test_count_stops_at_the_limit_and_says_there_are_more(client, registrar, monkeypatch):
    from records import views

    monkeypatch.setattr(views, "COUNT_LIMIT", 4)
    channel = ChannelFactory(registered=True)
    for n in range(6):
        record_register(**registration_kwargs(channel, registrar, subject=f"Ämne {n}"))
    body = client.get(reverse("records:public-register")).content.decode()
    assert "Fler än 4 handlingar" in body
    monkeypatch.setattr(views, "COUNT_LIMIT", 6)
    body = client.get(reverse("records:public-register")).content.decode()
    assert "6 handlingar" in body
    assert "Fler än" not in body


def test_a_search_page_makes_four_queries_and_counts_within_the_limit(
    client, registrar, django_assert_num_queries
):
    """Years, channels, the capped count and the page, on SQLite and PostgreSQL alike (no
    planner estimate first); the count reads the matches through a LIMITed subquery."""
    channel = ChannelFactory(registered=True)
    for n in range(30):
        record_register(**registration_kwargs(channel, registrar, subject=f"Trasig lekplats {n}"))
    record_register(**registration_kwargs(channel, registrar, subject="Cykelbana i Tybble"))
    for page in (1, 2):
        with django_assert_num_queries(4) as captured:
            body = client.get(
                reverse("records:public-register"), {"q": "trasig lekplats", "sida": page}
            ).content.decode()
        assert f"Sida {page} av 2" in body
        assert "30 handlingar" in body
        assert "Cykelbana" not in body
        count = next(q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"])
        assert count.endswith("LIMIT 1001) subquery")


@pytest.fixture
def same_name_channels(registrar):
    """The municipality's account on three platforms, all named the same."""
    for platform in ("facebook", "linkedin", "youtube"):
        channel = ChannelFactory(
            registered=True, name="Örebro kommun", platform=platform, slug=f"ok-{platform}"
        )
        record_register(**registration_kwargs(channel, registrar, subject=f"Inlägg {platform}"))


def test_the_register_shows_each_channel_with_its_platform(client, same_name_channels):
    body = client.get(reverse("records:public-register")).content.decode()
    cells = re.findall(r"<td>(Örebro kommun[^<]*)</td>", body)
    assert sorted(cells) == [
        "Örebro kommun (Facebook)",
        "Örebro kommun (LinkedIn)",
        "Örebro kommun (YouTube)",
    ]
    options = re.findall(r'<option value="(ok-[a-z]+)">([^<]*)</option>', body)
    assert options == [
        ("ok-facebook", "Örebro kommun (Facebook)"),
        ("ok-linkedin", "Örebro kommun (LinkedIn)"),
        ("ok-youtube", "Örebro kommun (YouTube)"),
    ]


def test_the_register_api_gives_each_entrys_platform(api_client, same_name_channels):
    rows = api_client.get("/api/v1/records/register/").json()["results"]
    assert sorted((r["channel"], r["platform"]) for r in rows) == [
        ("Örebro kommun", "facebook"),
        ("Örebro kommun", "linkedin"),
        ("Örebro kommun", "youtube"),
    ]
    rows = api_client.get("/api/v1/records/register/", {"channel": "ok-linkedin"}).json()
    assert [r["platform"] for r in rows["results"]] == ["linkedin"]


def test_the_register_api_documents_the_platform(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    field = schema["components"]["schemas"]["PublicRecord"]["properties"]["platform"]
    assert field["nullable"] is True  # withheld for a secret entry, as its channel is
    assert "description" in field


def test_a_secret_entry_withholds_its_platform(api_client, entries):
    rows = api_client.get("/api/v1/records/register/").json()["results"]
    secret = next(r for r in rows if r["is_secret"])
    assert secret["channel"] is None
    assert secret["platform"] is None
