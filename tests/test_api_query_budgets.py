"""Every list endpoint of the API has a query budget in its app's table
(tests/<app>/api_budgets.py), and keeps it: the same number of queries for a page of a few rows
and for a page of many, and no more than the budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from accounts.choices import Role
from tests.channels_app.api_budgets import BUDGETS as CHANNELS
from tests.moderation.api_budgets import BUDGETS as MODERATION
from tests.podcasts.api_budgets import BUDGETS as PODCASTS
from tests.privacy.api_budgets import BUDGETS as PRIVACY
from tests.publishing.api_budgets import BUDGETS as PUBLISHING
from tests.records.api_budgets import BUDGETS as RECORDS

BUDGETS = [*CHANNELS, *PODCASTS, *RECORDS, *MODERATION, *PRIVACY, *PUBLISHING]
FEW, MORE = 2, 10


def list_endpoints() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path
        for path, item in schema["paths"].items()
        if "get" in item and getattr(resolve(path).func, "actions", {}).get("get") == "list"
    }


def test_every_list_endpoint_has_a_budget():
    assert sorted(list_endpoints() - {b.path for b in BUDGETS}) == []
    assert sorted({b.path for b in BUDGETS} - list_endpoints()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("budget", BUDGETS, ids=[b.path for b in BUDGETS])
def test_a_list_keeps_its_query_budget(budget, api_client, make_user):
    actor = make_user(budget.role) if budget.role else None
    if actor is not None:
        api_client.force_authenticate(actor)
    grower = actor or make_user(Role.REGISTRAR)  # the register's public list needs entries
    budget.grow(FEW, grower)
    api_client.get(budget.path, dict(budget.params))  # caches warmed, as for every later call
    with CaptureQueriesContext(connection) as few:
        assert api_client.get(budget.path, dict(budget.params)).status_code == 200
    budget.grow(MORE, grower)
    with CaptureQueriesContext(connection) as many:
        assert api_client.get(budget.path, dict(budget.params)).status_code == 200
    assert len(many) == len(few) <= budget.queries, [q["sql"] for q in many]
