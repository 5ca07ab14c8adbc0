"""Gap-free numbering under concurrent registration on PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from records.models import Record, SeriesCounter
from records.services import Registration, record_register, records_register
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs

WORKERS = 50  # as many registrations at once as the issue asks

pytestmark = [
    pytest.mark.postgresql,  # row locks
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_registrations_share_no_number_and_skip_none(registrar):
    channel = ChannelFactory(registered=True)
    barrier = threading.Barrier(WORKERS)

    def register(n: int) -> str:
        try:
            barrier.wait(timeout=30)
            record = record_register(
                **registration_kwargs(channel, registrar, source_id=f"concurrent-{n}")
            )
            return record.number or ""
        finally:
            connection.close()  # each thread had its own connection

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        numbers = list(pool.map(register, range(WORKERS)))

    year = timezone.localtime().year
    assert len(set(numbers)) == WORKERS
    assert sorted(numbers) == [f"SOME {year}/{n:06d}" for n in range(1, WORKERS + 1)]
    assert Record.objects.count() == WORKERS
    assert SeriesCounter.objects.get(prefix="SOME", year=year).last_number == WORKERS


def test_concurrent_registration_of_one_source_makes_one_entry(registrar):
    channel = ChannelFactory(registered=True)
    barrier = threading.Barrier(8)

    def register(_: int) -> int:
        try:
            barrier.wait(timeout=30)
            return record_register(
                **registration_kwargs(channel, registrar, source_id="same-object")
            ).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(register, range(8)))

    assert len(ids) == 1
    assert Record.objects.count() == 1
    assert SeriesCounter.objects.get().last_number == 1


def test_concurrent_batches_number_each_entry_once_without_gaps(registrar):
    channel = ChannelFactory(registered=True)
    workers, size = 8, 25
    barrier = threading.Barrier(workers)

    def register(worker: int) -> list[str]:
        batch = []
        for n in range(size):
            kwargs = registration_kwargs(channel, registrar, source_id=f"batch-{worker}-{n}")
            del kwargs["actor"]
            batch.append(Registration(**kwargs))
        try:
            barrier.wait(timeout=30)
            return [r.number or "" for r in records_register(registrations=batch, actor=registrar)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        batches = list(pool.map(register, range(workers)))

    year = timezone.localtime().year
    numbers = sorted(n for batch in batches for n in batch)
    assert numbers == [f"SOME {year}/{n:06d}" for n in range(1, workers * size + 1)]
    for batch in batches:  # each batch took one run of numbers
        sequences = [int(n.rsplit("/", 1)[1]) for n in batch]
        assert sequences == list(range(sequences[0], sequences[0] + size))
