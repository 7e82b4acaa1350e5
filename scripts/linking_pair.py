"""Two `dateline linker-cv` runs' learned linkers paired document by document (docs/records.md,
"The linker on MPNet"): B's pooled F1 minus A's per row (actor, recipient, links, records),
with a 95% CI from the paired bootstrap over the same resampled documents. Both runs must have
linked the same documents with the same tagger's spans; their results.json keep the counts.

    .venv/bin/python scripts/linking_pair.py <A results.json> <B results.json> > pair.md

(Made for the MPNet linker study; before, `linker-cv against=<results.json>` did this inside
the cross-validation, and the runs in results/records/linking_cv_mpnet* were made that way.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from dateline.errors import DatelineError, reported_as_one_line
from dateline.eval.metrics import interval, paired_bootstrap, resamples


def learned_counts(path: Path) -> tuple[dict, dict]:
    """(the run's config, {spans kind: (documents, rows, 3) counts of its learned linker})."""
    try:
        run = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise DatelineError(f"{path}: not a linker-cv results.json ({e})") from None
    if "per_doc" not in run:
        raise DatelineError(f"{path}: has no per-document counts (made before they were kept; run it again)")
    return run.get("config", {}), {kind: np.array(m["learned"], dtype=float) for kind, m in run["per_doc"].items()}


def pair(a_path: Path, b_path: Path, n_boot: int = 1000, seed: int = 0) -> dict:
    """{spans kind: {"delta": [per row], "ci": [[low, high] per row]}}: B minus A."""
    (cfg_a, a), (cfg_b, b) = learned_counts(a_path), learned_counts(b_path)
    if cfg_a.get("ckpt") != cfg_b.get("ckpt"):
        raise DatelineError(f"{b_path}: its tagger spans are {cfg_b.get('ckpt')}, {a_path}'s {cfg_a.get('ckpt')}")
    out = {}
    for kind in sorted(set(a) & set(b)):
        if a[kind].shape != b[kind].shape:
            raise DatelineError(f"{b_path}: scored another set of documents than {a_path}")
        delta, diffs = paired_bootstrap(a[kind], b[kind], resamples(len(a[kind]), n_boot, seed))
        out[kind] = {"delta": delta.tolist(), "ci": interval(diffs).T.tolist()}
    return out


def markdown(paired: dict, rows=("actor", "recipient", "links", "records")) -> str:
    lines = ["| spans | B − A: " + " | ".join(rows) + " |", "|---" * (len(rows) + 1) + "|"]
    for kind, r in paired.items():
        cells = [f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]" for d, (lo, hi) in zip(r["delta"], r["ci"])]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    with reported_as_one_line():
        print(markdown(pair(Path(sys.argv[1]), Path(sys.argv[2]))), end="")
