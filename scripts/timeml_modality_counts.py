"""The counts behind the TimeML modality mapping (docs/data.md, "Modality from TimeML"):
TBAQ's NEG share per file (where its polarity is corrupt), its modal words, the modes the
mapping gives on the training split, and the MEANTIME modes of events right after a modal.
Usage: .venv/bin/python scripts/timeml_modality_counts.py [corpora] > results/records/modality_tbaq/counts.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from dateline.data.readers.timeml import read_tml, tml_files
from dateline.paths import default_corpora_dir
from dateline.training.modality import (
    CORRUPT_NEG_SHARE,
    meantime_examples,
    modes_of_timeml,
    neg_share,
    timeml_examples,
)

MODALS = ("would", "could", "may", "might", "can", "must", "should", "will")


def main() -> None:
    corpora = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(default_corpora_dir())
    parts: dict[str, dict] = {}
    modal_words: Counter = Counter()
    for path in tml_files(corpora):
        events = read_tml(path).meta["events"]
        part = parts.setdefault(path.parent.name, {"files": 0, "events": 0, "neg": 0, "neg_share_bins": Counter()})
        part["files"] += 1
        part["events"] += len(events)
        part["neg"] += sum(e["polarity"] == "NEG" for e in events.values())
        part["neg_share_bins"][f"{int(neg_share(events) * 10) / 10:.1f}"] += 1
        if neg_share(events) < CORRUPT_NEG_SHARE:
            modal_words.update((e["modality"] or "").strip().lower() for e in events.values() if e["modality"])
    train = timeml_examples(corpora, limit=None)
    after_modal: dict[str, Counter] = {}
    for x in meantime_examples(corpora):
        before = [w.lower() for w in x.words[max(0, x.start - 3) : x.start] if w.lower() in MODALS]
        after_modal.setdefault(before[-1] if before else "-", Counter())[x.allowed[0]] += 1
    out = {
        "tbaq_parts": {k: v | {"neg_share_bins": dict(sorted(v["neg_share_bins"].items()))} for k, v in parts.items()},
        "corrupt_neg_share": CORRUPT_NEG_SHARE,
        "modal_words_in_trusted_files": dict(modal_words.most_common()),
        "training_split_modes": dict(Counter("|".join(x.allowed) for x in train)),
        "meantime_modes_after_modal_within_3_words": {k: dict(v) for k, v in sorted(after_modal.items())},
        "mapping_examples": {
            "NEG": modes_of_timeml({"polarity": "NEG"}),
            "FUTURE": modes_of_timeml({"polarity": "POS", "tense": "FUTURE"}),
            "may": modes_of_timeml({"polarity": "POS", "tense": "NONE", "modality": "may"}),
            "would": modes_of_timeml({"polarity": "POS", "tense": "NONE", "modality": "would"}),
        },
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
