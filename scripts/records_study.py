"""Records on the user's article: which linking, measured. Runs `dateline eval-records` once for
each linking (position, nearest, and learned when a linker model is given) with one event tagger
and one modality model, and writes a table.
Usage: .venv/bin/python scripts/records_study.py <event model> <modality model> [<linker model>] [--out <out.md>]
(default out: results/records/linking.md).

results/records/study.md was made by this script's earlier version (`git show
76d74c0:results/records/study.py`), which also ran the three role-tagger linkings that dateline
0.2 dropped (docs/records.md)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

from dateline.paths import PROJECT_ROOT as ROOT

KEYS = ("events", "links_actor", "links_recipient", "links", "records")
PAIRED = ("links_actor", "links_recipient", "records")


def run(linking: str, events: str, modality: str, out: Path, linker: str | None = None) -> dict:
    if not (out / "results.json").is_file():
        cmd = [sys.executable, "-m", "dateline.cli", "eval-records", f"ckpt='{events}'", f"modality='{modality}'"]
        cmd += [f"linking={linking}", f"out='{out}'", "leaderboard_dir=null"]
        cmd += [f"linker='{linker}'"] if linker else []
        subprocess.run(cmd, cwd=ROOT, check=True)
    return json.loads((out / "results.json").read_text())["results"]["records_heldout"]


def sentence_counts(out: Path) -> dict[str, dict[str, np.ndarray]]:
    """Per sentence of the article, [right, predicted, gold] of actor links, recipient links and
    whole records, from one eval-records run's predictions (gold records fall in the sentence
    that holds their event)."""
    from dateline.data.text import document_from_text
    from dateline.eval.records import read_gold_records, score_records
    from dateline.io import read_text

    ev = json.loads((out / "results.json").read_text())["evaluation"]
    text = read_text(Path(ev["article"]))
    gold = read_gold_records(Path(ev["gold"]), text)
    pred = [json.loads(line) for line in (out / "predictions" / "records_heldout.jsonl").read_text().splitlines()]
    doc = document_from_text(Path(ev["article"]).stem, text)
    ranges = [(doc.tokens[a].start, doc.tokens[b - 1].end) for a, b in doc.sentences if b > a]
    counts: dict[str, dict[str, np.ndarray]] = {k: {} for k in PAIRED}
    for i, (a, b) in enumerate(ranges):
        scores = score_records(
            [r for r in gold if a <= r["event_start"] < b], [r for r in pred if a <= r["event_start"] < b]
        )
        for key in PAIRED:
            counts[key][f"s{i}"] = np.array([scores[key][k] for k in ("tp", "pred", "gold")], dtype=float)
    return counts


def paired_lines(base: Path, other: Path, name: str) -> list[str]:
    """`name` against the position rule on the article: ΔF1 with a paired bootstrap over its
    sentences (and approximate randomization's p), per role and for whole records."""
    from dateline.eval.significance import paired_test

    a, b = sentence_counts(base), sentence_counts(other)
    cells = []
    for key in PAIRED:
        t = paired_test(a[key], b[key])
        cells.append(f"{key} {t['delta_f1']:+.4f} [{t['ci_low']:+.4f}, {t['ci_high']:+.4f}], p {t['p_value']:.2f}")
    n = len(a[PAIRED[0]])
    return [f"{name} against position, paired over the article's {n} sentences: " + "; ".join(cells) + "."]


def main() -> None:
    args = sys.argv[1:]
    out = Path(args.pop(args.index("--out") + 1)) if "--out" in args else ROOT / "results" / "records" / "linking.md"
    args = [a for a in args if a != "--out"]
    events, modality, linker = args[0], args[1], args[2] if len(args) > 2 else None
    work = ROOT / "runs" / "records_study" / f"{Path(events).parent.name}+{Path(modality).name}"
    rows = {k: [run(k, events, modality, work / k)] for k in ("position", "nearest")}
    if linker:
        rows["learned"] = [run("learned", events, modality, work / f"learned+{Path(linker).name}", linker)]
    lines = [
        "# Event records on tass_putin_trump_apec: linking, measured",
        "",
        f"Event tagger `{events}`, modality model `{modality}`"
        + (f", linker `{linker}`" if linker else "")
        + ". Strict F1 (precision / recall).",
        "",
        "| linking | " + " | ".join(KEYS) + " | mode acc. (gold events) | mode acc. (found events) |",
        "|---" * (len(KEYS) + 3) + "|",
    ]
    for linking, res in rows.items():
        cells = []
        for k in KEYS:
            f1 = [r[k]["f1"] for r in res]
            p, rc = statistics.fmean(r[k]["precision"] for r in res), statistics.fmean(r[k]["recall"] for r in res)
            sd = f" ± {statistics.stdev(f1):.4f}" if len(f1) > 1 else ""
            cells.append(f"{statistics.fmean(f1):.4f}{sd} ({p:.2f} / {rc:.2f})")
        gold_acc = res[0]["mode_on_gold_events"]["accuracy"]
        found_acc = statistics.fmean(r["mode_on_found_events"]["accuracy"] for r in res)
        lines.append(f"| {linking} | " + " | ".join(cells) + f" | {gold_acc:.4f} | {found_acc:.4f} |")
    mode = rows["position"][0]["mode_on_gold_events"]
    per = ", ".join(
        f"{m} {v['f1']:.4f} ({v['tp']}/{v['gold']} found, {v['pred']} predicted)" for m, v in mode["per_mode"].items()
    )
    lines += [
        "",
        f"Modes of the {mode['n']} gold events: accuracy {mode['accuracy']:.4f}, macro-F1 {mode['macro_f1']:.4f}; {per}.",
        "",
    ]
    if linker:
        lines += [*paired_lines(work / "position", work / f"learned+{Path(linker).name}", "learned"), ""]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
