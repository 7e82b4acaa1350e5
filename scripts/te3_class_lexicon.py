"""How far TimeML's event classes follow the word, in TBAQ and in TE3-Platinum.

For each event of TBAQ dev and of TE3-Platinum whose text (lowercased) is also an event in
TBAQ train, the class TBAQ train gives that text most often is compared with the gold class:
how often the training data's own convention agrees with the set being scored. Writes JSON.

    python scripts/te3_class_lexicon.py [corpora dir] > results/te3/platinum/class_lexicon.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from dateline.data.readers.timeml import iter_documents
from dateline.paths import default_corpora_dir


def event_classes(docs) -> list[tuple[str, str]]:
    """(lowercased text, class) of every event, its text from its tokens."""
    out = []
    for doc in docs:
        for event in doc.meta["events"].values():
            text = " ".join(doc.tokens[i].text for i in event["tokens"]).lower()
            out.append((text, event["class"]))
    return out


def agreement(majority: dict[str, str], events: list[tuple[str, str]]) -> dict:
    seen = [(w, c) for w, c in events if w in majority]
    per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for w, c in seen:
        per_class[c][0] += majority[w] == c
        per_class[c][1] += 1
    agree = sum(a for a, _ in per_class.values())
    return {
        "events": len(events),
        "text_seen_in_train": len(seen),
        "train_majority_agrees": agree,
        "agreement": round(agree / max(1, len(seen)), 4),
        "per_class": {
            c: {"agree": a, "seen": n, "agreement": round(a / n, 4)} for c, (a, n) in sorted(per_class.items())
        },
    }


def main(root: Path) -> dict:
    counts: dict[str, Counter] = defaultdict(Counter)
    for w, c in event_classes(iter_documents(root, "train")):
        counts[w][c] += 1
    majority = {w: c.most_common(1)[0][0] for w, c in counts.items()}
    return {split: agreement(majority, event_classes(iter_documents(root, split))) for split in ("dev", "test")}


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(default_corpora_dir())
    print(json.dumps(main(root), indent=2))
