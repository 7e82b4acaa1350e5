"""Fingerprints of a corpus and of the reader code, so `datasets` caches notice a change."""

from __future__ import annotations

import hashlib
from pathlib import Path

READER_CODE = Path(__file__).resolve().parent


def data_fingerprint(paths: list[Path]) -> str:
    """A cheap content fingerprint (names, sizes, mtimes) so caches notice a changed corpus."""
    h = hashlib.sha256()
    for p in sorted(paths):
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def code_fingerprint() -> str:
    """A hash of the reader code, so cached datasets are rebuilt when the way they are read changes."""
    h = hashlib.sha256()
    for p in sorted(READER_CODE.rglob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]
