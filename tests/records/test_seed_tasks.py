import pytest

from config.schedule import BEAT_SCHEDULE
from records import seed
from records.models import RetentionClass
from records.tasks import access_requests_alert, fixity_audit

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_marks_examples():
    seed.run()
    seed.run()
    classes = list(RetentionClass.objects.all())
    assert len(classes) == len(seed.EXAMPLES)
    assert all(c.is_example and c.code.startswith("exempel-") for c in classes)
    assert RetentionClass.objects.get(code="exempel-egna-inlagg").keep_forever


def test_tasks_run_as_system_user():
    assert fixity_audit.delay().get() == 0
    assert access_requests_alert.delay().get() == 0


def test_tasks_are_scheduled():
    tasks = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert {"records.tasks.fixity_audit", "records.tasks.access_requests_alert"} <= tasks
