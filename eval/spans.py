"""Span metrics on character offsets, in the sense of SemEval-2013 task 9.1 (Segura-Bedmar et
al., 2013), with bootstrap confidence intervals that resample documents.

Gold and predicted spans of a document are paired one to one: exact-boundary pairs first (same
type preferred), then overlapping pairs by overlap length. A pair earns, per schema:
- strict: 1 if boundaries and type are equal;      - exact: 1 if boundaries are equal;
- partial: 1 if boundaries are equal, else 0.5;    - type: 1 if the type is equal (overlap given).
precision = credit / predicted spans, recall = credit / gold spans; credit counts toward the
predicted span's type for precision and the gold span's type for recall.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dateline.eval.metrics import interval, prf, resamples

SCHEMAS = ("strict", "exact", "partial", "type")


@dataclass(frozen=True)
class Pair:
    gold: tuple[int, int, str] | None
    pred: tuple[int, int, str] | None

    @property
    def kind(self) -> str:
        """correct | type | boundary | boundary+type | missed | spurious."""
        if self.pred is None:
            return "missed"
        if self.gold is None:
            return "spurious"
        same_bounds = self.gold[:2] == self.pred[:2]
        same_type = self.gold[2] == self.pred[2]
        if same_bounds:
            return "correct" if same_type else "type"
        return "boundary" if same_type else "boundary+type"

    def credit(self, schema: str) -> float:
        kind = self.kind
        if kind in ("missed", "spurious"):
            return 0.0
        return {
            "strict": float(kind == "correct"),
            "exact": float(kind in ("correct", "type")),
            "partial": 1.0 if kind in ("correct", "type") else 0.5,
            "type": float(kind in ("correct", "boundary")),
        }[schema]


def overlap(a: tuple[int, int, str], b: tuple[int, int, str]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(gold: Sequence[tuple[int, int, str]], pred: Sequence[tuple[int, int, str]]) -> list[Pair]:
    gold, pred = sorted(set(gold)), sorted(set(pred))
    free_g, free_p = set(range(len(gold))), set(range(len(pred)))
    pairs = []
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            ov = overlap(g, p)
            if ov:
                candidates.append((-(g[:2] == p[:2]), -(g[2] == p[2]), -ov, i, j))
    for *_, i, j in sorted(candidates):
        if i in free_g and j in free_p:
            pairs.append(Pair(gold[i], pred[j]))
            free_g.discard(i)
            free_p.discard(j)
    pairs += [Pair(gold[i], None) for i in sorted(free_g)] + [Pair(None, pred[j]) for j in sorted(free_p)]
    return sorted(pairs, key=lambda p: (p.gold or p.pred)[:2])


def doc_counts(pairs: list[Pair], types: list[str]) -> np.ndarray:
    """(schema, type, [credit_for_precision, predicted, credit_for_recall, gold]) for one document."""
    index = {t: k for k, t in enumerate(types)}
    counts = np.zeros((len(SCHEMAS), len(types), 4))
    for pair in pairs:
        for s, schema in enumerate(SCHEMAS):
            c = pair.credit(schema)
            if pair.pred is not None and pair.pred[2] in index:
                counts[s, index[pair.pred[2]], 0] += c
                counts[s, index[pair.pred[2]], 1] += 1
            if pair.gold is not None and pair.gold[2] in index:
                counts[s, index[pair.gold[2]], 2] += c
                counts[s, index[pair.gold[2]], 3] += 1
    return counts


MIN_DOCS_FOR_DOC_BOOTSTRAP = 20


def score(
    units: np.ndarray,
    doc_of_unit: np.ndarray,
    types: list[str],
    trained: Sequence[str],
    n_boot: int = 1000,
    seed: int = 0,
) -> dict:
    """units: (n, schema, type, 4) counts per sentence; doc_of_unit: the document of each.
    Returns {schema: {TYPE|micro|macro: {precision, recall, f1, ci_low, ci_high, support}},
    "ci_unit": ...}. The CI resamples documents; a task with fewer than 20 documents (one
    article, say) would give a meaningless interval, so it resamples sentences and says so.
    Micro and macro cover only the types the model was trained on; others carry
    `"trained": false`."""
    on = np.array([t in trained for t in types], dtype=bool)
    total = units.sum(0)
    doc_index = np.unique(doc_of_unit, return_inverse=True)[1]
    n_docs = int(doc_index.max()) + 1 if len(doc_index) else 0
    if n_docs >= MIN_DOCS_FOR_DOC_BOOTSTRAP:
        per = np.zeros((n_docs, *total.shape))
        np.add.at(per, doc_index, units)
        ci_unit = "document"
    else:
        per, ci_unit = units, "sentence"
    n = len(per)
    boots = per[resamples(n, n_boot, seed)].sum(1) if n else np.zeros((0, *total.shape))
    out: dict = {"ci_unit": ci_unit, "ci_resamples": n_boot}
    for s, schema in enumerate(SCHEMAS):
        res = {}
        p, r, f = prf(total[s])
        _, _, bf = prf(boots[:, s])
        for k, t in enumerate(types):
            res[t] = _entry(p[k], r[k], f[k], bf[:, k], total[s, k, 3])
            if not on[k]:
                res[t]["trained"] = False
        micro = total[s, on].sum(0)
        mp, mr, mf = prf(micro)
        _, _, bmf = prf(boots[:, s][:, on].sum(1))
        res["micro"] = _entry(mp, mr, mf, bmf, micro[3])
        res["macro"] = _entry(p[on].mean(), r[on].mean(), f[on].mean(), bf[:, on].mean(1), micro[3])
        out[schema] = res
    return out


def _entry(p, r, f, boot_f: np.ndarray, support) -> dict:
    low, high = interval(boot_f) if len(boot_f) else (f, f)
    return {
        "precision": float(p),
        "recall": float(r),
        "f1": float(f),
        "ci_low": float(low),
        "ci_high": float(high),
        "support": int(support),
    }


def rows_units(rows: list[dict], types: list[str]) -> np.ndarray:
    """Per-document counts (n_docs, schema, type, 4) from the per-document predictions rows an
    evaluation writes (`predictions/<task>.jsonl`: gold and predicted spans on characters)."""
    units = [doc_counts(match([tuple(g) for g in r["gold"]], [tuple(p[:3]) for p in r["pred"]]), types) for r in rows]
    return np.stack(units) if units else np.zeros((0, len(SCHEMAS), len(types), 4))


def pooled_score(rows: list[dict], types: list[str], trained: Sequence[str], n_boot: int = 1000) -> dict:
    """Scores over documents pooled from several runs (the folds of a cross-validation: each
    article scored once, by the model that did not train on it), with the CI over documents."""
    units = rows_units(rows, types)
    return score(units, np.arange(len(rows)), types, trained, n_boot)
