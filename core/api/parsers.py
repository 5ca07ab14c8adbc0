"""The API's JSON parser. It reads the body itself, up to a limit the view may raise (the
ingest batch takes 10 MB, the rest Django's upload limit), and refuses as a parse error (400)
a body nested deeper than any document we take (instead of exhausting Python's recursion
limit) and a body holding NUL or a lone surrogate, which no text column stores (instead of a
database error). DRF's own JSON parser would be handed ``request.body``, which stops at Django's
limit for every view alike."""

import io
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, renderers, status

from core.storable import unstorable

MAX_JSON_DEPTH = 64


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, limit: int) -> None:
        megabytes = f"{limit / (1024 * 1024):.1f}".replace(".", ",")
        super().__init__(_("The body is larger than %s MB.") % megabytes)


def json_depth(value: Any) -> int:
    """How deep lists and objects nest in a parsed JSON value, counted without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children: Iterable[Any] = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.BaseParser):
    media_type = "application/json"
    renderer_class = renderers.JSONRenderer
    max_bytes: int | None = None  # None: settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # False where the view refuses such characters per item itself (the ingest batch).
    refuse_unstorable = True

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        limit = self.max_bytes or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise PayloadTooLarge(limit)
        too_deep = exceptions.ParseError(
            _("The JSON is nested more than %d levels deep.") % MAX_JSON_DEPTH
        )
        try:
            data = parsers.JSONParser().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise too_deep
        if self.refuse_unstorable:
            _refuse_unstorable(data)
        return data


def _refuse_unstorable(values: Any) -> None:
    if unstorable(values):
        raise exceptions.ParseError(
            _("The body holds a character that cannot be stored (NUL or a lone surrogate).")
        )


class FormParser(parsers.FormParser):
    """DRF's form parser, refusing what no text column stores as the JSON parser does (a value
    that reached a lookup would be a database error on PostgreSQL)."""

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        data = super().parse(stream, media_type, parser_context)
        _refuse_unstorable(list(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser with the same refusal, for the fields and the files' names."""

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_unstorable(
            [
                list(parsed.data.lists()),
                [f.name for files in parsed.files.lists() for f in files[1]],
            ]
        )
        return parsed
