"""Is system B really better than A? Paired tests over documents, from saved predictions.

Both systems are scored on the same documents. Per document we keep strict span counts
(true positives, predicted, gold), averaged over a system's seeds, so a system is judged on
all its runs at once, not on a lucky seed.
- paired bootstrap: resample documents with replacement, recompute micro-F1 of both on the
  same sample; the 2.5 and 97.5 percentiles of F1(B) - F1(A) are the 95% CI;
- approximate randomization (Noreen 1989; Riezler & Maxwell 2005): swap the two systems'
  counts on each document with probability 1/2; p = (#{|Δ| >= |Δ observed|} + 1) / (R + 1).

Both hold the trained models fixed: they say whether these runs differ on documents like
these, not whether another training of the same configs would. Two sets of three runs of one
config that differed only in floating-point rounding (README, Study 7) came out 0.85 points
apart on ECB+ test at p = 0.0001 by them. So `seed_test` adds training randomness:
- a two-level bootstrap (runs of each system, then documents) for the 95% CI;
- a permutation test over runs: every split of the pooled runs into two groups of the
  systems' sizes (exact; sampled when there are too many), p = the share of splits whose |Δ| is
  at least the observed. With three runs a side there are 20 splits and p >= 0.1: a
  difference between configs cannot be shown at 0.05 with fewer than four seeds a side
  (`verdict` then says "documents only").
"""

from __future__ import annotations

import itertools
import json
from math import comb
from pathlib import Path

import numpy as np

from dateline.eval.metrics import f1, interval, paired_bootstrap

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


def paired_test(a: dict[str, np.ndarray], b: dict[str, np.ndarray], n: int = 10000, seed: int = 0) -> dict:
    docs = sorted(set(a) & set(b))
    if not docs:
        raise ValueError("the two systems share no document")
    A, B = np.stack([a[d] for d in docs]), np.stack([b[d] for d in docs])
    rng = np.random.default_rng(seed)
    observed, diffs = paired_bootstrap(A, B, rng.integers(0, len(docs), size=(n, len(docs))))
    observed = float(observed)
    low, high = interval(diffs)
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


def seed_test(
    runs_a: list[dict[str, np.ndarray]], runs_b: list[dict[str, np.ndarray]], n: int = 10000, seed: int = 0
) -> dict:
    """Training randomness as well as documents: per-run counts of each system (module doc)."""
    docs = sorted(set.intersection(*(set(r) for r in runs_a + runs_b)))
    if not docs:
        raise ValueError("the two systems share no document")
    A = np.stack([[r[d] for d in docs] for r in runs_a])  # (runs, documents, 3)
    B = np.stack([[r[d] for d in docs] for r in runs_b])
    observed = float(f1(B.mean(0).sum(0)) - f1(A.mean(0).sum(0)))
    rng = np.random.default_rng(seed)
    diffs = []
    for size in [1000] * (n // 1000) + ([n % 1000] if n % 1000 else []):
        pick_a = A[rng.integers(0, len(A), (size, len(A)))].mean(1)  # (size, documents, 3)
        pick_b = B[rng.integers(0, len(B), (size, len(B)))].mean(1)
        idx = rng.integers(0, len(docs), (size, len(docs)))[..., None]
        diffs.append(f1(np.take_along_axis(pick_b, idx, 1).sum(1)) - f1(np.take_along_axis(pick_a, idx, 1).sum(1)))
    low, high = interval(np.concatenate(diffs))
    # micro-F1 of a group of runs depends on their document totals only (the mean is linear)
    totals = np.concatenate([A.sum(1), B.sum(1)])
    every = range(len(totals))
    if comb(len(totals), len(A)) <= n:
        splits, exact = [list(c) for c in itertools.combinations(every, len(A))], True
    else:
        splits, exact = [list(rng.permutation(len(totals))[: len(A)]) for _ in range(n)], False
    extreme = 0
    for group_a in splits:
        in_a = np.zeros(len(totals), dtype=bool)
        in_a[group_a] = True
        delta = f1(totals[~in_a].mean(0)) - f1(totals[in_a].mean(0))
        extreme += bool(abs(delta) >= abs(observed) - 1e-12)
    p = extreme / len(splits) if exact else (extreme + 1) / (len(splits) + 1)
    # the observed split always counts, and its mirror too when the sizes are equal
    smallest = (1 + (len(A) == len(B))) / comb(len(totals), len(A))
    return {
        "seed_ci_low": float(low),
        "seed_ci_high": float(high),
        "seed_p_value": p,
        "seed_p_smallest": smallest,
        "runs": [len(A), len(B)],
    }


def verdict(row: dict, alpha: float = 0.05) -> str:
    """yes: documents and runs both leave the difference standing; 'documents only' where there
    are too few runs for the permutation over runs to reach `alpha` at all."""
    if not row["significant"]:
        return "no (n.s.)"
    if row["seed_p_value"] < alpha and (row["seed_ci_low"] > 0 or row["seed_ci_high"] < 0):
        return "yes"
    if row["seed_p_smallest"] >= alpha:
        return f"documents only: too few runs (p over runs >= {row['seed_p_smallest']:.2f})"
    return "no: within training noise"
