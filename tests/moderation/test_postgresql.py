"""What only PostgreSQL proves: row locks under real concurrency, and the append-only trigger."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.choices import Role
from config.exceptions import ApplicationError
from moderation import services
from moderation.models import Decision, Item

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
    pytest.mark.django_db(transaction=True),
]


def test_two_moderators_claiming_at_once_one_wins(intake, make_user):
    item = intake()
    people = [make_user(Role.MODERATOR), make_user(Role.MODERATOR)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def claim(person):
        try:
            barrier.wait()
            services.item_claim(item=item, actor=person)
            outcomes.append("claimed")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["claimed", "refused"]
    assert Item.objects.get().claimed_by in people


def test_the_database_refuses_to_change_a_decision(intake, moderator):
    services.item_decide(item=intake(), action="keep", actor=moderator)
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.update(rationale="omskrivet")
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.all().delete()
