"""The TE3-Platinum table: the published task B systems (results/te3/platinum/published.csv, with
their sources) and dateline's runs, each a row of the official TE3 figures (relaxed P, R, F1 —
what the table ranks on — strict F1 and class F1, eval/te3.py), mean ± std over seeds.

Usage: .venv/bin/python scripts/te3_table.py --row "<label>" <run dir> [<run dir> ...] [--row ...] > results/te3/platinum/table.md
(a run dir holds results.json with a te3_platinum result: a training run or `make eval` output)"""

from __future__ import annotations

import csv
import json
import statistics
import sys
from pathlib import Path

from dateline.paths import PROJECT_ROOT

PUBLISHED = PROJECT_ROOT / "results" / "te3_platinum" / "published.csv"


def cell(values: list[float | None]) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}"


def run_row(label: str, dirs: list[str]) -> str:
    results = [json.loads((Path(d) / "results.json").read_text())["results"]["te3_platinum"] for d in dirs]
    te3 = [r.get("official") or r["te3"] for r in results]  # "te3" in runs evaluated before 0.3
    relaxed = [t["relaxed"] for t in te3]
    figures = [
        cell([r["precision"] for r in relaxed]),
        cell([r["recall"] for r in relaxed]),
        cell([r["f1"] for r in relaxed]),
        cell([t["strict"]["f1"] for t in te3]),
        cell([t["class"]["f1"] if t["class"] else None for t in te3]),
    ]
    return f"| **{label}** ({len(dirs)} run{'s' * (len(dirs) > 1)}) | " + " | ".join(figures) + " | dateline |"


def main() -> None:
    lines = [
        "| system | P (relaxed) | R (relaxed) | F1 (relaxed) | F1 (strict) | class F1 | source |",
        "|---|---|---|---|---|---|---|",
    ]
    with PUBLISHED.open(newline="") as f:
        for row in csv.DictReader(f):
            figures = [row[k] or "–" for k in ("precision", "recall", "f1")] + ["–", row["class_f1"] or "–"]
            note = f" ({row['note']})" if row["note"] else ""
            lines.append(f"| {row['system']}{note} | " + " | ".join(figures) + f" | {row['source']} |")
    groups: list[tuple[str, list[str]]] = []
    args = iter(sys.argv[1:])
    for arg in args:
        if arg == "--row":
            groups.append((next(args), []))
        elif groups:
            groups[-1][1].append(arg)
        else:
            raise SystemExit("usage: te3_table.py --row <label> <run dir> ... [--row ...]")
    lines += [run_row(label, dirs) for label, dirs in groups]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
