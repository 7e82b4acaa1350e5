"""Every `make bench` run kept in git: one row per commit that changed bench/results.json.

`python scripts/bench_history.py > bench/history.md` (docs/bench.md). The figures come from the
committed results files themselves (`git show <commit>:bench/results.json`), so each row has
its file behind it; speed-ups are medians of the per-seed (training) and per-round (tagging)
ratios, as the bench computes them.
"""

from __future__ import annotations

import json
import subprocess
import sys

from dateline.paths import PROJECT_ROOT


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout


def row(commit: str, date: str, r: dict) -> str:
    per = lambda xs, f: ", ".join(f.format(x) for x in xs)  # noqa: E731
    long = {x.get("words"): x.get("tokens_per_s") for x in r.get("tag", {}).get("long", [])}
    peak = r.get("peak_gflops", {}).get("bf16")
    return (
        f"| {commit} | {date} | {r['train_speedup']:.2f}x ({per(r.get('train_speedup_per_seed', []), '{:.2f}') or 'seeds not kept'}) "
        f"| {r['test_f1_delta']:+.2f} | {r['tag_speedup']:.2f}x ({per(r.get('tag_speedup_per_round', []), '{:.2f}') or 'rounds not kept'}) "
        f"| {round(long[100000]) if long.get(100000) else ''} | {peak:.0f} | {100 * r.get('peak_fraction', 0):.1f}% |"
        if peak
        else f"| {commit} | {date} | {r['train_speedup']:.2f}x | {r['test_f1_delta']:+.2f} | {r['tag_speedup']:.2f}x | | | |"
    )


def main() -> int:
    lines = [
        "# `make bench` history",
        "",
        "Made by `python scripts/bench_history.py`: each row is the bench/results.json committed at that commit",
        "(newest first). Training: harness / recipe gold tokens/s, the median of the per-seed ratios (each seed's in",
        "brackets); test ΔF1: harness minus recipe, F1 points, means over seeds; tagging: articles/s ratio, the median",
        "of the rounds' ratios; 100k words: tokens/s of one 100,000-word article; peak: the bf16 matmul peak measured in",
        "the same run (GFLOP/s) and the harness's training at that fraction of it.",
        "",
        "| commit | date | training speed-up | test ΔF1 (points) | tagging speed-up | 100k words tokens/s | bf16 peak | harness % of peak |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for entry in git("log", "--format=%h %cs", "--", "bench/results.json").split("\n"):
        if not entry.strip():
            continue
        commit, date = entry.split()
        try:
            lines.append(row(commit, date, json.loads(git("show", f"{commit}:bench/results.json"))))
        except (subprocess.CalledProcessError, KeyError, json.JSONDecodeError):
            continue  # the commit that removed or renamed the file
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
