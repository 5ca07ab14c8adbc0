"""Who may search for a person and handle their requests: the data-protection officer and
registrars; nobody else, and the case-management system through privacy:write."""

import pytest
from django.urls import reverse

from accounts.choices import Role, Scope
from privacy import services

pytestmark = pytest.mark.django_db

# role: may search (and handle cases), may set the retention periods
MATRIX = {
    Role.EDITOR: (False, False),
    Role.MODERATOR: (False, False),
    Role.REGISTRAR: (True, False),
    Role.ADMINISTRATOR: (False, True),
    Role.PRIVACY_OFFICER: (True, False),
}


@pytest.fixture
def case(officer):
    return services.subject_request_create(
        case_number="KS 2026/1",
        kind="access",
        requester="Anna",
        identifiers=["Anna Andersson"],
        actor=officer,
    )


@pytest.mark.parametrize("role", list(MATRIX))
def test_matrix(client, make_user, case, role):
    may_search, may_set_periods = MATRIX[role]
    user = make_user(role)
    client.force_login(user)
    search = client.get(reverse("admin:privacy_search", args=[case.pk]), {"term": "Anna"})
    assert (search.status_code == 200) is may_search
    assert user.has_perm("privacy.change_subjectrequest") is may_search
    assert user.has_perm("privacy.change_retentionsettings") is may_set_periods


def test_the_privacy_scope(make_integration):
    client, _ = make_integration(Scope.PRIVACY_WRITE)
    assert client.user.has_perm("privacy.add_subjectrequest")
    assert client.user.has_perm("privacy.search_person")
    assert not client.user.has_perm("privacy.change_subjectrequest")
    assert not client.user.has_perm("records.view_record")
