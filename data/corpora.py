"""Where the corpora live: a config key, by default the first of $DATELINE_CORPORA, a local
mirror at ../shared/corpora, and data/corpora/ (where `make data` downloads)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def candidate_dirs() -> list[Path]:
    found = []
    if os.environ.get("DATELINE_CORPORA"):
        found.append(Path(os.environ["DATELINE_CORPORA"]).expanduser())
    found += [PROJECT_ROOT.parent / "shared" / "corpora", PROJECT_ROOT / "data" / "corpora"]
    return found


def default_corpora_dir() -> str:
    """The first candidate that exists; else the download target, so errors name it."""
    candidates = candidate_dirs()
    for path in candidates:
        if path.is_dir():
            return str(path.resolve())
    return str(candidates[-1])


def default_heldout_dir() -> str:
    """$DATELINE_HELDOUT, else the local mirror's held-out articles at ../shared/heldout."""
    if os.environ.get("DATELINE_HELDOUT"):
        return os.environ["DATELINE_HELDOUT"]
    return str(PROJECT_ROOT.parent / "shared" / "heldout")


def data_fingerprint(paths: list[Path]) -> str:
    """A cheap content fingerprint (names, sizes, mtimes) so caches notice a changed corpus."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted(paths):
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def code_fingerprint() -> str:
    """A hash of the reader code, so cached datasets are rebuilt when the way they are read changes."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted((PROJECT_ROOT / "data").glob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]
