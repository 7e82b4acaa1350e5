"""Strict IOB2 span scores with seqeval (`mode="strict", scheme=IOB2`): a span counts only with
the same boundaries and type, and an `I-X` that does not continue a `B-X`/`I-X` opens nothing."""

from __future__ import annotations

from collections.abc import Sequence

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2


def strict_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], types: Sequence[str] = ()) -> dict:
    """{TYPE|micro|macro: {precision, recall, f1, support}}; every type in `types` is reported,
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
