"""Issue 13, "sources cannot collide": rows from before the origin columns (records 0007,
moderation 0008) all read as if they came from the platform. They can be told apart: intake
registers every item at once, with the intake's actor as ``created_by`` — the system account
for webhooks and polling, an integration client's own service user for the ingest API. So:

- an entry some item refers to, registered by a client's service user, came in by the ingest
  API from that client (entry, its history rows and its items get that origin);
- an entry no item refers to was never captured by intake: a registrar's or the register API's
  (which of the two cannot be told; either way intake can no longer find it by its source id).
"""

from django.db import migrations
from django.db.models import Exists, OuterRef


def origins_backfill(apps, schema_editor):
    Record = apps.get_model("records", "Record")
    HistoricalRecord = apps.get_model("records", "HistoricalRecord")
    Item = apps.get_model("moderation", "Item")
    IntegrationClient = apps.get_model("accounts", "IntegrationClient")
    client_of_user = dict(IntegrationClient.objects.values_list("user_id", "pk"))
    old = Record.objects.filter(source_kind="platform", source_client__isnull=True)
    captured = Exists(Item.objects.filter(record_id=OuterRef("pk")))
    ingested = old.filter(captured, created_by_id__in=client_of_user)
    for record, user in ingested.values_list("pk", "created_by_id"):
        origin = {"source_kind": "ingest", "source_client_id": client_of_user[user]}
        Record.objects.filter(pk=record).update(**origin)
        HistoricalRecord.objects.filter(id=record).update(**origin)
        Item.objects.filter(record_id=record).update(source_client_id=client_of_user[user])
    by_hand = list(old.exclude(captured).values_list("pk", flat=True))
    Record.objects.filter(pk__in=by_hand).update(source_kind="registrar")
    HistoricalRecord.objects.filter(id__in=by_hand).update(source_kind="registrar")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("moderation", "0013_item_month_figures"),
        ("records", "0008_access_request_notified_at"),
    ]

    operations = [migrations.RunPython(origins_backfill, migrations.RunPython.noop)]
