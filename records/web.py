"""The register's ZIP downloads, shared by the admin and the API views."""

from typing import IO

from django.http import FileResponse, HttpResponse


def zip_response(name: str, package: IO[bytes] | bytes) -> HttpResponse | FileResponse:
    """A package to download: streamed from its temporary file (records.zipfiles), which the
    response closes when sent; or, for bytes already held (a one-time link's package, kept in
    its database column), as they are."""
    if isinstance(package, bytes):
        response = HttpResponse(package, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(package, as_attachment=True, filename=name, content_type="application/zip")
