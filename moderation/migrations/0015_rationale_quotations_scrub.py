"""Decisions and reconsiderations stay append-only, with one exception (issue 13): within a
quotation scrub (``moderation.quotations = 'on'``, set by moderation.lifecycle when disposal or
the erasure of unlawful content removes an item's content) an update may change the rationale
and nothing else, to replace what it quotes of the removed content."""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION moderation_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND coalesce(current_setting('moderation.quotations', true), '') = 'on'
        AND (to_jsonb(NEW) - 'rationale') = (to_jsonb(OLD) - 'rationale') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'moderation: rows of % are append-only', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""
STRICT = """
CREATE OR REPLACE FUNCTION moderation_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation: rows of % are append-only', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STRICT, params=None)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0014_source_origin_backfill")]

    operations = [migrations.RunPython(forwards, backwards)]
