"""Records on the user's article: which linking, measured. Runs `eval.records` for each role
model of the cameo_roles sweep (5 seeds) under linking=phrase, sentence and hybrid, each with and
without phrase actors, and once for each role-free rule (position, nearest), with one event tagger
and one modality model; writes study.md. Usage: .venv/bin/python results/records/study.py <event model> <modality model>"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROLE_RUNS = sorted((ROOT / "runs" / "sweeps" / "cameo_roles").glob("experiment=roles,seed=*"))
KEYS = ("events", "links_actor", "links_recipient", "links", "records")


def run(linking: str, events: str, modality: str, roles: Path | None, out: Path) -> dict:
    if not (out / "results.json").is_file():
        linking, _, no_phrases = linking.partition(" ")
        cmd = [sys.executable, "-m", "eval.records", f"--ckpt={events}", f"--modality={modality}"]
        cmd += [f"--linking={linking}"] + (["--no-phrase-actors"] if no_phrases else [])
        cmd += [f"--out={out}", "--leaderboard="] + ([f"--roles={roles / 'model'}"] if roles else [])
        subprocess.run(cmd, cwd=ROOT, check=True)
    return json.loads((out / "results.json").read_text())["results"]["records_heldout"]


def main() -> None:
    events, modality = sys.argv[1], sys.argv[2]
    work = ROOT / "runs" / "records_study" / f"{Path(events).parent.name}+{Path(modality).name}"
    rows = {k: [run(k, events, modality, None, work / k)] for k in ("position", "nearest")}
    for linking in (
        "sentence no-phrase-actors",
        "sentence",
        "phrase no-phrase-actors",
        "phrase",
        "hybrid no-phrase-actors",
        "hybrid",
    ):
        name = linking.replace(" ", "_")
        rows[linking] = [run(linking, events, modality, r, work / f"{name}_{r.name.split('=')[-1]}") for r in ROLE_RUNS]
    lines = [
        "# Event records on tass_putin_trump_apec: linking, measured",
        "",
        f"Event tagger `{events}`, modality model `{modality}`; role models: the {len(ROLE_RUNS)} seeds of "
        "`experiment=roles` (mean ± std over them; position and nearest need none). Strict F1 (precision / recall).",
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
    (Path(__file__).parent / "study.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
