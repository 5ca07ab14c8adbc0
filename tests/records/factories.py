import itertools
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from records.models import RetentionClass

SOURCE_IDS = itertools.count(1)


class RetentionClassFactory(factory.django.DjangoModelFactory[RetentionClass]):
    class Meta:
        model = RetentionClass
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"klass-{n}")
    name = "Kommentarer"
    retention_years = 2
    decision_reference = "KS 2026/1"


def registration_kwargs(channel: Any, actor: Any, **overrides: Any) -> dict[str, Any]:
    """Arguments for record_register describing a plain comment that arrived an hour ago."""
    from records.choices import RecordDirection, RegistrationReason

    kwargs = {
        "channel": channel,
        "source_id": f"fb-{next(SOURCE_IDS)}",
        "document_date": timezone.now() - timedelta(hours=1),
        "direction": RecordDirection.INCOMING,
        "subject": "Fråga om snöröjning",
        "text": "När plogas Storgatan?",
        "raw_payload": {"id": "1", "message": "När plogas Storgatan?"},
        "reason": RegistrationReason.RECEIVED,
        "actor": actor,
        "counterparty_name": "Anna Andersson",
        "counterparty_platform_id": "100001",
        "counterparty_handle": "anna.a",
        "permalink": "https://facebook.com/orebro/posts/1",
    }
    kwargs.update(overrides)
    return kwargs


def stored_media(record: Any, content: bytes, *, position: int = 0) -> Any:
    """An image of ``record`` as the fetch stores it (records.media): its bytes, type and hash."""
    import hashlib

    from django.core.files.base import ContentFile

    from records.choices import MediaKind, MediaStatus
    from records.models import RecordMedia

    media = RecordMedia(
        record=record,
        position=position,
        kind=MediaKind.IMAGE,
        source_url=f"https://scontent.xx.fbcdn.net/{position}.jpg",
        status=MediaStatus.STORED,
        content_type="image/jpeg",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    media.file.save(f"{position}.jpg", ContentFile(content), save=False)
    media.save()
    return media
