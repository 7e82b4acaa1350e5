"""Modality on MEANTIME, cross-validated by topic: how well event modes are learnt, measured on
events no modality model was trained on.

MEANTIME is the only corpus here with all four modes, so it must both teach and test: each of
its two topics (corpus_airbus, corpus_apple) is scored by a model trained on the other topic
plus the ECB+ events (training/modality.py); the two folds' predictions are pooled. Against it,
the majority baseline (every event asserted). With `--seeds 0 1 2` each seed is scored alone
and their ensemble (probabilities averaged); fold models are kept under `--work` and reused.
`python -m eval.modality_cv --out <dir>`
(`make modality-cv`) writes `results.json`, `results.md` and a leaderboard row.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from data.corpora import PROJECT_ROOT, default_corpora_dir
from data.errors import reported_as_one_line
from data.io import write_json_atomic, write_text_atomic
from eval.records import mode_scores
from training.modality import META, MODES, NOT_NEGATED, ModalityClassifier, meantime_examples, train, training_examples

TOPICS = ("corpus_airbus", "corpus_apple")


def cross_validate(
    corpora: str, work: Path, ecb_limit: int, epochs: int, seeds: list[int], weight_power: float = 1.0
) -> dict:
    """Per topic and seed, a model trained without that topic (kept in `work` and reused when
    one trained with the same settings is there); the seeds' probabilities averaged are the
    ensemble's."""
    gold, probs = [], {s: [] for s in seeds}
    folds, seconds = {}, {}
    for held in TOPICS:
        train_topics = [t for t in TOPICS if t != held]
        test = meantime_examples(corpora, [held])
        events = [(list(x.words), x.start, x.end) for x in test]
        fold_probs = []
        for seed in seeds:
            model_dir = work / f"without_{held}_seed{seed}"
            if not trained_alike(model_dir, epochs, weight_power, ecb_limit):
                examples = training_examples(corpora, train_topics, ecb_limit, seed)
                seconds[f"{held}/{seed}"] = train(
                    examples, model_dir, epochs=epochs, seed=seed, weight_power=weight_power
                )["train_seconds"]
            fold_probs.append(ModalityClassifier(model_dir).probabilities(events))
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


def trained_alike(model_dir: Path, epochs: int, weight_power: float, ecb_limit: int) -> bool:
    """Whether `model_dir` holds a fold model trained with these settings (models from before
    the weight power was recorded were trained with 0.5)."""
    if not (model_dir / META).is_file():
        return False
    meta = json.loads((model_dir / META).read_text())
    partial = meta.get("examples_by_label", {}).get("|".join(NOT_NEGATED), 0)
    return (meta.get("epochs"), meta.get("weight_power", 0.5), partial) == (epochs, weight_power, ecb_limit)


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


def main(argv: list[str] | None = None) -> int:
    from eval.provenance import provenance
    from eval.publish import append_leaderboard
    from training.precision import default_device

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--corpora", default=default_corpora_dir())
    parser.add_argument(
        "--work", default=str(PROJECT_ROOT / "runs" / "modality_cv"), help="where the fold models go (not --out)"
    )
    parser.add_argument("--ecb-limit", type=int, default=3000)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--weight-power", type=float, default=1.0, help="rare modes weigh (top/count)**power")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="more than one: their ensemble is scored")
    parser.add_argument("--leaderboard", default=str(PROJECT_ROOT / "results"), help="folder; '' for none")
    args = parser.parse_args(argv)
    with reported_as_one_line():
        started = time.time()
        res = cross_validate(args.corpora, Path(args.work), args.ecb_limit, args.epochs, args.seeds, args.weight_power)
        record = {
            "results": {"modality_meantime_cv": res},
            "config": {k: str(v) for k, v in vars(args).items()},
            "evaluation": provenance(started, default_device()),
        }
        write_json_atomic(args.out / "results.json", record)
        write_text_atomic(args.out / "results.md", markdown(res))
        if args.leaderboard:
            pooled = res["pooled"]
            append_leaderboard(
                Path(args.leaderboard),
                [
                    {
                        "date": record["evaluation"]["end_time"],
                        "model": str(Path(args.work)),
                        "run": args.out.name,
                        "labels": "modality",
                        "seed": " ".join(map(str, args.seeds)),
                        "task": "modality_meantime_cv",
                        "task_version": 1,
                        "strict_f1": round(pooled["macro_f1"], 4),
                        "per_type_strict_f1": json.dumps(
                            {"accuracy": round(pooled["accuracy"], 4)}
                            | {m: round(pooled["per_mode"][m]["f1"], 4) for m in MODES},
                            sort_keys=True,
                        ),
                        "commit": (record["evaluation"]["git"]["commit"] or "")[:10],
                    }
                ],
            )
        print(markdown(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
