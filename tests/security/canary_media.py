"""The canary in a stored media file: an image on a planted entry, fetched and stored by the
register's own fetch (records.media), its bytes holding the canary."""

from collections.abc import Iterator

from accounts.models import User
from records.choices import MediaKind, MediaStatus
from records.media import FetchLimits, record_media_fetch
from records.models import Record, RecordMedia


class CanaryFetcher:
    """The platform's CDN, answering with the given bytes."""

    def __init__(self, content: bytes):
        self.content = content

    def fetch(self, url: str, *, limits: FetchLimits) -> Iterator[bytes]:
        yield self.content


def media_plant(record: Record, registrar: User, content: bytes) -> RecordMedia:
    media = RecordMedia.objects.create(
        record=record, position=0, kind=MediaKind.IMAGE, source_url="https://cdn.test/k.png"
    )
    stored = record_media_fetch(media=media, fetcher=CanaryFetcher(content), actor=registrar)
    assert stored.status == MediaStatus.STORED, stored.error
    return stored
