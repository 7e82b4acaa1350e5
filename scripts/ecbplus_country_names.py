"""How ECB+ labels the names of countries, capitals and international bodies in its gold sentences.

The user's held-out article marks such names as ACTOR when they act (*North Korea* fired,
*Seoul* and *Washington* hold drills). This counts, over the gold sentences of the training and
dev topics, the original ECB+ tag of the mention holding each occurrence of a name in NAMES.
Run from the repository root:
    .venv/bin/python scripts/ecbplus_country_names.py > results/ecbplus/ecbplus_ceiling/country_names.md
"""

from __future__ import annotations

import collections
from pathlib import Path

from dateline.data.readers.ecbplus import iter_documents, split_of_topic
from dateline.paths import default_corpora_dir

NAMES = {
    "Afghanistan", "America", "Beijing", "Britain", "China", "France", "Gaza", "Germany", "Hamas",
    "India", "Indonesia", "Iran", "Iraq", "Israel", "Japan", "Kremlin", "Lebanon", "Moscow", "NATO",
    "North Korea", "Pakistan", "Russia", "Somalia", "South Korea", "Sudan", "Syria", "U.S.", "UN",
    "US", "United Nations", "United States", "Washington",
}  # fmt: skip


def group(tag: str) -> str:
    """HUMAN_PART_GPE -> HUMAN_PART (ACTOR under events_actors); LOC_GEO -> LOC; none stays."""
    return tag.rsplit("_", 1)[0] if tag.startswith("HUMAN_PART") else tag.split("_")[0]


def main() -> None:
    counts: collections.Counter[str] = collections.Counter()
    for doc in iter_documents(Path(default_corpora_dir())):
        if split_of_topic(doc.meta["topic"]) == "test":
            continue
        tag_of: dict[int, str] = {}
        for mention in doc.meta["mentions"]:
            for i in mention.tokens:
                tag_of.setdefault(i, mention.tag)
        for (a, b), gold in zip(doc.sentences, doc.gold):
            for i in range(a, b) if gold else ():
                if " ".join(doc.words[i : i + 2]) in NAMES or doc.words[i] in NAMES:
                    counts[group(tag_of.get(i, "none"))] += 1
    print("| ECB+ tag of the name (gold sentences, train and dev topics) | occurrences |")
    print("|---|---|")
    for tag, n in counts.most_common():
        print(f"| {tag} | {n} |")


if __name__ == "__main__":
    main()
