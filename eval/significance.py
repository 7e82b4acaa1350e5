"""Is system B really better than A? Paired tests over documents, from saved predictions.

Both systems are scored on the same documents. Per document we keep strict span counts
(true positives, predicted, gold), averaged over a system's seeds, so a system is judged on
all its runs at once, not on a lucky seed.
- paired bootstrap: resample documents with replacement, recompute micro-F1 of both on the
  same sample; the 2.5 and 97.5 percentiles of F1(B) - F1(A) are the 95% CI;
- approximate randomization (Noreen 1989; Riezler & Maxwell 2005): swap the two systems'
  counts on each document with probability 1/2; p = (#{|Δ| >= |Δ observed|} + 1) / (R + 1).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

MIN_DOCS = 20  # below this, pair sentences instead of documents (as the bootstrap CIs of eval do)


def strict_counts(pred_file: Path, types: set[str] | None = None) -> dict[str, np.ndarray]:
    """predictions/<task>.jsonl -> {unit: [tp, predicted, gold]} (strict: same offsets and type).
    Units are documents, or the scored sentences when the task has fewer than 20 documents."""
    rows = [json.loads(line) for line in pred_file.read_text().splitlines()]
    by_sentence = len(rows) < MIN_DOCS
    counts = {}
    for row in rows:
        gold = {tuple(g[:3]) for g in row["gold"] if types is None or g[2] in types}
        pred = {tuple(p[:3]) for p in row["pred"] if types is None or p[2] in types}
        ranges = [tuple(r) for r in row["scored"]] if by_sentence else [(0, float("inf"))]
        for k, (a, b) in enumerate(ranges):
            g = {x for x in gold if a <= x[0] < b}
            p = {x for x in pred if a <= x[0] < b}
            counts[f"{row['doc_id']}#{k}"] = np.array([len(g & p), len(p), len(g)], dtype=float)
    return counts


def mean_counts(runs: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Average per-document counts over a system's seeds (documents present in every run)."""
    docs = set.intersection(*(set(r) for r in runs))
    return {d: np.mean([r[d] for r in runs], axis=0) for d in docs}


def f1(c: np.ndarray) -> np.ndarray:
    """c (..., 3) summed counts -> micro F1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c[..., 1] + c[..., 2] > 0, 2 * c[..., 0] / (c[..., 1] + c[..., 2]), 0.0)


def paired_test(a: dict[str, np.ndarray], b: dict[str, np.ndarray], n: int = 10000, seed: int = 0) -> dict:
    docs = sorted(set(a) & set(b))
    if not docs:
        raise ValueError("the two systems share no document")
    A, B = np.stack([a[d] for d in docs]), np.stack([b[d] for d in docs])
    observed = float(f1(B.sum(0)) - f1(A.sum(0)))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(docs), size=(n, len(docs)))
    diffs = f1(B[idx].sum(1)) - f1(A[idx].sum(1))
    low, high = np.percentile(diffs, [2.5, 97.5])
    swap = rng.random((n, len(docs)))[..., None] < 0.5
    SA, SB = np.where(swap, B, A).sum(1), np.where(swap, A, B).sum(1)
    extreme = np.abs(f1(SB) - f1(SA)) >= abs(observed) - 1e-12
    p = (int(extreme.sum()) + 1) / (n + 1)
    return {
        "delta_f1": observed,
        "ci_low": float(low),
        "ci_high": float(high),
        "p_value": p,
        "n_units": len(docs),
        "significant": bool(p < 0.05 and (low > 0 or high < 0)),
    }
