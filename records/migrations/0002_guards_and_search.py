"""PostgreSQL only: the trigger that keeps registered snapshots unchanged and entries undeleted
outside disposal, and the Swedish full-text index of the public subject."""

from django.db import migrations

GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION records_snapshot_guard() RETURNS trigger AS $$
DECLARE
    col text;
BEGIN
    IF coalesce(current_setting('records.disposal', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'records: rows of % are removed only by disposal', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END IF;
    FOREACH col IN ARRAY TG_ARGV LOOP
        IF (to_jsonb(NEW) -> col) IS DISTINCT FROM (to_jsonb(OLD) -> col) THEN
            RAISE EXCEPTION 'records: the snapshot column %.% cannot be changed', TG_TABLE_NAME, col
                USING ERRCODE = 'restrict_violation';
        END IF;
    END LOOP;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGERS = """
CREATE TRIGGER records_record_snapshot_guard BEFORE UPDATE OR DELETE ON records_record
    FOR EACH ROW EXECUTE FUNCTION records_snapshot_guard('text', 'raw_payload', 'media', 'sha256');
CREATE TRIGGER records_recordamendment_snapshot_guard
    BEFORE UPDATE OR DELETE ON records_recordamendment
    FOR EACH ROW EXECUTE FUNCTION records_snapshot_guard(
        'text', 'raw_payload', 'sha256', 'record_id', 'kind', 'occurred_at');
CREATE INDEX records_record_public_subject_fts ON records_record
    USING gin (to_tsvector('swedish'::regconfig, COALESCE(public_subject, '')));
"""
DROP = """
DROP INDEX IF EXISTS records_record_public_subject_fts;
DROP TRIGGER IF EXISTS records_recordamendment_snapshot_guard ON records_recordamendment;
DROP TRIGGER IF EXISTS records_record_snapshot_guard ON records_record;
DROP FUNCTION IF EXISTS records_snapshot_guard();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD_FUNCTION, params=None)
        schema_editor.execute(TRIGGERS, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
