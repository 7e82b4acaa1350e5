"""The harness's tagger against `pipeline("token-classification")` on the same model directory
and the same raw articles (the 60 MEANTIME articles and the held-out article, as `make bench`
tags them), in interleaved rounds, each in its own process; medians.

The harness runs with `workers` batches at once, each forward pass on one core (1: one batch
on every core; `make tag` runs one process per core, the same split).

Usage: .venv/bin/python scripts/tagging_speed.py <model dir> [rounds] [workers] > <out.json>"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

from dateline.paths import PROJECT_ROOT
from dateline.provenance import git_state


def one(side: str, model: str, workers: int = 1) -> dict:
    """One timed pass of one side in a fresh process."""
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from dateline.bench.phases import articles, from_raw_text, timed_tagging\n"
        "from dateline.tagging.tagger import Tagger\n"
        "side, model, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])\n"
        "docs = articles({})\n"
        "if side == 'pipeline':\n"
        "    from transformers import pipeline\n"
        "    p = pipeline('token-classification', model=model, aggregation_strategy='first', stride=64)\n"
        "    res = timed_tagging(lambda ds: [p(d.text) for d in ds], docs)\n"
        "else:\n"
        "    res = timed_tagging(from_raw_text(Tagger(model, workers=workers)), docs)\n"
        "print(json.dumps(res))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, side, model, str(workers)], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    model, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    runs = {"pipeline": [], "harness": []}
    for _ in range(rounds):
        for side in runs:
            runs[side].append(one(side, model, workers))
    ratios = [h["articles_per_s"] / p["articles_per_s"] for h, p in zip(runs["harness"], runs["pipeline"])]
    print(
        json.dumps(
            {
                "model": model,
                "git": git_state(),
                "rounds": rounds,
                "harness_workers": workers,
                "articles_per_s": {k: statistics.median(r["articles_per_s"] for r in v) for k, v in runs.items()},
                "speedup_per_round": ratios,
                "speedup_median_of_rounds": statistics.median(ratios),
                "runs": runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
