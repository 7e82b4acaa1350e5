"""`dateline cv runs=<sweep dir>` (`make cv DATA=<folder> K=5`): a k-fold cross-validation by
article of a small corpus, pooled.

`make cv` trains one model per fold (`data.split.folds=K data.split.fold=0..K-1`, a Hydra
multirun: each fold's test part is one K-th of the articles, chosen by a seeded shuffle, and
its dev part comes from the rest), then this job pools the folds: every article is scored once,
by the model that did not see it, and the pooled strict (and partial) micro-F1 gets a 95%
bootstrap CI over articles (eval/spans.py). With several seeds each seed is pooled on its own
and the table gives their mean too. Written: `cv.json` and `cv.md` in `out`.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from dateline.cli import hydra_entry
from dateline.errors import DatelineError
from dateline.eval.compare import find_runs
from dateline.eval.spans import pooled_score
from dateline.io import jsonl_objects, write_json_atomic, write_text_atomic


def fold_runs(runs: list[Path]) -> dict[tuple, dict[int, tuple[Path, dict]]]:
    """Runs of a cross-validation by (experiment overrides less the fold, seed) -> {fold: run}."""
    groups: dict[tuple, dict[int, tuple[Path, dict]]] = {}
    for run in runs:
        record = json.loads((run / "results.json").read_text())
        split = (record.get("config", {}).get("data") or {}).get("split") or {}
        if not split.get("folds") or "evaluation" not in record:
            continue
        key = (json.dumps(strip_fold(record["config"]), sort_keys=True), record["config"]["seed"])
        groups.setdefault(key, {})[int(split["fold"])] = (run, record)
    return groups


def strip_fold(config: dict) -> dict:
    """The config that makes a system: less the fold, the seed and the run's paths."""
    out = {k: v for k, v in config.items() if k not in ("seed", "hydra", "cache_dir")}
    data = dict(out.get("data") or {})
    data["split"] = {k: v for k, v in (data.get("split") or {}).items() if k != "fold"}
    data.pop("reader", None)  # holds the split again (interpolated)
    return {**out, "data": data}


def pool(folds: dict[int, tuple[Path, dict]], n_boot: int) -> dict:
    """Pooled scores of one seed's folds, each article once."""
    k = int(next(iter(folds.values()))[1]["config"]["data"]["split"]["folds"])
    missing = sorted(set(range(k)) - set(folds))
    if missing:
        raise DatelineError(f"folds {missing} of {k} have no finished run: finish the sweep (make cv again)")
    rows, per_fold, types, trained = [], {}, [], []
    for fold, (run, record) in sorted(folds.items()):
        task = record["config"]["data"].get("task") or record["config"]["data"]["name"]
        meta = record["evaluation"]["model_meta"]
        trained = list(meta.get("types", {}))
        found = [r for _, r in jsonl_objects(run / "predictions" / f"{task}.jsonl")]
        rows += found
        per_fold[fold] = {"articles": len(found), "strict_f1": record["results"][task]["strict"]["micro"]["f1"]}
        for r in found:
            types += [g[2] for g in r["gold"] if g[2] not in types]
    ids = [r["doc_id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise DatelineError("an article was scored by two folds: the runs are not one cross-validation")
    types = trained + [t for t in types if t not in trained]
    scores = pooled_score(rows, types, trained, n_boot)
    return {
        "task": task,
        "articles": len(rows),
        "folds": per_fold,
        "strict": scores["strict"],
        "partial": scores["partial"],
    }


def cross_validation(runs: list[Path], n_boot: int = 1000) -> list[dict]:
    out = []
    for (system, seed), folds in sorted(fold_runs(runs).items(), key=lambda kv: (kv[0][0], kv[0][1])):
        out.append({"system": json.loads(system), "seed": seed, **pool(folds, n_boot)})
    if not out:
        raise DatelineError("no finished cross-validation runs (data.split.folds >= 2) found")
    return out


def markdown(results: list[dict]) -> str:
    lines = [
        "| seed | articles | folds | pooled strict F1 [95% CI] | partial F1 | per fold strict F1 |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        m = r["strict"]["micro"]
        folds = " / ".join(f"{f['strict_f1']:.3f}" for f in r["folds"].values())
        lines.append(
            f"| {r['seed']} | {r['articles']} | {len(r['folds'])} | {m['f1']:.4f} [{m['ci_low']:.4f}, {m['ci_high']:.4f}] "
            f"| {r['partial']['micro']['f1']:.4f} | {folds} |"
        )
    if len(results) > 1:
        f1 = [r["strict"]["micro"]["f1"] for r in results]
        lines.append(f"\nMean over {len(f1)} seeds: {statistics.fmean(f1):.4f} ± {statistics.stdev(f1):.4f} (std).")
    return "\n".join(lines) + "\n"


@hydra_entry("cv")
def main(cfg) -> None:
    results = cross_validation(find_runs(list(cfg.runs)), cfg.bootstrap)
    out = Path(cfg.out)
    write_json_atomic(out / "cv.json", results)
    write_text_atomic(out / "cv.md", f"# Cross-validation by article: {results[0]['task']}\n\n" + markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
