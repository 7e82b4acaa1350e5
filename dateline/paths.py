"""Where things are: the project root, the corpora folder and the held-out articles.

The corpora are read from a config key, by default the first of $DATELINE_CORPORA, a local
mirror at ../shared/corpora, and data/corpora/ (where `dateline data` downloads)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CONFIGS = PROJECT_ROOT / "configs"


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
