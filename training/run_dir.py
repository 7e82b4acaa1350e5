"""Run directories and config resolvers shared by the Hydra entries.

A run directory is `<time>_<pid><random>`: two runs started in the same second never share one.
"""

from __future__ import annotations

import os
import secrets

from omegaconf import OmegaConf

from data.corpora import PROJECT_ROOT, default_corpora_dir

_SUFFIX = f"{os.getpid()}{secrets.token_hex(2)}"
COMPLETE = ".complete"


def register_resolvers() -> None:
    """Resolvers the configs use: `${dateline_root:}`, `${run_suffix:}`, `${corpora_default:}`,
    `${minilm_path:}`. Safe to call more than once."""
    from data.corpora import default_heldout_dir
    from data.labels import known_labels
    from training.model import minilm_path

    for name, fn in {
        "dateline_root": lambda: str(PROJECT_ROOT),
        "run_suffix": lambda: _SUFFIX,
        "corpora_default": default_corpora_dir,
        "minilm_path": minilm_path,
        "heldout_default": default_heldout_dir,
        "known_labels": lambda: known_labels(sorted((PROJECT_ROOT / "configs" / "labels").glob("*.yaml"))),
    }.items():
        if not OmegaConf.has_resolver(name):
            OmegaConf.register_new_resolver(name, fn, use_cache=True)
