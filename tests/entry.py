"""Run the project's jobs as a user would: `dateline <job> key=value ...` in a fresh process, offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(
    job: str, *overrides: str, cwd: Path = ROOT, timeout: int = 600, make: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`dateline <job> <overrides>` with the hub switched off; output captured. `make`: the job as
    a make target starts it, these make variables given (`make cv DATA=…`)."""
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        **({"MAKELEVEL": "1", **make} if make else {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "dateline.cli", job, *overrides],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def train_tiny(corpus_dir: Path, run_dir: Path, *overrides: str, epochs: int = 1) -> Path:
    """Train `model=tiny` on the fixture corpus into `run_dir` (no evaluation); its model dir."""
    result = run(
        "train",
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


def train_briefly(corpus_dir: Path, run_dir: Path, *overrides: str) -> Path:
    """A pretrained encoder fine-tuned briefly on the fixture corpus through the training entry
    (6 epochs, batches of 4, no tuning, no evaluation): a model that tags something; its run dir."""
    result = run(
        "train",
        *overrides,
        f"corpora={corpus_dir}",
        f"hydra.run.dir={run_dir}",
        f"cache_dir={run_dir.parent / 'cache'}",
        "trainer.args.num_train_epochs=6",
        "trainer.args.per_device_train_batch_size=4",
        "trainer.args.save_total_limit=1",
        "decoding.tune=false",
        "evaluate.enabled=false",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return run_dir


def micro_f1_from_predictions(path: Path, types: set[str]) -> float:
    """Strict micro-F1 recomputed from a task's predictions file (exact (start, end, label)
    matches of the trained `types`), to check the published score against what was predicted."""
    import json

    tp = n_pred = n_gold = 0
    for line in path.read_text().splitlines():
        row = json.loads(line)
        gold = {tuple(g[:3]) for g in row["gold"] if g[2] in types}
        pred = {tuple(p[:3]) for p in row["pred"] if p[2] in types}
        tp, n_pred, n_gold = tp + len(gold & pred), n_pred + len(pred), n_gold + len(gold)
    p, r = (tp / n_pred if n_pred else 0.0), (tp / n_gold if n_gold else 0.0)
    return 2 * p * r / (p + r) if p + r else 0.0


def tiny_model_dir(path: Path, **meta) -> Path:
    """A saved tiny random token classifier (no training: seconds) with a dateline.json holding `meta`."""
    import json

    from dateline.paths import minilm_path
    from dateline.training.model import ModelSpec

    spec = ModelSpec(
        name="tiny",
        tokenizer=minilm_path(),
        config={
            "model_type": "bert",
            "hidden_size": 16,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "intermediate_size": 32,
        },
    )
    spec.build(["O", "B-EVENT", "I-EVENT", "B-ACTOR", "I-ACTOR"]).save_pretrained(path)
    spec.load_tokenizer().save_pretrained(path)
    (path / "dateline.json").write_text(json.dumps({"labels": "events_actors", **meta}))
    return path
