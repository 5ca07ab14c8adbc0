"""The API's JSON renderer: UTF-8 as DRF writes it, except that a lone surrogate echoed from
the input (in an error's details) is written as its JSON escape instead of failing the
response, which UTF-8 cannot carry."""

import json
from typing import Any

from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            text = json.dumps(data, cls=self.encoder_class, ensure_ascii=True)
            return text.encode("ascii")
