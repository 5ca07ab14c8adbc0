"""The queue's API rows are typed (moderation.queue.ApiRow and the types it holds): the types
name every key the API writes, in the API's order, so mypy checks what the builder writes and
what its readers take. ItemSerializer's output is the reference."""

import pytest

from moderation import selectors
from moderation.api.serializers import ItemDetailSerializer, ItemSerializer
from moderation.queue import (
    API_COLUMNS,
    ApiAuthor,
    ApiDetailRow,
    ApiHit,
    ApiRow,
    api_rows,
    item_queue,
)

pytestmark = pytest.mark.django_db


def test_the_row_types_name_the_serializers_keys_in_order(intake, moderator):
    item = intake(text="Din idiot, ring 070-123 45 67")
    instance = selectors.item_list().get(pk=item.pk)
    data = ItemSerializer(instance, context={"viewer": moderator}).data
    detail = ItemDetailSerializer(instance, context={"viewer": moderator}).data
    assert list(ApiRow.__annotations__) == list(data)
    assert list(ApiDetailRow.__annotations__) == list(detail)
    assert list(ApiAuthor.__annotations__) == list(data["author"])
    assert data["hits"]
    assert all(list(ApiHit.__annotations__) == list(hit) for hit in data["hits"])


def test_the_builder_writes_the_typed_rows_keys(intake, moderator):
    intake(text="Din idiot, ring 070-123 45 67")
    intake(text="Hej", author_id=None)
    rows = api_rows(list(item_queue(columns=API_COLUMNS)), viewer=moderator)
    assert len(rows) == 2
    assert all(list(row) == list(ApiRow.__annotations__) for row in rows)
