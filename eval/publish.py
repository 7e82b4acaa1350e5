"""Publishing an evaluation: Markdown summary, HTML report and plots beside results.json, a
row per task in the leaderboard (appended under a lock, written atomically) and a model card
with `model-index` metadata in the model directory."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import logging
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from dateline.eval.report import confusion, evaluation_html, plot_task
from dateline.io import write_text_atomic
from dateline.paths import PROJECT_ROOT

log = logging.getLogger("dateline.eval")
LEADERBOARD_COLUMNS = [
    "date",
    "model",
    "run",
    "encoder",
    "labels",
    "seed",
    "task",
    "task_version",
    "data_hash",
    "strict_f1",
    "strict_ci_low",
    "strict_ci_high",
    "partial_f1",
    "exact_f1",
    "type_f1",
    "per_type_strict_f1",
    "commit",
    "dirty",
]


def summary_markdown(record: dict) -> str:
    lines = [f"# Evaluation of `{record['evaluation']['model_dir']}`", ""]
    lines += [
        "| task | schema | type | precision | recall | F1 | 95% CI | support |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for task, res in record["results"].items():
        for schema in ("strict", "exact", "partial", "type"):
            for label, m in res.get(schema, {}).items():
                note = " (not trained)" if m.get("trained") is False else ""
                lines.append(
                    f"| {task} | {schema} | {label}{note} | {m['precision']:.4f} | {m['recall']:.4f} | {m['f1']:.4f} | "
                    f"[{m.get('ci_low', m['f1']):.4f}, {m.get('ci_high', m['f1']):.4f}] | {m.get('support', '')} |"
                )
    return "\n".join(lines) + "\n"


@contextmanager
def locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def leaderboard_rows(record: dict, model_dir: Path) -> list[dict]:
    ev = record["evaluation"]
    meta = ev.get("model_meta", {})
    rows = []
    for task, res in record["results"].items():
        if "partial" not in res:
            continue  # dev scores recorded by training, not a benchmark task
        strict = res["strict"]
        per_type = {
            k: round(v["f1"], 4) for k, v in strict.items() if k not in ("micro", "macro") and v.get("trained", True)
        }
        rows.append(
            {
                "date": ev["end_time"],
                "model": str(model_dir),
                "run": model_dir.parent.name,
                "encoder": meta.get("encoder", ""),
                "labels": meta.get("labels", ""),
                "seed": meta.get("seed", ""),
                "task": task,
                "task_version": record["versions"].get(task, ""),
                "data_hash": record["data_fingerprints"].get(task, ""),
                "strict_f1": round(strict["micro"]["f1"], 4),
                "strict_ci_low": round(strict["micro"]["ci_low"], 4),
                "strict_ci_high": round(strict["micro"]["ci_high"], 4),
                "partial_f1": round(res["partial"]["micro"]["f1"], 4),
                "exact_f1": round(res["exact"]["micro"]["f1"], 4),
                "type_f1": round(res["type"]["micro"]["f1"], 4),
                "per_type_strict_f1": json.dumps(per_type, sort_keys=True),
                **commit_fields(ev),
            }
        )
    return rows


def commit_fields(evaluation: dict) -> dict:
    """The git commit a result was made at and whether the tree had uncommitted changes."""
    git = evaluation.get("git") or {}
    dirty = git.get("dirty")
    return {"commit": (git.get("commit") or "")[:10], "dirty": "" if dirty is None else str(bool(dirty)).lower()}


def outside_project(folder: Path, rows: list[dict]) -> list[str]:
    """The models of `rows` that lie outside the project, when `folder` is the project's own
    results/: that leaderboard only lists the project's runs (a test's or a temporary model
    belongs on a leaderboard of its own, `leaderboard_dir=<folder>`)."""
    if Path(folder).resolve() != (PROJECT_ROOT / "results").resolve():
        return []
    root = str(PROJECT_ROOT.resolve())
    return [r["model"] for r in rows if not str(Path(r["model"].split(" + ")[0]).resolve()).startswith(root)]


def append_leaderboard(folder: Path, rows: list[dict]) -> None:
    """Read, append, rewrite both files atomically, all under one lock: two evaluations finishing
    at once both land. Rows of models outside the project stay off the project's leaderboard."""
    outside = outside_project(folder, rows)
    if outside:
        log.warning("not added to %s/leaderboard.csv (models outside the project): %s", folder, ", ".join(outside))
        rows = [r for r in rows if r["model"] not in outside]
        if not rows:
            return
    csv_path, md_path = folder / "leaderboard.csv", folder / "leaderboard.md"
    with locked(csv_path):
        existing = list(csv.DictReader(csv_path.open(encoding="utf-8"))) if csv_path.is_file() else []
        allrows = existing + rows
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=LEADERBOARD_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(allrows)
        write_text_atomic(csv_path, buf.getvalue())
        cols = [
            "task",
            "strict_f1",
            "strict_ci_low",
            "strict_ci_high",
            "partial_f1",
            "encoder",
            "labels",
            "seed",
            "run",
            "date",
            "commit",
            "dirty",
        ]
        ordered = sorted(allrows, key=lambda r: (r["task"], -float(r["strict_f1"] or 0)))
        md = [
            "# Leaderboard",
            "",
            "One row per evaluated model and task, best strict micro-F1 first. `dirty`: whether the git tree",
            "had uncommitted changes (empty for rows made before dateline 0.2 recorded it).",
            "",
            "| " + " | ".join(cols) + " |",
            "|" + "---|" * len(cols),
        ]
        md += ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in ordered]
        write_text_atomic(md_path, "\n".join(md) + "\n")


