"""Query budgets of the register's list endpoints (see tests/api_budgets.py)."""

from accounts.choices import Role
from records.services import access_request_create, record_register
from tests.api_budgets import Budget
from tests.factories import ChannelFactory
from tests.records.factories import RetentionClassFactory, registration_kwargs


def _records(count, actor):
    for _ in range(count):
        record_register(**registration_kwargs(ChannelFactory(registered=True), actor))


def _requests(count, actor):
    _records(count, actor)
    for _ in range(count):
        access_request_create(scope="Kommentarerna", records=None, actor=actor)


def _classes(count, actor):
    RetentionClassFactory.create_batch(count)


BUDGETS = [
    Budget("/api/v1/records/register/", 1, _records),
    Budget("/api/v1/records/entries/", 1, _records, role=Role.REGISTRAR),
    Budget("/api/v1/records/access-requests/", 2, _requests, role=Role.REGISTRAR),
    Budget("/api/v1/records/retention-classes/", 1, _classes, role=Role.REGISTRAR),
]
