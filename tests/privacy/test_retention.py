"""The retention of what is not a public document: an orphaned platform account, old notes
about authors, ended blocks and processed webhook deliveries are removed after the periods
the administrator set, by the beat task, with a report; register entries stay."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation.models import Block, Note, PlatformAccount, WebhookDelivery
from moderation.services import block_create, block_lift, note_create
from privacy.models import RetentionRun
from privacy.tasks import personal_data_retention
from records.models import Record
from tests.moderation.factories import PlatformAccountFactory

pytestmark = pytest.mark.django_db


def test_retention_removes_what_has_passed_its_period_and_reports_it(
    client, administrator, moderator, intake, channel
):
    item = intake(text="Hej")
    kept = item.author
    orphan = PlatformAccountFactory.create()
    PlatformAccount.objects.filter(pk=orphan.pk).update(
        last_seen_at=timezone.now() - timedelta(days=91)
    )
    old_note = note_create(text="Gammal anteckning", author=kept, actor=moderator)
    Note.objects.filter(pk=old_note.pk).update(created_at=timezone.now() - timedelta(days=400))
    block = block_create(author=kept, channel=channel, ground_codes=["harassment"], actor=moderator)
    block_lift(block=block, actor=moderator)
    Block.objects.filter(pk=block.pk).update(lifted_at=timezone.now() - timedelta(days=366))
    WebhookDelivery.objects.create(
        source="meta", body=b"{}", processed_at=timezone.now() - timedelta(days=31)
    )
    recent = WebhookDelivery.objects.create(source="meta", body=b"{}", processed_at=timezone.now())

    assert personal_data_retention() == 4
    assert not PlatformAccount.objects.filter(pk=orphan.pk).exists()
    assert PlatformAccount.objects.filter(pk=kept.pk).exists()  # it still has an item
    assert not Note.objects.filter(pk=old_note.pk).exists()
    assert not Block.objects.filter(pk=block.pk).exists()
    assert not Block.history.filter(id=block.pk).exists()
    assert list(WebhookDelivery.objects.all()) == [recent]
    assert Record.objects.count() == 1

    client.force_login(administrator)
    run = RetentionRun.objects.get()
    page = client.get(reverse("admin:privacy_retentionrun_change", args=[run.pk]))
    assert f"Plattformskonto {orphan.pk} (facebook) utan kvarvarande inlägg togs bort." in (
        page.content.decode()
    )
    assert orphan.name not in run.report


def test_the_administrator_sets_the_periods(client, administrator):
    client.force_login(administrator)
    client.get(reverse("admin:privacy_retentionsettings_changelist"))
    response = client.post(
        reverse("admin:privacy_retentionsettings_change", args=[1]),
        {
            "orphan_accounts_days": 30,
            "author_notes_days": 365,
            "expired_blocks_days": 365,
            "queue_working_data_days": 30,
        },
    )
    assert response.status_code == 302
    from privacy.models import RetentionSettings

    assert RetentionSettings.objects.get().orphan_accounts_days == 30
