"""PostgreSQL only: the Swedish full-text vector of the public subject as a stored generated
column with its own GIN index, in place of the expression index of migration 0002. The search
reads the stored vector instead of recomputing it row by row (records.selectors.record_search).
The column is PostgreSQL's own, not a model field: it follows the public subject on every write
(a correction, disposal's scrubbing) and SQLite searches by substring instead."""

from django.db import migrations

# The expression index goes first so that the table's rewrite does not rebuild it; the
# statistics of the new column let the planner estimate matches at once.
FORWARDS = """
DROP INDEX IF EXISTS records_record_public_subject_fts;
ALTER TABLE records_record ADD COLUMN public_subject_search tsvector
    GENERATED ALWAYS AS (to_tsvector('swedish'::regconfig, COALESCE(public_subject, ''))) STORED;
CREATE INDEX records_record_public_subject_search ON records_record
    USING gin (public_subject_search);
ANALYZE records_record (public_subject_search);
"""
BACKWARDS = """
ALTER TABLE records_record DROP COLUMN IF EXISTS public_subject_search;
CREATE INDEX records_record_public_subject_fts ON records_record
    USING gin (to_tsvector('swedish'::regconfig, COALESCE(public_subject, '')));
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS, params=None)


class Migration(migrations.Migration):
    dependencies = [("records", "0005_unlawful_content_erasure")]

    operations = [migrations.RunPython(forwards, backwards)]
