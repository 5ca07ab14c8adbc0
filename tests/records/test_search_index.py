"""PostgreSQL full-text search of the public subject uses the Swedish GIN index."""

import pytest
from django.db import connection

from records.models import Record
from records.selectors import record_search

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search on PostgreSQL"),
]


def test_swedish_stemming_and_the_gin_index(registrar):
    from records.services import record_register
    from tests.records.factories import ChannelFactory, registration_kwargs

    channel = ChannelFactory()
    hit = record_register(
        **registration_kwargs(channel, registrar, subject="Snöröjningen i parkerna")
    )
    record_register(**registration_kwargs(channel, registrar, subject="Bibliotekets öppettider"))
    # Swedish stemming: "parkernas" and "parken" share the stem of "parkerna".
    assert list(record_search(Record.objects.all(), "parken")) == [hit]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = record_search(Record.objects.all(), "parken").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "records_record_public_subject_fts" in plan


@pytest.mark.parametrize("gin_first_below", [0, 10**9], ids=["walk-the-order", "gin-first"])
def test_both_query_shapes_find_the_same_entries(registrar, monkeypatch, gin_first_below):
    """Few estimated matches are taken from the GIN index first, many are filtered along the
    list's order; either way: subject matches, never a secret subject, a secret by number."""
    from records import selectors
    from records.services import record_register, record_secrecy_mark
    from tests.records.factories import ChannelFactory, registration_kwargs

    monkeypatch.setattr(selectors, "GIN_FIRST_BELOW", gin_first_below)
    channel = ChannelFactory()
    first, second = (
        record_register(**registration_kwargs(channel, registrar, subject=subject))
        for subject in ("Trasig lekplats i Vivalla", "Lekplats vid skolan är trasig")
    )
    record_register(**registration_kwargs(channel, registrar, subject="Cykelbana i Tybble"))
    secret = record_register(
        **registration_kwargs(channel, registrar, subject="Trasig lekplats, hemlig anmälan")
    )
    secret = record_secrecy_mark(record=secret, provision="OSL 26 kap. 1 §", actor=registrar)
    everything = Record.objects.order_by("-pk")
    assert list(record_search(everything, "trasig lekplats")) == [second, first]
    assert list(record_search(everything, "lekplats Vivalla")) == [first]
    assert list(record_search(everything, "ingenting")) == []
    assert secret.number
    assert list(record_search(everything, secret.number.lower())) == [secret]
