"""ZIP packages written to a temporary file, never held whole in memory: the e-archive package
(records.export), the delivery of public documents (records.delivery) and the subject-access
package (privacy.package). Generated parts (XML, JSON, HTML: small) are written as they are;
a stored file (an image, a video) is copied from storage in chunks, and hashed in chunks where
the package must name its checksum before it holds it. The package is served from the file
(records.web.zip_response) and closed with the response."""

import hashlib
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.core.files.storage import default_storage

# What is read of a stored file at a time.
CHUNK = 256 * 1024
# A package up to this size stays in memory; a larger one goes to a file on disk.
SPOOL_BYTES = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """A file in the default storage, by its name, read only when the package is written."""

    name: str

    def open(self) -> IO[bytes]:
        return default_storage.open(self.name, "rb")

    def digest(self) -> tuple[str, int]:
        """Its SHA-256 (hex) and size, read in chunks."""
        digest, size = hashlib.sha256(), 0
        with self.open() as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
        return digest.hexdigest(), size


Part = bytes | StoredFile


def _entry(name: str) -> zipfile.ZipInfo:
    """A member as ``ZipFile.writestr`` makes one (written now, compressed, read-write for
    its owner), for a file streamed in."""
    info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def zip_write(parts: Iterable[tuple[str, Part]]) -> IO[bytes]:
    """The parts, (name in the ZIP, content), as a ZIP in a temporary file, rewound; whoever
    takes it closes it (a FileResponse does when it is sent)."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned open)
    try:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in parts:
                if isinstance(content, StoredFile):
                    with content.open() as source, archive.open(_entry(name), "w") as target:
                        shutil.copyfileobj(source, target, CHUNK)
                else:
                    archive.writestr(name, content)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool
