"""What only PostgreSQL proves: row locks under real concurrency, and the append-only trigger."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.choices import Role
from core.exceptions import ApplicationError
from moderation import services
from moderation.models import Decision, Item

pytestmark = [
    pytest.mark.postgresql,
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


def test_the_same_delivery_a_thousand_times_at_once_makes_one_item(channel):
    """The same platform event arrives 1,000 times in parallel (redelivery storms happen):
    32 threads, each with its own database connection, deliver it 1,000 times in all. One item,
    one version, one register entry, and no delivery fails."""
    from accounts.services import system_user
    from moderation.services import moderation_item_intake
    from records.models import Record
    from tests.moderation.factories import normalized

    event = normalized(channel, external_id="storm-1", text="Samma kommentar, många gånger")
    actor = system_user()
    workers, deliveries = 32, 1000
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def deliver(share: int) -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(share):
                result = moderation_item_intake(channel=channel, item=event, actor=actor)
                outcomes.append(result.outcome)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    shares = [deliveries // workers + (n < deliveries % workers) for n in range(workers)]
    threads = [threading.Thread(target=deliver, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(outcomes) == deliveries
    assert outcomes.count("created") == 1
    item = Item.objects.get()
    assert item.versions.count() == 1
    assert Record.objects.filter(source_id="storm-1").count() == 1


def test_overlapping_batches_at_once_store_each_item_once(channel):
    """Eight deliveries at once, each of the same 40 events with the same authors in its own
    order: no deadlock, each item once, one register entry each, numbers without gaps."""
    import random

    from accounts.services import system_user
    from moderation.services import moderation_items_intake
    from records.models import Record
    from tests.moderation.factories import normalized

    channel.records_policy = "register_all"
    channel.save()
    events = [
        normalized(channel, external_id=f"batch-{n}", author_id=f"fan-{n % 7}", text=f"Fråga {n}")
        for n in range(40)
    ]
    actor = system_user()
    workers = 8
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def deliver(seed: int) -> None:
        batch = random.Random(seed).sample(events, len(events))
        try:
            barrier.wait(timeout=30)
            results = moderation_items_intake(channel=channel, items=batch, actor=actor)
            outcomes.extend(result.outcome for result in results)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(seed,)) for seed in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert outcomes.count("created") == 40
    assert Item.objects.count() == 40
    sequences = sorted(s or 0 for s in Record.objects.values_list("series_sequence", flat=True))
    assert sequences == list(range(1, 41))
