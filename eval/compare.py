"""`dateline compare runs=[...]` (`make compare RUNS=...`): one table of systems x tasks over many runs.

Runs whose resolved training configs are equal once the seed and paths are removed are one
system; the table gives mean ± standard deviation over its seeds (sample std, n-1). A system
is named by the overrides its runs were started with (`.hydra/overrides.yaml`, less the seed,
run settings and the overrides every system shares) — `experiment=final`, as the user typed it;
where that does not tell systems apart, or a run has no such record, by the config values
that differ between them.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import statistics
from pathlib import Path

import yaml

from dateline.cli import hydra_entry
from dateline.errors import DatelineError
from dateline.io import write_json_atomic, write_text_atomic

# run settings, not part of what a system is
IGNORED_KEYS = (
    "seed",
    "corpora",
    "cache_dir",
    "runs_root",
    "resume",
    "hydra",
    "model.pretrained",
    "model.tokenizer",
    "skip_if_done",
    "evaluate",
    "objective",
)


# files a system is made of, named by file name: the same label file read from two checkouts
# (or worktrees) of the project is one system
FILE_KEYS = ("data.pseudo",)


def file_names(value):
    if isinstance(value, list):
        return [Path(str(v)).name for v in value]
    return Path(str(value)).name if value else value


def flatten(cfg: dict, prefix: str = "") -> dict[str, object]:
    out = {}
    for key, value in cfg.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
            continue
        if name in FILE_KEYS:
            value = file_names(value)
        out[name] = json.dumps(value, sort_keys=True) if isinstance(value, list) else value
    return out


def ignored(key: str, also: tuple[str, ...] = ()) -> bool:
    return any(key == i or key.startswith(i + ".") for i in IGNORED_KEYS + tuple(also))


def system_key(config: dict, also_ignored: tuple[str, ...] = ()) -> tuple:
    flat = flatten(config)
    keep = {k: v for k, v in flat.items() if not ignored(k, also_ignored)}
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


def naming_keys(configs: list[dict]) -> list[str]:
    """The config keys that name the systems: those with two or more values among the systems
    that have them; a key only some runs have (added to the config later, one value where
    present) is used only if the names would otherwise clash."""

    def values(k: str) -> set[str]:
        return {json.dumps(c.get(k)) for c in configs}

    differing = sorted({k for c in configs for k in c if len(values(k)) > 1})
    core = [k for k in differing if len(values(k) - {"null"}) > 1]
    names = {tuple(json.dumps(c.get(k)) for k in core) for c in configs}
    return core if len(names) == len(configs) else differing


def trained_elsewhere(record: dict) -> bool:
    """An evaluation of a model that no run of its own trained (an ensemble): the system is the model."""
    return "evaluation" in record and "training" not in record


def run_overrides(run: Path, record: dict) -> frozenset[str] | None:
    """The overrides a run was started with, less seed and run settings; None if unrecorded.
    A model trained elsewhere is named by its model directory."""
    if trained_elsewhere(record):
        return frozenset({f"ckpt={record['evaluation']['model_dir']}"})
    path = run / ".hydra" / "overrides.yaml"
    if not path.is_file():
        return None
    items = yaml.safe_load(path.read_text()) or []
    return frozenset(o for o in items if not ignored(o.split("=", 1)[0].lstrip("+~")))


def config_label(config: dict, keys: list[str]) -> str:
    return ", ".join(f"{k}={config.get(k)}" for k in keys)


def system_names(groups: list[list[tuple[Path, dict]]], configs: list[dict], differing: list[str]) -> list[str]:
    """One name per system: its own overrides (those not shared by every system), then, where
    two systems would share a name, the config values that tell them apart; by the `differing`
    config values alone where a run has no record of its overrides."""
    by_config = [config_label(c, differing) or "default" for c in configs]
    sets = [{run_overrides(run, record) for run, record in members} for members in groups]
    if any(None in found or len(found) != 1 for found in sets):
        return by_config
    own = [found.pop() for found in sets]
    common = frozenset.intersection(*own)
    names = [" ".join(sorted(o - common)) or "(shared overrides only)" for o in own]
    for name in set(names):
        clash = [i for i, n in enumerate(names) if n == name]
        if len(clash) > 1:
            keys = naming_keys([configs[i] for i in clash])
            for i in clash:
                names[i] = f"{name} [{config_label(configs[i], keys)}]"
    return names


def commit_of(record: dict) -> str:
    """The short git commit the run was evaluated at ("unknown" where it was not recorded)."""
    git = record.get("evaluation", {}).get("git") or {}
    return (git.get("commit") or "unknown")[:7]


def compare(runs: list[Path], by_commit: bool = False, ignore: tuple[str, ...] = ()) -> dict:
    """Runs grouped into systems by their config (less seeds and paths, and the `ignore`d keys:
    settings the user knows changed nothing, e.g. a tag mapping no training corpus uses); with
    `by_commit`, runs of the same config at different git commits are different systems."""
    groups: dict[tuple, list[tuple[Path, dict]]] = {}
    for run in runs:
        record = json.loads((run / "results.json").read_text())
        if trained_elsewhere(record):
            record["config"] = {"ckpt": record["evaluation"]["model_dir"]}
        if "config" not in record or "results" not in record:
            continue
        key = system_key(record["config"], ignore) + ((("commit", commit_of(record)),) if by_commit else ())
        groups.setdefault(key, []).append((run, record))
    if not groups:
        return {"systems": [], "differing": []}
    keys = [dict(k) for k in groups]
    differing = naming_keys(keys)
    names = system_names(list(groups.values()), keys, differing)
    systems = []
    for name, members in zip(names, groups.values()):
        tasks = sorted({t for _, r in members for t in r["results"]})
        row = {
            "system": name,
            "seeds": sorted(r["config"]["seed"] for _, r in members if "seed" in r["config"]),
            "runs": [str(p) for p, _ in members],
            "tasks": {},
        }
        for task in tasks:
            have = [r["results"][task] for _, r in members if task in r["results"]]
            entry = {"n": len(have)}
            for schema in ("strict", "partial"):
                labels = {
                    k
                    for h in have
                    for k, v in h.get(schema, {}).items()
                    if isinstance(v, dict) and v.get("trained", True) and k != "macro"
                }
                if schema == "partial":
                    labels &= {"micro"}
                for label in sorted(labels, key=lambda k: (k != "micro", k)):
                    values = [h[schema][label]["f1"] for h in have if label in h.get(schema, {})]
                    if len(values) == len(have):
                        entry[f"{schema}.{label}.f1"] = mean_std(values)
            row["tasks"][task] = entry
        secs = [r["training"]["seconds"] for _, r in members if "training" in r]
        row["train_seconds"] = mean_std(secs) if secs else None
        row["model_mb"] = model_size_mb(members[0][0])
        systems.append(row)
    systems.sort(key=lambda s: s["system"])
    for i, system in enumerate(systems, 1):
        system["id"] = f"S{i}"
    return {"systems": systems, "differing": differing}


def significance(result: dict, baseline: str, n: int = 10000) -> list[dict]:
    """Every other system vs the baseline on every task both have predictions for."""
    from dateline.eval.significance import mean_counts, paired_test, seed_test, strict_counts, verdict

    by_name = {s["system"]: s for s in result["systems"]} | {s["id"]: s for s in result["systems"]}
    if baseline not in by_name:
        names = "; ".join(f"{s['id']}: {s['system']}" for s in result["systems"])
        raise DatelineError(f"no system named {baseline!r}; systems: {names}")

    def counts(system: dict, task: str):
        runs = []
        for run in map(Path, system["runs"]):
            pred = run / "predictions" / f"{task}.jsonl"
            if not pred.is_file():
                return None
            strict = json.loads((run / "results.json").read_text())["results"][task]["strict"]
            trained = {k for k, v in strict.items() if k not in ("micro", "macro") and v.get("trained", True)}
            runs.append(strict_counts(pred, trained))
        return runs or None

    rows = []
    base = by_name[baseline]
    baseline = base["system"]
    for other in result["systems"]:
        if other is base:
            continue
        for task in sorted(set(base["tasks"]) & set(other["tasks"])):
            a, b = counts(base, task), counts(other, task)
            if a is None or b is None:
                continue
            row = {"system": other["system"], "baseline": baseline, "task": task}
            row |= paired_test(mean_counts(a), mean_counts(b), n=n) | seed_test(a, b, n=n)
            row["verdict"] = verdict(row)  # documents and training randomness both
            row["significant_documents"] = row["significant"]  # runs held fixed
            row["significant"] = row["verdict"] == "yes"
            rows.append(row)
    return rows


def significance_markdown(rows: list[dict]) -> str:
    lines = [
        "| system | vs baseline | task | ΔF1 (strict micro) | 95% CI, documents | p (AR, documents) "
        "| 95% CI, runs and documents | p (runs) | significant |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        mark = r["verdict"]
        lines.append(
            f"| {r['system']} | {r['baseline']} | {r['task']} | {r['delta_f1']:+.4f} | "
            f"[{r['ci_low']:+.4f}, {r['ci_high']:+.4f}] | {r['p_value']:.4f} | "
            f"[{r['seed_ci_low']:+.4f}, {r['seed_ci_high']:+.4f}] | {r['seed_p_value']:.2f} "
            f"({r['runs'][1]} vs {r['runs'][0]}) | {mark} |"
        )
    notes = (
        "\nThe documents columns hold the trained runs fixed; the runs columns also resample them "
        "(eval/significance.py). yes: p < 0.05 on documents and over runs, and neither CI holds 0; "
        "with 3 runs a side p (runs) cannot go below 0.1, so at best 'documents only'.\n"
    )
    return "\n".join(lines) + "\n" + notes


def table_rows(result: dict) -> list[dict]:
    rows = []
    for s in result["systems"]:
        for task, entry in s["tasks"].items():
            row = {"id": s["id"], "system": s["system"], "task": task, "n": entry["n"]}
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


def plot(result: dict, out: Path) -> list[Path]:
    """F1 per system and task with error bars (95% CI of the mean over seeds, t-based; the
    bootstrap CI of the single run when there is one seed), and learning curves (dev F1 and
    training loss per epoch) of every run compared."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    systems = result["systems"]
    tasks = sorted({t for s in systems for t in s["tasks"] if "strict.micro.f1" in s["tasks"][t] and "dev" not in t})
    if tasks:
        fig, axes = plt.subplots(
            1, len(tasks), figsize=(3 + 2.2 * len(systems) * len(tasks) / max(len(tasks), 1), 3.6), squeeze=False
        )
        for ax, task in zip(axes[0], tasks):
            names, means, errs = [], [], []
            for s in systems:
                entry = s["tasks"].get(task, {})
                if "strict.micro.f1" not in entry:
                    continue
                mean, std = entry["strict.micro.f1"]
                n = entry["n"]
                names.append(s["id"])
                means.append(mean)
                errs.append(T95.get(n - 1, 1.96) * std / n**0.5 if n > 1 else 0.0)
            ax.bar(range(len(names)), means, yerr=errs, capsize=4, color="#8ecae6", edgecolor="#333")
            ax.set_xticks(range(len(names)), names, fontsize=8)
            ax.set_ylim(max(0, min(means) - 0.1), min(1, max(means) + 0.05))
            ax.set_title(f"{task}: strict micro-F1", fontsize=9)
        fig.tight_layout()
        paths.append(out / "f1.png")
        fig.savefig(paths[-1], dpi=110)
        plt.close(fig)
    fig, (ax_f1, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.6))
    for k, s in enumerate(systems):
        color = plt.cm.tab10(k % 10)
        for i, run in enumerate(s["runs"]):
            history = json.loads((Path(run) / "results.json").read_text()).get("training", {}).get("log_history", [])
            per_epoch = {}
            for h in history:  # the first dev evaluation of each epoch (later ones re-score the best checkpoint)
                if "eval_f1" in h and "epoch" in h:
                    per_epoch.setdefault(h["epoch"], h["eval_f1"])
            dev = sorted(per_epoch.items())
            loss = [(h["epoch"], h["loss"]) for h in history if "loss" in h and "epoch" in h]
            label = f"{s['id']}: {s['system']}"[:80] if i == 0 else None
            if dev:
                ax_f1.plot(*zip(*dev), color=color, alpha=0.8, label=label, marker=".")
            if loss:
                ax_loss.plot(*zip(*loss), color=color, alpha=0.8, label=label, marker=".")
    ax_f1.set(xlabel="epoch", ylabel="dev strict F1", title="learning curves: dev F1")
    ax_loss.set(xlabel="epoch", ylabel="training loss", title="learning curves: loss")
    if ax_f1.get_legend_handles_labels()[0]:
        ax_f1.legend(fontsize=6, loc="lower right")
    fig.tight_layout()
    paths.append(out / "learning_curves.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)
    return paths


# two-sided 95% Student t quantiles by degrees of freedom, for the CI of a mean over few seeds
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


def write_comparison(
    patterns: list[str], out: Path, baseline: str | None = None, by_commit: bool = False, ignore: tuple = ()
):
    """Compare the runs found under `patterns`; write compare.md/.csv/.json and the plots to
    `out`; return the result and its Markdown table."""
    runs = find_runs(patterns)
    if not runs:
        raise DatelineError(f"no results.json under {' '.join(patterns)}")
    result = compare(runs, by_commit=by_commit, ignore=tuple(ignore))
    if ignore:
        result["ignored_keys"] = list(ignore)
    rows = table_rows(result)
    md = render_markdown(rows)
    if baseline:
        result["significance"] = significance(result, str(baseline))
        md += "\n" + significance_markdown(result["significance"])
    write_text_atomic(out / "compare.md", md)
    write_text_atomic(out / "compare.csv", render_csv(rows))
    write_json_atomic(out / "compare.json", result)
    plot(result, out)
    return result, md


@hydra_entry("compare")
def main(cfg) -> None:
    patterns = [cfg.runs] if isinstance(cfg.runs, str) else list(cfg.runs)
    print(write_comparison(patterns, Path(cfg.out), cfg.baseline, cfg.by_commit, tuple(cfg.ignore or ()))[1])


if __name__ == "__main__":
    main()
