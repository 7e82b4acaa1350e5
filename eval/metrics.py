"""The arithmetic every scorer shares, in one place: precision, recall and F1 from counts, the
bootstrap over documents (confidence intervals) and the paired bootstrap (one system minus
another on the same resampled documents), and seqeval's strict IOB2 scores. Each scorer
(`spans.py`, `records.py`, `linking_cv.py`, `modality_cv.py`, `te3.py`, `significance.py`,
`curve.py`) keeps only what is its own: what counts as a match."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2


def prf(counts: np.ndarray | Sequence[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and F1 (0 where undefined) from counts on the last axis: three,
    (matched, predicted, gold), or four, (credit of the predicted, predicted, credit of the gold,
    gold), where a partial match credits the two sides differently (SemEval-2013's `partial`,
    TempEval-3's relaxed match)."""
    c = np.asarray(counts, dtype=float)
    if c.shape[-1] == 3:
        hit_pred, n_pred, hit_gold, n_gold = c[..., 0], c[..., 1], c[..., 0], c[..., 2]
    elif c.shape[-1] == 4:
        hit_pred, n_pred, hit_gold, n_gold = c[..., 0], c[..., 1], c[..., 2], c[..., 3]
    else:
        raise ValueError(f"counts need 3 or 4 values on their last axis, not {c.shape[-1]}")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n_pred > 0, hit_pred / n_pred, 0.0)
        r = np.where(n_gold > 0, hit_gold / n_gold, 0.0)
        f = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
    return p, r, f


def f1(counts: np.ndarray) -> np.ndarray:
    """F1 alone from counts laid out as for `prf`."""
    return prf(counts)[2]


def prf_dict(*counts: float) -> dict:
    """{precision, recall, f1} as floats from one set of counts, laid out as for `prf`."""
    p, r, f = prf(counts)
    return {"precision": float(p), "recall": float(r), "f1": float(f)}


def resamples(n_units: int, n_boot: int, seed: int = 0) -> np.ndarray:
    """(n_boot, n_units) indices: each row one bootstrap draw of the units (documents, or
    sentences where a task has too few documents), with replacement."""
    return np.random.default_rng(seed).integers(0, n_units, size=(n_boot, n_units))


def bootstrap_f1(per_unit: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """F1 of every draw: `per_unit` (units, ..., 3|4) counts, summed over each draw's units."""
    return f1(per_unit[draws].sum(1))


def paired_bootstrap(a: np.ndarray, b: np.ndarray, draws: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """B's pooled F1 minus A's, and that difference in every draw: both systems' per-unit counts
    (units, ..., 3|4) resampled with the same units, so what the units share cancels."""
    return f1(b.sum(0)) - f1(a.sum(0)), bootstrap_f1(b, draws) - bootstrap_f1(a, draws)


def interval(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """The central 95% of bootstrap values (2.5th and 97.5th percentiles) along `axis`."""
    return np.percentile(values, [2.5, 97.5], axis=axis)


def strict_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], types: Sequence[str] = ()) -> dict:
    """seqeval's strict IOB2 scores (`mode="strict", scheme=IOB2`: a span counts only with the same
    boundaries and type, and an `I-X` that continues no `B-X`/`I-X` opens nothing):
    {TYPE|micro|macro: {precision, recall, f1, support}}; every type in `types` is reported,
    with zeros when neither side has it, so tables line up across runs."""
    report = classification_report(
        list(map(list, gold)), list(map(list, pred)), mode="strict", scheme=IOB2, output_dict=True, zero_division=0
    )
    out = {}
    for key, value in report.items():
        name = {"micro avg": "micro", "macro avg": "macro"}.get(key, key)
        if name == "weighted avg":
            continue
        out[name] = {
            "precision": float(value["precision"]),
            "recall": float(value["recall"]),
            "f1": float(value["f1-score"]),
            "support": int(value["support"]),
        }
    for t in types:
        out.setdefault(t, {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0})
    out.setdefault("micro", {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0})
    out.setdefault("macro", {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0})
    return out
