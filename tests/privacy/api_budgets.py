"""Query budgets of the privacy list endpoints (see tests/api_budgets.py)."""

from itertools import count as counter

from accounts.choices import Role
from privacy.services import subject_request_create
from tests.api_budgets import Budget

_numbers = counter()


def _requests(count, actor):
    for _ in range(count):
        subject_request_create(
            case_number=f"KS 2026/{next(_numbers)}",
            kind="access",
            requester="Anna Lind",
            identifiers=["Anna Lind"],
            actor=actor,
        )


BUDGETS = [
    Budget("/api/v1/privacy/requests/", 1, _requests, Role.PRIVACY_OFFICER),  # the page
]
