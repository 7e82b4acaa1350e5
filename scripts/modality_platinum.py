"""TE3-Platinum's polarity by the fold models of a `dateline modality-cv` run (docs/records.md,
"Modality from TimeML"): its 746 gold events in their sentences, negated or not, classified by
the ensemble of the fold models (none of them saw TempEval-3's test set).

    .venv/bin/python scripts/modality_platinum.py <work dir> [seeds, e.g. 0,1,2] [corpora]

(`work` as given to modality-cv, default runs/modality_cv.) The results in
results/records/modality_tbaq/ were made when modality-cv scored this itself, with the same
models and the same arithmetic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from dateline.data.readers.timeml import platinum_documents
from dateline.errors import reported_as_one_line
from dateline.eval.modality_cv import TOPICS, modes_of
from dateline.eval.records import counted
from dateline.paths import default_corpora_dir
from dateline.tagging.modality import ModalityClassifier


def platinum_events(corpora: Path) -> tuple[list, list[bool]]:
    """TE3-Platinum's gold events in their sentences and whether each is negated (its polarity)."""
    events, negated = [], []
    for doc in platinum_documents(corpora):
        for ev in doc.meta["events"].values():
            events.append(doc.in_sentence(ev["tokens"][0], ev["tokens"][-1] + 1))
            negated.append(ev["polarity"] == "NEG")
    return events, negated


def polarity(gold: list[bool], model_probs: list[np.ndarray]) -> dict:
    """Negated or not by the models' averaged probabilities: negated P/R/F1 and accuracy."""
    pred = [m == "negated" for m in modes_of(np.mean(model_probs, axis=0))]
    return {
        "negated": counted(sum(g and p for g, p in zip(gold, pred)), sum(pred), sum(gold)),
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / len(gold),
        "n": len(gold),
    }


def main(work: Path, seeds: list[int], corpora: Path) -> str:
    events, gold = platinum_events(corpora)
    probs = [
        ModalityClassifier(work / f"without_{held}_seed{seed}").probabilities(events)
        for held in TOPICS
        for seed in seeds
    ]
    pol = polarity(gold, probs)
    neg = pol["negated"]
    print(json.dumps(pol), file=sys.stderr)
    return (
        f"TE3-Platinum polarity ({pol['n']} gold events, the {len(probs)} fold models' ensemble): negated "
        f"P {neg['precision']:.4f} R {neg['recall']:.4f} F1 {neg['f1']:.4f} ({neg['tp']} of {neg['gold']} found, "
        f"{neg['pred']} predicted); negated-or-not accuracy {pol['accuracy']:.4f}."
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    with reported_as_one_line():
        print(
            main(
                Path(args[0]) if args else Path("runs/modality_cv"),
                [int(s) for s in args[1].split(",")] if len(args) > 1 else [0],
                Path(args[2]) if len(args) > 2 else Path(default_corpora_dir()),
            )
        )
