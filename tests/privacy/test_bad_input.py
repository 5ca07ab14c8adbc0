"""Issue 21's bad input, each through the door it comes in by: a search of one or two
characters, a name that matches hundreds of accounts, a request without a case number (admin
and API), a package larger than the mail limit (tests/privacy/test_package_link.py) and a
person whose content was erased as unlawful (test_subject_access.py)."""

import pytest
from django.urls import reverse

from accounts.choices import Scope
from moderation.models import PlatformAccount
from privacy import services
from privacy.models import PersonSearch, SubjectRequest

pytestmark = pytest.mark.django_db
MANY = 230  # five pages of 50


@pytest.fixture
def case(officer):
    return services.subject_request_create(
        case_number="KS 2026/4720",
        kind="access",
        requester="Anna Svensson",
        identifiers=["Anna Svensson"],
        actor=officer,
    )


@pytest.mark.parametrize("term", ["A", "An", " A  n ", "   "])
def test_a_search_of_one_or_two_characters_is_refused_and_not_logged(client, officer, case, term):
    client.force_login(officer)
    page = client.get(reverse("admin:privacy_search", args=[case.pk]), {"term": term})
    assert page.status_code == 200
    if term.strip():
        assert "Sök på minst 3 tecken." in page.content.decode()
    assert not PersonSearch.objects.exists()


def test_a_name_matching_hundreds_of_accounts_is_paged_with_the_count(
    client, officer, case, django_assert_max_num_queries
):
    PlatformAccount.objects.bulk_create(
        PlatformAccount(platform="facebook", external_id=f"sv-{n}", name=f"Anna Svensson {n}")
        for n in range(MANY)
    )
    client.force_login(officer)
    url = reverse("admin:privacy_search", args=[case.pk])
    with django_assert_max_num_queries(40):  # not one query per account
        first = client.get(url, {"term": "Anna Svensson"}).content.decode()
    assert f"{MANY} uppgifter hittades" in first
    assert first.count("<tr><td>Plattformskonto</td>") == 50
    assert "Sida 1 av 5" in first
    last = client.get(url, {"term": "Anna Svensson", "page": 5}).content.decode()
    assert last.count("<tr><td>Plattformskonto</td>") == MANY - 4 * 50
    assert "Sida 5 av 5" in last
    assert PersonSearch.objects.filter(request=case, found=MANY).count() == 2


def test_a_request_without_a_case_number_is_refused_in_admin_and_api(client, officer, token_client):
    client.force_login(officer)
    page = client.post(
        reverse("admin:privacy_subjectrequest_add"),
        {
            "case_number": "",
            "kind": "access",
            "requester": "Anna",
            "identifiers_text": "Anna Svensson",
            "received_at_0": "2026-11-20",
            "received_at_1": "10:00",
        },
    )
    assert "Ange ärendets diarienummer." in page.content.decode()
    api = token_client(Scope.PRIVACY_WRITE)
    response = api.post(
        "/api/v1/privacy/requests/",
        {"kind": "access", "requester": "Anna", "identifiers": ["Anna Svensson"]},
        format="json",
    )
    assert response.status_code == 400
    assert "case_number" in response.content.decode()
    assert not SubjectRequest.objects.exists()
