"""Pair two linker-cv runs' learned linkers (or one run's methods) over the same resampled
MEANTIME documents, from the per-document counts each results.json keeps (study of
docs/records.md, *The learned linker reads syntax*). Prints F1 differences B − A per row
(actor, recipient, links, records) with 95% CIs.

    .venv/bin/python scripts/linking_runs_paired.py <A results.json>:<method> <B results.json>:<method> [...]
"""

from __future__ import annotations

import json
import sys

import numpy as np

from dateline.eval.metrics import interval, paired_bootstrap, resamples

ROWS = ("actor", "recipient", "links", "records")


def counts(spec: str, kind: str) -> np.ndarray:
    path, method = spec.rsplit(":", 1)
    return np.array(json.load(open(path))["per_doc"][kind][method])


def main() -> None:
    specs = sys.argv[1:]
    if len(specs) < 2 or len(specs) % 2:
        sys.exit(__doc__)
    for a, b in zip(specs[::2], specs[1::2]):
        for kind in ("gold", "tagger"):
            x, y = counts(a, kind), counts(b, kind)
            point, diff = paired_bootstrap(x, y, resamples(len(x), 1000, 0))
            cells = [f"{r} {p:+.3f} [{c[0]:+.3f}, {c[1]:+.3f}]" for r, p, c in zip(ROWS, point, interval(diff).T)]
            print(f"{kind}: {b} − {a}: " + "; ".join(cells))


if __name__ == "__main__":
    main()
