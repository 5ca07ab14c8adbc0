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
