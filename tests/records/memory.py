"""Memory, not time: what building a package allocates at its peak (tracemalloc), beside a
stored media file far larger than that."""

import hashlib
import os
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import IO, TypeVar

# A stored image of 20 MB that does not compress (a JPEG's magic bytes, then random bytes).
LARGE_IMAGE = b"\xff\xd8\xff" + os.urandom(20 * 1024 * 1024)
# Building a package with it may allocate at most this much at once: a fraction of the file.
BOUND = len(LARGE_IMAGE) // 4

Built = TypeVar("Built")


def peak_while(build: Callable[[], Built]) -> tuple[int, Built]:
    """What ``build`` returns, and the most memory it held allocated at once."""
    tracemalloc.start()
    try:
        built = build()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, built


def member_sha256(package: IO[bytes], suffix: str) -> str:
    """The SHA-256 of the package's one member whose name ends in ``suffix``, read in chunks."""
    with zipfile.ZipFile(package) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(suffix)]
        digest = hashlib.sha256()
        with archive.open(name) as member:
            while chunk := member.read(1024 * 1024):
                digest.update(chunk)
    return digest.hexdigest()
