"""PostgreSQL only: decisions and reconsiderations are append-only in the database too, so no
code path, admin action or SQL console edit can rewrite the audit trail."""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION moderation_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation: rows of % are append-only', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER moderation_decision_append_only BEFORE UPDATE OR DELETE ON moderation_decision
    FOR EACH ROW EXECUTE FUNCTION moderation_append_only();
CREATE TRIGGER moderation_reconsideration_append_only
    BEFORE UPDATE OR DELETE ON moderation_reconsideration
    FOR EACH ROW EXECUTE FUNCTION moderation_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS moderation_reconsideration_append_only ON moderation_reconsideration;
DROP TRIGGER IF EXISTS moderation_decision_append_only ON moderation_decision;
DROP FUNCTION IF EXISTS moderation_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_items_decisions_blocks_outbox")]

    operations = [migrations.RunPython(forwards, backwards)]
