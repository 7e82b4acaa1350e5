"""`make compare RUNS=...`: one table of systems x tasks over many runs.

Runs whose resolved training configs are equal once the seed and paths are removed are one
system; the table gives mean ± standard deviation over its seeds (sample std, n-1) and names
each system by the config values that differ between systems.
"""

from __future__ import annotations

import argparse
import csv
import glob
import io
import json
import statistics
import sys
from pathlib import Path

from data.io import write_json_atomic, write_text_atomic

IGNORED_KEYS = ("seed", "corpora", "cache_dir", "resume", "hydra", "model.pretrained", "model.tokenizer")


def flatten(cfg: dict, prefix: str = "") -> dict[str, object]:
    out = {}
    for key, value in cfg.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = json.dumps(value, sort_keys=True) if isinstance(value, list) else value
    return out


def system_key(config: dict) -> tuple:
    flat = flatten(config)
    keep = {k: v for k, v in flat.items() if not any(k == i or k.startswith(i + ".") for i in IGNORED_KEYS)}
    keep = {k: v for k, v in keep.items() if not k.startswith("trainer.args.output_dir")}
    return tuple(sorted(keep.items(), key=lambda kv: kv[0]))


def find_runs(patterns: list[str]) -> list[Path]:
    runs = []
    for pattern in patterns:
        if (
            not any(c in pattern for c in "*?[")
            and not Path(pattern).exists()
            and Path("runs/sweeps", pattern).is_dir()
        ):
            pattern = str(Path("runs/sweeps", pattern))  # a sweep id
        for path in sorted(glob.glob(pattern)) or [pattern]:
            p = Path(path)
            runs += [r.parent for r in sorted(p.rglob("results.json"))] if p.is_dir() else []
    return sorted(set(runs))


def mean_std(values: list[float]) -> tuple[float, float]:
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def model_size_mb(run: Path) -> float | None:
    weights = run / "model" / "model.safetensors"
    return round(weights.stat().st_size / 2**20, 1) if weights.is_file() else None


def compare(runs: list[Path]) -> dict:
    groups: dict[tuple, list[tuple[Path, dict]]] = {}
    for run in runs:
        record = json.loads((run / "results.json").read_text())
        if "config" not in record or "results" not in record:
            continue
        groups.setdefault(system_key(record["config"]), []).append((run, record))
    if not groups:
        return {"systems": [], "differing": []}
    keys = [dict(k) for k in groups]
    differing = sorted({k for d in keys for k in d if len({json.dumps(x.get(k)) for x in keys}) > 1})
    systems = []
    for key, members in groups.items():
        cfg = dict(key)
        name = ", ".join(f"{k}={cfg.get(k)}" for k in differing) or "default"
        tasks = sorted({t for _, r in members for t in r["results"]})
        row = {
            "system": name,
            "seeds": sorted(r["config"].get("seed") for _, r in members),
            "runs": [str(p) for p, _ in members],
            "tasks": {},
        }
        for task in tasks:
            have = [r["results"][task] for _, r in members if task in r["results"]]
            entry = {"n": len(have)}
            for schema in ("strict", "partial"):
                for label in sorted({k for h in have for k in h.get(schema, {})}):
                    values = [h[schema][label]["f1"] for h in have if label in h.get(schema, {})]
                    if len(values) == len(have):
                        entry[f"{schema}.{label}.f1"] = mean_std(values)
            row["tasks"][task] = entry
        secs = [r["training"]["seconds"] for _, r in members if "training" in r]
        row["train_seconds"] = mean_std(secs) if secs else None
        row["model_mb"] = model_size_mb(members[0][0])
        systems.append(row)
    systems.sort(key=lambda s: s["system"])
    return {"systems": systems, "differing": differing}


