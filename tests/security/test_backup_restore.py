"""Backup and restore as SECURITY.md describes it: pg_dump -Fc of the database, pg_restore into
a fresh database, and every register entry and amendment is there with its hash intact,
recomputed from the restored snapshot."""

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from records.models import Record, RecordAmendment, snapshot_hash
from records.services import record_amend, record_register
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs
from tests.security.postgres import server_connect

pytestmark = [
    pytest.mark.postgresql,  # pg_dump and pg_restore
    pytest.mark.django_db(transaction=True),
]


def _server_args() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    args = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    args += ["-U", settings["USER"] or "postgres"]
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    return args, env


def test_a_dump_restored_into_a_fresh_database_holds_every_entry_intact(
    registrar, tmp_path: Path
) -> None:
    channel = ChannelFactory(registered=True)
    records = [
        record_register(
            **registration_kwargs(
                channel,
                registrar,
                text=f"Inlägg {n} med åäö och emoji 🎉",
                raw_payload={"id": str(n), "message": f"Inlägg {n}", "nested": {"likes": n}},
            )
        )
        for n in range(12)
    ]
    record_amend(
        record=records[0],
        reason="platform_edit",
        text="Ändrad text",
        raw_payload={"id": "0", "message": "Ändrad text"},
        occurred_at=records[0].document_date,
        actor=registrar,
    )
    expected = {r.pk: (r.number, r.sha256) for r in Record.objects.all()}
    expected_amendments = {a.pk: a.sha256 for a in RecordAmendment.objects.all()}

    args, env = _server_args()
    dump = tmp_path / "sociala-medier.dump"
    source = connection.settings_dict["NAME"]
    fresh = f"{source}_restore_{os.getpid()}"

    def run(command: list[str]) -> None:
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)

    run(["pg_dump", *args, "-Fc", "-f", str(dump), source])
    run(["dropdb", *args, "--if-exists", fresh])
    run(["createdb", *args, fresh])
    try:
        run(["pg_restore", *args, "--no-owner", "--exit-on-error", "-d", fresh, str(dump)])
        with server_connect(fresh) as restored:
            rows = restored.execute(
                "SELECT id, number, text, raw_payload, media, sha256 FROM records_record"
            ).fetchall()
            amendments = restored.execute(
                "SELECT id, text, raw_payload, sha256 FROM records_recordamendment"
            ).fetchall()
    finally:
        run(["dropdb", *args, "--if-exists", fresh])

    assert {pk: (number, sha) for pk, number, _, _, _, sha in rows} == expected
    for pk, _number, text, raw, media, sha in rows:
        assert snapshot_hash(text, raw, media) == sha, pk
    assert {pk: sha for pk, _, _, sha in amendments} == expected_amendments
    for pk, text, raw, sha in amendments:
        assert snapshot_hash(text, raw, []) == sha, pk
    assert len(rows) == 12
    assert len(amendments) == 1
