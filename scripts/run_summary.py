"""The figures of one training run, from its results.json, as a committed file: how it trained
(time, precision, windows, dev F1 per epoch) and its strict / partial scores per task; of an
evaluation run (`dateline eval ckpt=<model or ensemble>`), the scores and the model evaluated.

Usage: .venv/bin/python scripts/run_summary.py <run dir> > results/<study>/<name>.json"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    run = Path(sys.argv[1])
    r = json.loads((run / "results.json").read_text())
    t = r.get("training")
    dev_per_epoch = {}
    for h in t["log_history"] if t else []:  # the first dev evaluation of each epoch
        if "eval_f1" in h and "epoch" in h:
            dev_per_epoch.setdefault(str(h["epoch"]), round(h["eval_f1"], 4))
    tasks = {
        name: {
            "strict": round(res["strict"]["micro"]["f1"], 4),
            "strict_ci": [round(res["strict"]["micro"]["ci_low"], 4), round(res["strict"]["micro"]["ci_high"], 4)],
            "partial": round(res["partial"]["micro"]["f1"], 4),
            "per_type_strict": {k: round(v["f1"], 4) for k, v in res["strict"].items() if k not in ("micro", "macro")},
        }
        for name, res in r["results"].items()
        if "partial" in res
    }
    dev = {name: round(res["strict"]["micro"]["f1"], 4) for name, res in r["results"].items() if "partial" not in res}
    model = run / "model" if t else Path(r["evaluation"]["model_dir"])
    meta = json.loads((model / "dateline.json").read_text())
    summary = {
        "run": run.name,
        "model": str(model),
        "overrides": (run / ".hydra" / "overrides.yaml").read_text().split("\n") if (run / ".hydra").is_dir() else [],
        "encoder": meta.get("encoder"),
        "seed": meta.get("seed"),
        "decoding": {k: meta.get(k) for k in ("o_bias", "i_bias", "decoding_dev_f1")},
        "ensemble": meta.get("ensemble"),
        "training": {k: t[k] for k in ("seconds", "precision", "train_windows", "train_subwords", "gold_tokens")}
        if t
        else None,
        "subwords_per_second": round(
            t["train_subwords"] * r["config"]["trainer"]["args"]["num_train_epochs"] / t["seconds"], 1
        )
        if t
        else None,
        "dev_strict_f1": dev,
        "dev_f1_per_epoch": dev_per_epoch,
        "tasks": tasks,
        "git": r["evaluation"]["git"],
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
