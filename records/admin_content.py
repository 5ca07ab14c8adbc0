"""What the admin pages of content models share: their history pages (django-simple-history's
list and version pages) ask the access policy before they show anything. The admin object is
shared by every request of the process, so nothing of a request is kept on it."""

from typing import Any

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.history_admin import HistoryAdmin
from core.actors import request_actor
from records.access import (
    Access,
    ContentState,
    content_access,
    content_view_log,
    record_content_state,
)
from records.models import Record


class ContentHistoryAdmin(HistoryAdmin):
    """History of a model that holds a citizen's content: a version never shows content to
    anyone who could not see the entry's content now (a secret, disposed or erased entry's
    old versions are as closed as the entry), and a registrar's view of a secret one is logged.
    """

    def content_record(self, obj: Any) -> Record | None:
        """The register entry whose state governs ``obj``'s content."""
        return obj if isinstance(obj, Record) else None

    def history_access_check(self, request: HttpRequest, object_id: str, where: str) -> None:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return  # the history of a row that is gone: the view answers 404 itself
        record, viewer = self.content_record(obj), request_actor(request)
        access = content_access(viewer, record_content_state(record))
        registrar = content_access(viewer, ContentState.SECRET).shows_content
        # A tombstone's history is the disposal's or erasure's trail: the registrars' to read
        # (disposal and erasure have emptied the content from it).
        if not (access.shows_content or (access == Access.TOMBSTONE and registrar)):
            raise PermissionDenied
        if access == Access.LOGGED and record is not None:
            content_view_log(record=record, user=viewer, purpose=where)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self.history_access_check(request, object_id, "admin history")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self.history_access_check(request, object_id, f"admin history version {version_id}")
        return super().history_form_view(request, object_id, version_id, extra_context)
