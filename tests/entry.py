"""Run the project's entry points as a user would: a fresh process, offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(module: str, *overrides: str, cwd: Path = ROOT, timeout: int = 600) -> subprocess.CompletedProcess:
    """`python -m <module> <overrides>` with the hub switched off; output captured."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", module, *overrides], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def train_tiny(corpus_dir: Path, run_dir: Path, *overrides: str, epochs: int = 1) -> Path:
    """Train `model=tiny` on the fixture corpus into `run_dir` (no evaluation); its model dir."""
    result = run(
        "training.train",
        "model=tiny",
        f"trainer.args.num_train_epochs={epochs}",
        f"corpora={corpus_dir}",
        f"cache_dir={run_dir.parent / 'cache'}",
        "evaluate.enabled=false",
        f"hydra.run.dir={run_dir}",
        *overrides,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return run_dir / "model"
