"""A register entry's stored media file, opened by staff from the entry's admin page or the
moderation queue (issue 16): served only when the access policy shows the viewer the entry's
content (a registrar's view of a secret entry is logged like any view of its content), and
served so that no browser runs it (its proven type, inline, no sniffing, no script, no cache)."""

from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.actors import request_actor
from records.access import (
    Access,
    content_view_log,
    record_access,
    record_content_state,
    withheld_label,
)
from records.choices import MediaStatus
from records.media import EXTENSIONS
from records.models import Record, RecordMedia

# The file is shown, never run: nothing it names is fetched, and a browser treats it as a
# sandboxed document of its own origin-less kind.
MEDIA_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"


def media_file(
    model_admin: "ModelAdmin[Record]", request: HttpRequest, pk: int, position: int
) -> HttpResponseBase:
    """``GET`` the file at ``position`` of entry ``pk``."""
    # Refused before the entry is looked up: whether an entry exists is not told to those who
    # may not read the register.
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    record = get_object_or_404(Record, pk=pk)
    if not model_admin.has_view_permission(request, record):
        raise PermissionDenied
    viewer = request_actor(request)
    access = record_access(viewer, record)
    if access == Access.TOMBSTONE:
        return _plain(withheld_label(record_content_state(record)), status=410)
    if not access.shows_content:
        raise PermissionDenied
    media = (
        RecordMedia.objects.filter(record=record, position=position, status=MediaStatus.STORED)
        .exclude(file="")
        .first()
    )
    if media is None or media.content_type not in EXTENSIONS:
        return _plain(_("The file is not stored."), status=404)
    if access == Access.LOGGED:
        content_view_log(record=record, user=viewer, purpose=f"admin media {position}")
    filename = (
        f"{slugify(record.number or '') or record.pk}-{position}.{EXTENSIONS[media.content_type]}"
    )
    response = FileResponse(
        media.file.open("rb"),
        content_type=media.content_type,
        as_attachment=False,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = MEDIA_CSP
    return response


def _plain(text: str, *, status: int) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def media_file_url(record_id: int, position: int) -> str:
    return reverse("admin:records_record_media", args=[record_id, position])


def stored_media_links(record_id: int | None) -> list[dict[str, object]]:
    """The stored files of an entry with the address each opens at (for the pages that show
    the entry's content and link its files: ask the policy first)."""
    if record_id is None:
        return []
    rows = RecordMedia.objects.filter(record=record_id, status=MediaStatus.STORED).exclude(file="")
    return [
        {"kind": kind, "position": position, "url": media_file_url(record_id, position)}
        for kind, position in rows.values_list("kind", "position")
    ]
