"""`model.init=default`: fine-tune from the default tagger of the encoder — the latest finished
run of its default recipe on ECB+ under runs/train (`model.default_recipe`: experiment=distilled
for MiniLM, what `make train` trains) — and train that run first where there is none, so a
fresh clone adapts to a user's corpus in one command (`experiment=own_data`, Study 15).
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from pathlib import Path

from dateline.errors import DatelineError
from dateline.runs import COMPLETE, META_FILE

log = logging.getLogger("dateline.train")
DEFAULT = "default"


def default_models(runs_root: Path, recipe: str, encoder: str) -> list[Path]:
    """Finished model directories of `recipe` on ECB+ with `encoder`, oldest first."""
    found = []
    for done in sorted(runs_root.glob(f"train/*/{COMPLETE}"), key=lambda p: p.stat().st_mtime):
        meta_path = done.parent / "model" / META_FILE
        if not meta_path.is_file():
            continue
        meta = json.loads(meta_path.read_text())
        data = meta.get("data") or {}
        if meta.get("experiment") == recipe and data.get("name") == "ecbplus" and meta.get("encoder") == encoder:
            found.append(done.parent / "model")
    return found


def resolve_init(
    init: str | None, recipe: str | None, encoder: str, runs_root: Path, corpora: str, cache_dir: str
) -> str | None:
    """The model directory `model.init` names: itself, or for `default` the default tagger (trained now if missing)."""
    if init != DEFAULT:
        return init
    if not recipe:
        raise DatelineError(f"model.init=default: model={encoder} has no default recipe (model.default_recipe)")
    found = default_models(runs_root, recipe, encoder)
    if found:
        log.info("model.init=default: fine-tuning from %s", found[-1])
        return str(found[-1])
    run_dir = runs_root / "train" / f"{time.strftime('%Y-%m-%d_%H-%M-%S')}_default_{recipe}"
    log.info(
        "model.init=default: no finished experiment=%s run under %s; training it first into %s",
        recipe,
        runs_root,
        run_dir,
    )
    command = [
        sys.executable,
        "-m",
        "dateline.cli",
        "train",
        f"experiment={recipe}",
        f"corpora={corpora}",
        f"cache_dir={cache_dir}",
        f"hydra.run.dir={run_dir}",
    ]
    done = subprocess.run(command)
    if done.returncode != 0 or not (run_dir / COMPLETE).is_file():
        raise DatelineError(f"model.init=default: training the default tagger (experiment={recipe}) failed", run_dir)
    return str(run_dir / "model")
