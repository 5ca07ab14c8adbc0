import pytest

from config.schedule import BEAT_SCHEDULE
from records import seed
from records.models import RetentionClass, RetentionDefault
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


def test_seed_gives_every_basis_an_example_default_that_registrars_may_change():
    seed.run()
    defaults = RetentionDefault.objects.select_related("retention_class")
    assert {d.registration_basis for d in defaults} == {b for b, _code in seed.EXAMPLE_DEFAULTS}
    assert all(d.channel is None and d.retention_class.is_example for d in defaults)
    chosen = defaults.get(registration_basis="kept_in_order")
    chosen.retention_class = RetentionClass.objects.get(code="exempel-egna-inlagg")
    chosen.save()
    seed.run()
    assert defaults.get(registration_basis="kept_in_order").retention_class.code == (
        "exempel-egna-inlagg"
    )
