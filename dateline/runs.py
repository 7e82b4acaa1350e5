"""Run directories: how they are named, how a finished one is marked, and how the latest trained
model of each kind is found; plus the config resolvers every Hydra entry uses.

A run directory is `<time>_<pid><random>`: two runs started in the same second never share one.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from omegaconf import OmegaConf

from dateline import make_vars
from dateline.errors import DatelineError
from dateline.paths import PROJECT_ROOT, default_corpora_dir, default_heldout_dir, minilm_path, mpnet_dir

_SUFFIX = f"{os.getpid()}{secrets.token_hex(2)}"
COMPLETE = ".complete"
# what a model directory records beside the weights: label scheme, reading options, CRF scores,
# decoding biases (written by training, read by the tagger)
META_FILE = "dateline.json"
MODALITY_META = "modality.json"
LINKER_META = "linker.json"
# the article ids of each split a training run used, and how the split was made
SPLITS_FILE = "splits.json"


def path_name(path: str) -> str:
    """A corpus's name from its path: the folder's name, or the file's without its suffixes."""
    p = Path(str(path)).expanduser()
    return p.name.split(".")[0] if p.is_file() else p.name


def register_resolvers() -> None:
    """Resolvers the configs use: `${dateline_root:}`, `${run_suffix:}`, `${corpora_default:}`,
    `${minilm_path:}`, `${mpnet_path:}`, `${heldout_default:}`, `${path_name:<path>}`, and the
    Makefile's shortcuts `${make:NAME}` / `${make_words:NAME}` (dateline/make_vars.py, not cached:
    tests change the environment). Safe to call more than once."""
    for name, fn in make_vars.RESOLVERS.items():
        if not OmegaConf.has_resolver(name):
            OmegaConf.register_new_resolver(name, fn)
    for name, fn in {
        "dateline_root": lambda: str(PROJECT_ROOT),
        "run_suffix": lambda: _SUFFIX,
        "corpora_default": default_corpora_dir,
        "minilm_path": minilm_path,
        "mpnet_path": mpnet_dir,
        "heldout_default": default_heldout_dir,
        "path_name": path_name,
    }.items():
        if not OmegaConf.has_resolver(name):
            OmegaConf.register_new_resolver(name, fn, use_cache=True)


def is_model_dir(path: str | Path) -> bool:
    p = Path(path)
    return (p / "config.json").is_file() and any((p / f).is_file() for f in ("model.safetensors", "pytorch_model.bin"))


def latest_model(
    runs_root: Path, types: set[str] | None = None, hint: str = "`dateline train` or pass ckpt=<model dir>"
) -> Path:
    """The model of the most recent finished training run (that tags all of `types`, if given)."""

    def tags(model: Path) -> bool:
        meta = model / META_FILE
        return types is None or (meta.is_file() and types <= set(json.loads(meta.read_text()).get("types", {})))

    done = sorted(Path(runs_root).glob("**/" + COMPLETE), key=lambda p: p.stat().st_mtime)
    done = [p.parent / "model" for p in done if (p.parent / "model").is_dir() and tags(p.parent / "model")]
    if not done:
        kind = f"tagging {', '.join(sorted(types))} " if types else ""
        raise DatelineError(f"no finished training run {kind}found; train one with {hint}", runs_root)
    return done[-1]


def latest_trained(runs_root: Path, folder: str, meta_name: str, what: str, option: str) -> Path:
    """The most recent model directory under `runs_root/folder` that holds `meta_name` (trained
    by `dateline <folder>`); none is one error naming the command and the `option` to pass."""
    found = sorted(Path(runs_root).glob(f"{folder}/**/{meta_name}"), key=lambda p: p.stat().st_mtime)
    if not found:
        raise DatelineError(
            f"no {what} found; train one with `dateline {folder}` (make {folder}) or pass {option}=<dir>", runs_root
        )
    return found[-1].parent


def latest_modality_model(runs_root: Path) -> Path:
    """The most recent `dateline modality` model directory under `runs_root/modality`."""
    return latest_trained(runs_root, "modality", MODALITY_META, "modality model", "modality")


def latest_linker_model(runs_root: Path) -> Path:
    """The most recent `dateline linker` model directory under `runs_root/linker`."""
    return latest_trained(runs_root, "linker", LINKER_META, "linker model", "linker")
