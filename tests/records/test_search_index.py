"""PostgreSQL full-text search of the public subject reads the stored Swedish vector
(generated column public_subject_search, GIN index; migration 0006)."""

import pytest
from django.db import connection

from records.models import Record
from records.selectors import record_search
from records.services import record_register, record_secrecy_mark, record_subject_set
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgresql,  # full-text search
]


def _plan(queryset: object) -> str:
    sql, params = queryset.query.sql_with_params()  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _stored_vector(record: Record) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT public_subject_search::text FROM records_record WHERE id = %s", [record.pk]
        )
        return str(cursor.fetchone()[0])


def test_swedish_stemming_and_the_gin_index_of_the_stored_column(registrar):
    channel = ChannelFactory(registered=True)
    hit = record_register(
        **registration_kwargs(channel, registrar, subject="Snöröjningen i parkerna")
    )
    record_register(**registration_kwargs(channel, registrar, subject="Bibliotekets öppettider"))
    # Swedish stemming: "parkernas" and "parken" share the stem of "parkerna".
    assert list(record_search(Record.objects.all(), "parken")) == [hit]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = _plan(record_search(Record.objects.all(), "parken"))
    assert "records_record_public_subject_search" in plan
    assert "to_tsvector" not in plan  # the stored vector, never recomputed row by row


@pytest.mark.parametrize(
    "planner",
    [
        ("enable_bitmapscan", "enable_seqscan"),  # walks the primary key and filters
        ("enable_indexscan", "enable_seqscan"),  # the GIN index's bitmap first
    ],
    ids=["walk-the-order", "gin-first"],
)
def test_both_query_shapes_find_the_same_entries(registrar, planner):
    """Whichever plan PostgreSQL takes: subject matches, never a secret subject, a secret
    entry by its number."""
    channel = ChannelFactory(registered=True)
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
    with connection.cursor() as cursor:
        for setting in planner:
            cursor.execute(f"SET LOCAL {setting} = off")
    shape = "Bitmap Index Scan" if planner[0] == "enable_indexscan" else "Index Scan Backward"
    assert shape in _plan(record_search(everything, "trasig lekplats"))
    assert list(record_search(everything, "trasig lekplats")) == [second, first]
    assert list(record_search(everything, "lekplats Vivalla")) == [first]
    assert list(record_search(everything, "hemlig")) == []
    assert list(record_search(everything, "ingenting")) == []
    assert secret.number
    assert list(record_search(everything, secret.number.lower())) == [secret]


def test_the_stored_vector_follows_a_corrected_subject(registrar):
    channel = ChannelFactory(registered=True)
    record = record_register(
        **registration_kwargs(channel, registrar, subject="Fråga om snöröjning")
    )
    assert _stored_vector(record) == "'fråg':1 'snöröjning':3"
    assert list(record_search(Record.objects.all(), "snöröjning")) == [record]
    record_subject_set(
        record=record,
        subject="Fråga om cykelbanan vid Vivalla",
        public_subject="",
        actor=registrar,
    )
    assert _stored_vector(record) == "'cykelbanan':3 'fråg':1 'vivall':5"
    assert list(record_search(Record.objects.all(), "snöröjning")) == []
    assert list(record_search(Record.objects.all(), "cykelbanan Vivalla")) == [record]


def test_a_secret_entry_is_never_found_by_its_subject(client, registrar):
    channel = ChannelFactory(registered=True)
    secret = record_register(
        **registration_kwargs(channel, registrar, subject="Anmälan om hemlig lekplats")
    )
    secret = record_secrecy_mark(record=secret, provision="OSL 26 kap. 1 §", actor=registrar)
    assert _stored_vector(secret) == "'anmälan':1 'hem':3 'lekplat':4"  # stored, never searched
    assert list(record_search(Record.objects.all(), "hemlig lekplats")) == []
    assert secret.number
    page = client.get("/diarium/", {"q": "hemlig lekplats"}).content.decode()
    api = client.get("/api/v1/records/register/", {"q": "hemlig lekplats"}).json()
    assert secret.number not in page
    assert api["results"] == []
    assert secret.number in client.get("/diarium/", {"q": secret.number}).content.decode()