def significance(result: dict, baseline: str, n: int = 10000) -> list[dict]:
    """Every other system vs the baseline on every task both have predictions for."""
    from eval.significance import mean_counts, paired_test, strict_counts

    by_name = {s["system"]: s for s in result["systems"]}
    if baseline not in by_name:
        raise SystemExit(f"error: no system named {baseline!r}; systems: {', '.join(by_name)}")

    def counts(system: dict, task: str):
        runs = []
        for run in map(Path, system["runs"]):
            pred = run / "predictions" / f"{task}.jsonl"
            if not pred.is_file():
                return None
            strict = json.loads((run / "results.json").read_text())["results"][task]["strict"]
            trained = {k for k, v in strict.items() if k not in ("micro", "macro") and v.get("trained", True)}
            runs.append(strict_counts(pred, trained))
        return mean_counts(runs) if runs else None

    rows = []
    base = by_name[baseline]
    for other in result["systems"]:
        if other is base:
            continue
        for task in sorted(set(base["tasks"]) & set(other["tasks"])):
            a, b = counts(base, task), counts(other, task)
            if a is None or b is None:
                continue
            rows.append({"system": other["system"], "baseline": baseline, "task": task, **paired_test(a, b, n=n)})
    return rows


def significance_markdown(rows: list[dict]) -> str:
    lines = [
        "| system | vs baseline | task | ΔF1 (strict micro) | 95% CI | p (AR) | significant |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        mark = "yes" if r["significant"] else "no (n.s.)"
        lines.append(
            f"| {r['system']} | {r['baseline']} | {r['task']} | {r['delta_f1']:+.4f} | "
            f"[{r['ci_low']:+.4f}, {r['ci_high']:+.4f}] | {r['p_value']:.4f} | {mark} |"
        )
    return "\n".join(lines) + "\n"


def table_rows(result: dict) -> list[dict]:
    rows = []
    for s in result["systems"]:
        for task, entry in s["tasks"].items():
            row = {"system": s["system"], "task": task, "n": entry["n"]}
            for key, value in entry.items():
                if key != "n":
                    row[key] = value
            row["train_s"] = s["train_seconds"]
            row["model_mb"] = s["model_mb"]
            rows.append(row)
    return rows


def fmt(value) -> str:
    if isinstance(value, tuple):
        mean, std = value
        return f"{mean:.4f} ± {std:.4f}" if mean <= 1.0 else f"{mean:.0f} ± {std:.0f}"
    return "" if value is None else str(value)


def render_markdown(rows: list[dict]) -> str:
    cols = list(dict.fromkeys(k for r in rows for k in r))
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(fmt(r.get(c)) for c in cols) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def render_csv(rows: list[dict]) -> str:
    cols = list(dict.fromkeys(k for r in rows for k in r))
    buf = io.StringIO()
    writer = csv.writer(buf)
    header = []
    for c in cols:
        header += [f"{c}.mean", f"{c}.std"] if any(isinstance(r.get(c), tuple) for r in rows) else [c]
    writer.writerow(header)
    for r in rows:
        line = []
        for c in cols:
            v = r.get(c)
            if any(isinstance(x.get(c), tuple) for x in rows):
                line += list(v) if isinstance(v, tuple) else ["", ""]
            else:
                line.append("" if v is None else v)
        writer.writerow(line)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("runs", nargs="+", help="run directories, globs, or folders holding runs")
    parser.add_argument("--out", type=Path, default=Path("results/compare"))
    parser.add_argument("--baseline", help="system name (as in the table) to test every other system against")
    args = parser.parse_args(argv)
    runs = find_runs(args.runs)
    if not runs:
        print(f"error: no results.json under {' '.join(args.runs)}", file=sys.stderr)
        return 2
    result = compare(runs)
    rows = table_rows(result)
    md = render_markdown(rows)
    write_text_atomic(args.out / "compare.md", md)
    write_text_atomic(args.out / "compare.csv", render_csv(rows))
    if args.baseline:
        sig = significance(result, args.baseline)
        result["significance"] = sig
        md += "\n" + significance_markdown(sig)
        write_text_atomic(args.out / "compare.md", md)
    write_json_atomic(args.out / "compare.json", result)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
