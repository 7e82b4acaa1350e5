"""How often the tagger's fast path (a bf16 copy of the model) tags a word as fp32 does, on the
raw articles `make bench` tags (the 60 MEANTIME articles and the held-out article).

Usage: .venv/bin/python scripts/fast_path_agreement.py <model dir> > <out.json>"""

from __future__ import annotations

import json
import sys

from dateline.bench.phases import articles, precision_agreement
from dateline.provenance import git_state


def main() -> None:
    model = sys.argv[1]
    found = precision_agreement(model, articles({}))
    print(json.dumps({"model": model, "git": git_state(), **found}, indent=2))


if __name__ == "__main__":
    main()