def labels_phrase(types: list[str]) -> str:
    """`EVENT and ACTOR`, `SOURCE, TARGET and JOINT`: the card's words for what the model tags."""
    return " and ".join([", ".join(types[:-1]), types[-1]] if len(types) > 1 else types) or "spans"


def model_card(record: dict, model_dir: Path) -> str:
    """The model directory's README: what it tags (its own labels), trained on which corpus,
    and its scores with `model-index` metadata."""
    meta = record["evaluation"].get("model_meta", {})
    types = list(meta.get("types", {}) or [])
    data = meta.get("data") or {}
    corpus = data.get("describe") or "ECB+ (Cybulska & Vossen 2014), split by topic"
    init = f", fine-tuned from `{meta['init']}`" if meta.get("init") else ""
    index = []
    for task, res in record["results"].items():
        if "partial" not in res:
            continue
        metrics = [
            {"type": "f1", "name": "strict micro F1", "value": round(res["strict"]["micro"]["f1"], 4)},
            {
                "type": "precision",
                "name": "strict micro precision",
                "value": round(res["strict"]["micro"]["precision"], 4),
            },
            {"type": "recall", "name": "strict micro recall", "value": round(res["strict"]["micro"]["recall"], 4)},
            {"type": "f1", "name": "partial micro F1", "value": round(res["partial"]["micro"]["f1"], 4)},
        ]
        index.append(
            {
                "task": {"type": "token-classification", "name": f"{labels_phrase(types)} tagging"},
                "dataset": {"name": task, "type": task, "revision": record["data_fingerprints"].get(task, "")},
                "metrics": metrics,
            }
        )
    front = {
        "library_name": "transformers",
        "pipeline_tag": "token-classification",
        "tags": ["dateline", "news", *[t.lower() for t in types]],
        "model-index": [{"name": model_dir.parent.name or model_dir.name, "results": index}],
    }
    import yaml

    lines = [
        "---",
        yaml.safe_dump(front, sort_keys=False).strip(),
        "---",
        "",
        f"# {model_dir.parent.name or model_dir.name}",
        "",
        f"Token classifier for {labels_phrase(types)} in news, trained with dateline on {corpus}{init} "
        f"(encoder `{meta.get('encoder', '?')}`, labels `{meta.get('labels', '?')}`; seed {meta.get('seed', '?')}).",
        "",
        "Use dateline's tagger (`make predict CKPT=<this dir> FILE=article.txt`) for windows over long texts, Viterbi "
        "decoding and casing features; `transformers.pipeline('token-classification', model=<this dir>)` also loads it.",
        "",
        "## Evaluation",
        "",
        summary_markdown(record).split("\n", 2)[2],
    ]
    return "\n".join(lines)


def publish(record: dict, views: dict, out_dir: Path, model_dir: Path, scheme, cfg) -> None:
    errors = {}
    for task in views:
        path = out_dir / "errors" / f"{task}.jsonl"
        errors[task] = [json.loads(line) for line in path.read_text().splitlines()] if path.is_file() else []
    write_text_atomic(out_dir / "results.md", summary_markdown(record))
    write_text_atomic(out_dir / "report.html", evaluation_html(record, views, errors))
    for task in views:
        correct = Counter()
        for view in views[task]:
            correct.update(view["correct"])
        rows, cols, matrix = confusion(errors[task], correct)
        plot_task(task, record["results"][task], rows, cols, matrix, out_dir / "plots")
    if cfg.get("leaderboard_dir"):
        append_leaderboard(Path(cfg.leaderboard_dir), leaderboard_rows(record, model_dir))
    if cfg.get("model_card", True):
        write_text_atomic(model_dir / "README.md", model_card(record, model_dir))
