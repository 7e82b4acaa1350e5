"""Modality on MEANTIME, cross-validated by topic: how well event modes are learnt, measured on
events no modality model was trained on.

MEANTIME is the only corpus here with all four modes, so it must both teach and test: each of
its two topics (corpus_airbus, corpus_apple) is scored by a model trained on the other topic
plus the ECB+ events (training/modality.py); the two folds' predictions are pooled. Against it,
the majority baseline (every event asserted). With `seeds=[0,1,2]` each seed is scored alone
and their ensemble (probabilities averaged); fold models are kept under `work` and reused.
`dateline modality-cv out=<dir>` (`make modality-cv`) writes `results.json`, `results.md` and a
leaderboard row. (TE3-Platinum's polarity by the fold models, a side measure of the modality
study, is `scripts/modality_platinum.py <work>`.)
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from dateline.cli import hydra_entry
from dateline.eval.publish import append_leaderboard, commit_fields
from dateline.eval.records import mode_scores
from dateline.io import write_json_atomic, write_text_atomic
from dateline.runs import MODALITY_META as META
from dateline.tagging.modality import ModalityClassifier
from dateline.training.modality import MODES, meantime_examples, sources_of, train, training_examples
from dateline.training.position_head import kept_layers, trained_alike

TOPICS = ("corpus_airbus", "corpus_apple")


def cross_validate(
    corpora: str,
    work: Path,
    sources: dict,
    epochs: int,
    seeds: list[int],
    weight_power: float = 1.0,
    precision: str = "auto",
    reading: str = "sentence",
    marking: str = "types",
    layers: int | None = None,
    encoder: str | None = None,
) -> dict:
    """Per topic and seed, a model trained without that topic (kept in `work` and reused when
    one trained with the same settings is there); the seeds' probabilities averaged are the
    ensemble's. `encoder` None is the default encoder, as `dateline modality` trains."""
    gold, probs = [], {s: [] for s in seeds}
    # the meta records the layers kept, so layers=null or deeper than the encoder match too
    kept = kept_layers(encoder, layers)
    folds, seconds = {}, {}
    for held in TOPICS:
        train_topics = [t for t in TOPICS if t != held]
        test = meantime_examples(corpora, [held])
        events = [(list(x.words), x.start, x.end) for x in test]
        fold_probs = []
        for seed in seeds:
            model_dir = work / f"without_{held}_seed{seed}"
            alike = dict(
                epochs=epochs,
                weight_power=weight_power,
                sources=sources,
                reading=reading,
                marking=marking,
                layers=layers,
            )
            if not trained_alike(model_dir, META, **alike | {"layers": kept}):
                examples = training_examples(corpora, train_topics, sources, seed)
                trained = train(examples, model_dir, encoder, **alike, seed=seed, precision=precision)
                seconds[f"{held}/{seed}"] = trained["train_seconds"]
            classifier = ModalityClassifier(model_dir)
            fold_probs.append(classifier.probabilities(events))
            probs[seed].append(fold_probs[-1])
        fold_gold = [x.allowed[0] for x in test]
        folds[held] = mode_scores(fold_gold, modes_of(np.mean(fold_probs, axis=0)))
        gold += fold_gold
    res = {
        "pooled": mode_scores(gold, modes_of(np.mean([np.concatenate(probs[s]) for s in seeds], axis=0))),
        "per_seed": {str(s): mode_scores(gold, modes_of(np.concatenate(probs[s]))) for s in seeds},
        "majority_baseline": mode_scores(gold, ["asserted"] * len(gold)),
        "folds": folds,
        "seeds": seeds,
        "train_seconds": seconds,
    }
    return res


def modes_of(probs: np.ndarray) -> list[str]:
    return [MODES[int(i)] for i in probs.argmax(axis=1)]


def markdown(res: dict) -> str:
    lines = ["# Modality on MEANTIME, cross-validated by topic", ""]
    lines += [
        "| system | accuracy | macro-F1 | " + " | ".join(f"{m} F1" for m in MODES) + " |",
        "|---" * (3 + len(MODES)) + "|",
    ]
    rows = [
        (
            f"modality classifier, seeds {res['seeds']}" if len(res["seeds"]) > 1 else "modality classifier",
            res["pooled"],
        )
    ]
    if len(res["seeds"]) > 1:
        rows += [(f"seed {k} alone", v) for k, v in res["per_seed"].items()]
    rows.append(("majority (asserted)", res["majority_baseline"]))
    for name, s in rows:
        per = " | ".join(f"{s['per_mode'][m]['f1']:.4f}" for m in MODES)
        lines.append(f"| {name} | {s['accuracy']:.4f} | {s['macro_f1']:.4f} | {per} |")
    counts = {m: res["pooled"]["per_mode"][m]["gold"] for m in MODES}
    lines += ["", f"{res['pooled']['n']} events; gold modes: {counts}.", ""]
    return "\n".join(lines)


def leaderboard_row(record: dict, res: dict, cfg) -> dict:
    pooled = res["pooled"]
    return {
        "date": record["evaluation"]["end_time"],
        "model": str(Path(cfg.work)),
        "run": Path(cfg.out).name,
        "labels": "modality",
        "seed": " ".join(map(str, cfg.seeds)),
        "task": "modality_meantime_cv",
        "task_version": 1,
        "strict_f1": round(pooled["macro_f1"], 4),
        "per_type_strict_f1": json.dumps(
            {"accuracy": round(pooled["accuracy"], 4)} | {m: round(pooled["per_mode"][m]["f1"], 4) for m in MODES},
            sort_keys=True,
        ),
        **commit_fields(record["evaluation"]),
    }


@hydra_entry("modality_cv")
def main(cfg) -> None:
    from omegaconf import OmegaConf

    from dateline.provenance import provenance
    from dateline.training.bf16 import default_device

    started = time.time()
    seeds = list(cfg.seeds)
    res = cross_validate(
        cfg.corpora,
        Path(cfg.work),
        sources_of(cfg),
        cfg.epochs,
        seeds,
        cfg.weight_power,
        cfg.precision,
        cfg.reading,
        cfg.marking,
        cfg.layers,
    )
    record = {
        "results": {"modality_meantime_cv": res},
        "config": OmegaConf.to_container(cfg, resolve=True),
        "evaluation": provenance(started, default_device()),
    }
    out = Path(cfg.out)
    write_json_atomic(out / "results.json", record)
    write_text_atomic(out / "results.md", markdown(res))
    if cfg.leaderboard_dir:
        append_leaderboard(Path(cfg.leaderboard_dir), [leaderboard_row(record, res, cfg)])
    print(markdown(res))


if __name__ == "__main__":
    main()
