"""How far is ECB+ test from train when the test topics' own annotation is seen in training?

Analysis only, never a result of the harness: each fold trains the default with half of the
test topics moved into train (`data.reader.test_topics=<the other half>`) and is scored here on the
documents of the half it did not see, from the runs' saved predictions. The default's runs
(study 8) are scored on the same documents. Run from the repository root:
    .venv/bin/python scripts/ecbplus_ceiling_folds.py > results/ecbplus/ecbplus_ceiling/folds.md
"""

from __future__ import annotations

import statistics
from pathlib import Path

import numpy as np

from dateline.data.readers.ecbplus import topic_of
from dateline.eval.significance import f1, mean_counts, paired_test, seed_test, strict_counts

SWEEPS = Path("runs/sweeps")
FOLDS = {"A": [36, 37, 38, 39, 40], "B": [41, 42, 43, 44, 45]}  # held-out half of the test topics
SEEDS = [1, 2, 3]


def counts(run: Path, topics: list[int], types: set[str] | None) -> dict[str, np.ndarray]:
    every = strict_counts(run / "predictions" / "ecbplus_test.jsonl", types)
    return {doc: c for doc, c in every.items() if topic_of(doc) in topics}


def runs_of(system: str) -> list[list[Path]]:
    """Per seed: the run of each fold (the fold runs), or the default's one run twice."""
    if system == "default":
        run = SWEEPS / "ecbplus_study8"
        return [[run / f"experiment=default,model.crf=True,seed={s}"] * 2 for s in SEEDS]
    folds = [f"data.reader.test_topics=[{','.join(map(str, t))}]" for t in FOLDS.values()]
    return [[SWEEPS / "ecbplus_ceiling" / f"{f},experiment=default,seed={s}" for f in folds] for s in SEEDS]


def pooled(system: str, types: set[str] | None) -> list[dict[str, np.ndarray]]:
    """One dict of document counts per seed, each fold scored on the topics it did not train on."""
    return [
        counts(fold_runs[0], FOLDS["A"], types) | counts(fold_runs[1], FOLDS["B"], types)
        for fold_runs in runs_of(system)
    ]


def main() -> None:
    print("| system | ECB+ test strict micro-F1 | EVENT | ACTOR | seeds |")
    print("|---|---|---|---|---|")
    per_system = {}
    for system in ("default", "folds"):
        cells = []
        for types in (None, {"EVENT"}, {"ACTOR"}):
            runs = pooled(system, types)
            scores = [float(f1(sum(r.values()))) for r in runs]
            cells.append(f"{statistics.fmean(scores):.4f} ± {statistics.stdev(scores):.4f}")
            if types is None:
                per_system[system] = runs
                seeds = " / ".join(f"{s:.4f}" for s in scores)
        name = {
            "default": "default (study 8), trained on train topics",
            "folds": "trained on train + the other half of test",
        }[system]
        print(f"| {name} | {' | '.join(cells)} | {seeds} |")
    a, b = per_system["default"], per_system["folds"]
    row = paired_test(mean_counts(a), mean_counts(b)) | seed_test(a, b)
    print(
        f"\nfolds − default: {row['delta_f1']:+.4f}, 95% CI over documents "
        f"[{row['ci_low']:+.4f}, {row['ci_high']:+.4f}] p {row['p_value']:.4f}; over runs and documents "
        f"[{row['seed_ci_low']:+.4f}, {row['seed_ci_high']:+.4f}] p {row['seed_p_value']:.2f} "
        f"({len(a)} seeds a side, {row['n_units']} documents)"
    )
    print("\n| topic | documents | gold spans | default | trained on the other half |")
    print("|---|---|---|---|---|")
    for t in FOLDS["A"] + FOLDS["B"]:
        cells = []
        for runs in (a, b):
            scores = [float(f1(sum(c for d, c in r.items() if topic_of(d) == t))) for r in runs]
            cells.append(f"{statistics.fmean(scores):.4f}")
        docs = [d for d in a[0] if topic_of(d) == t]
        gold = int(sum(a[0][d][2] for d in docs))
        print(f"| {t} | {len(docs)} | {gold} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
