"""`dateline curve runs=<sweep dir> baseline=<model dir>` (`make curve DATA=<folder>`): how many
articles to annotate.

`make curve` trains on growing numbers of the user's training articles (`data.split.train_limit`
= 5, 10, 20, 40 and all, nested: the 5 are among the 10; 3 seeds each, a Hydra multirun), every
run scored on the same test articles; this job draws strict micro-F1 against the number of
training articles, the mean over seeds with a 95% bootstrap CI over test articles (each
resample scores every seed's run on the same articles and averages them), beside the baseline
model's score on those articles (by default the latest model trained on ECB+: what the user
would get without annotating). Written: `curve.json`, `curve.md`, `curve.png` in `out`.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import numpy as np
from omegaconf import OmegaConf, open_dict

from dateline.cli import hydra_entry
from dateline.errors import DatelineError
from dateline.eval.compare import find_runs
from dateline.eval.metrics import bootstrap_f1, f1, interval, resamples
from dateline.eval.spans import SCHEMAS, rows_units
from dateline.io import jsonl_objects, write_json_atomic, write_text_atomic


def run_rows(run: Path, record: dict) -> tuple[str, list[dict]]:
    data = record["config"]["data"]
    task = data.get("task") or data["name"]
    return task, sorted((r for _, r in jsonl_objects(run / "predictions" / f"{task}.jsonl")), key=lambda r: r["doc_id"])


def point(members: list[tuple[Path, dict]], n_boot: int, seed: int = 0) -> dict:
    """Mean strict micro-F1 over the runs of one size, with a bootstrap CI over test articles."""
    strict = SCHEMAS.index("strict")
    per_run = []
    for run, record in members:
        task, rows = run_rows(run, record)
        types = list(record["evaluation"]["model_meta"].get("types", {}))
        per_run.append(rows_units(rows, types)[:, strict].sum(1))  # (articles, 4): micro counts
    ids = {len(u) for u in per_run}
    if len(ids) != 1:
        raise DatelineError("the runs of one curve scored different test articles")
    n = ids.pop()
    scores = [float(f1(u.sum(0))) for u in per_run]
    draws = resamples(n, n_boot, seed)
    low, high = interval(np.mean([bootstrap_f1(u, draws) for u in per_run], axis=0))
    articles = members[0][1]["data"]["splits"]["train"]["articles"]
    return {
        "train_articles": articles,
        "seeds": [r["config"]["seed"] for _, r in members],
        "f1": scores,
        "mean": statistics.fmean(scores),
        "std": statistics.stdev(scores) if len(scores) > 1 else 0.0,
        "ci_low": float(low),
        "ci_high": float(high),
        "test_articles": n,
        "task": task,
    }


def curve_points(runs: list[Path], n_boot: int = 1000) -> list[dict]:
    by_size: dict[int, list[tuple[Path, dict]]] = {}
    for run in runs:
        record = json.loads((run / "results.json").read_text())
        if "data" not in record or "evaluation" not in record:
            continue
        by_size.setdefault(record["data"]["splits"]["train"]["articles"], []).append((run, record))
    if not by_size:
        raise DatelineError("no finished, evaluated training runs of a user's corpus found")
    return [point(members, n_boot) for _, members in sorted(by_size.items())]


def baseline_score(model: Path, data: dict, out: Path) -> dict:
    """The baseline model's strict micro-F1 on the same test articles (an evaluation in `out`)."""
    from hydra import compose

    from dateline.eval.evaluate import evaluate_model

    cfg = compose(
        config_name="eval", overrides=[f"ckpt='{model}'", "tasks=[]", "leaderboard_dir=null", "model_card=false"]
    )
    with open_dict(cfg):
        cfg.data = OmegaConf.create(data)
    record = evaluate_model(cfg, out)
    task = data.get("task") or data["name"]
    m = record["results"][task]["strict"]["micro"]
    return {"model": str(model), "f1": m["f1"], "ci_low": m["ci_low"], "ci_high": m["ci_high"]}


def markdown(points: list[dict], baseline: dict | None) -> str:
    lines = ["| training articles | strict F1, mean ± std | 95% CI (test articles) | seeds |", "|---|---|---|---|"]
    for p in points:
        lines.append(
            f"| {p['train_articles']} | {p['mean']:.4f} ± {p['std']:.4f} | [{p['ci_low']:.4f}, {p['ci_high']:.4f}] | {len(p['f1'])} |"
        )
    if baseline:
        lines.append(
            f"| the baseline model (no annotation) | {baseline['f1']:.4f} | [{baseline['ci_low']:.4f}, {baseline['ci_high']:.4f}] | |"
        )
    return "\n".join(lines) + "\n"


def plot(points: list[dict], baseline: dict | None, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = [p["train_articles"] for p in points]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, [p["mean"] for p in points], "o-", label="trained on your articles (mean over seeds)")
    ax.fill_between(x, [p["ci_low"] for p in points], [p["ci_high"] for p in points], alpha=0.25, label="95% CI")
    if baseline:
        ax.axhline(baseline["f1"], color="grey", linestyle="--", label="the baseline model, no annotation")
    ax.set_xscale("log")
    ax.set_xticks(x, [str(v) for v in x])
    ax.set_xlabel("training articles")
    ax.set_ylabel(f"strict micro-F1 on {points[0]['test_articles']} test articles")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


@hydra_entry("curve")
def main(cfg) -> None:
    from dateline.runs import latest_model

    runs = find_runs(list(cfg.runs))
    points = curve_points(runs, cfg.bootstrap)
    out = Path(cfg.out)
    baseline = None
    if cfg.baseline != "none":
        model = Path(cfg.baseline) if cfg.baseline else latest_model(Path(cfg.runs_root) / "train")
        data = json.loads((runs[0] / "results.json").read_text())["config"]["data"]
        baseline = baseline_score(model, data, out / "baseline")
    write_json_atomic(out / "curve.json", {"points": points, "baseline": baseline})
    write_text_atomic(out / "curve.md", f"# Learning curve: {points[0]['task']}\n\n" + markdown(points, baseline))
    plot(points, baseline, out / "curve.png")
    print(markdown(points, baseline))


if __name__ == "__main__":
    main()
