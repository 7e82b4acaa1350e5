"""TempEval-3 task B scores (event extraction and class), as the task's official scorer counts them.

The definitions follow `tools/TE3-evaluation.py` and `evaluation-entities/evaluate_entities.py`
of the task's distribution (jspotter/TempEval-3 on GitHub); this is our own code:
- events are paired gold to system by overlapping extents (the scorer first aligns the system's
  events to the gold ones this way); here each is paired at most once, left to right;
- relaxed match: a paired event; strict match: a paired event with the same extent;
- precision = matched system events / system events, recall = matched gold events / gold
  events, over the whole test set (micro), F1 their harmonic mean; the task's table ranks on
  the relaxed figures;
- class F1 = (relaxed pairs whose class agrees / relaxed pairs) × relaxed F1.
"""

from __future__ import annotations

from dateline.eval.metrics import prf_dict

Extent = tuple[int, int, str]


def pair_by_overlap(gold: list[Extent], pred: list[Extent]) -> list[tuple[Extent, Extent]]:
    """Gold and predicted events paired by overlapping characters, each used once, in text order."""
    pairs, used, pred = [], set(), sorted(pred)
    for g in sorted(gold):
        for j, p in enumerate(pred):
            if j not in used and p[0] < g[1] and g[0] < p[1]:
                pairs.append((g, p))
                used.add(j)
                break
    return pairs


def te3_scores(docs: list[tuple[list[Extent], list[Extent]]], with_class: bool) -> dict:
    """Official TE3 task B figures over documents of (gold events, predicted events); class F1
    only where the labels are TimeML classes (`with_class`), else None."""
    n_gold = n_pred = relaxed = strict = same_class = 0
    for gold, pred in docs:
        pairs = pair_by_overlap(gold, pred)
        n_gold, n_pred, relaxed = n_gold + len(gold), n_pred + len(pred), relaxed + len(pairs)
        strict += sum(g[:2] == p[:2] for g, p in pairs)
        same_class += sum(g[2] == p[2] for g, p in pairs)
    scores = {
        "n_gold": n_gold,
        "n_pred": n_pred,
        "strict": prf_dict(strict, n_pred, n_gold),
        "relaxed": prf_dict(relaxed, n_pred, n_gold),
    }
    accuracy = same_class / relaxed if relaxed else 0.0
    scores["class"] = {"accuracy": accuracy, "f1": accuracy * scores["relaxed"]["f1"]} if with_class else None
    return scores


def official_scores(rows: list[dict], task_types: set[str]) -> dict:
    """The TE3-Platinum task's hook (configs/tasks/te3_platinum.yaml): its official figures from
    the per-document predictions rows of `evaluate.run_task`; class F1 where the labels are
    TimeML classes."""
    from dateline.data.readers.timeml import CLASSES

    events = [([tuple(g) for g in r["gold"]], [tuple(p[:3]) for p in r["pred"]]) for r in rows]
    return te3_scores(events, with_class=bool(task_types) and task_types <= set(CLASSES))
