"""The corpus counts the docs quote: ECB+ gold and annotated non-gold sentences, spans and the
clash rule's work under `events_actors`, MEANTIME modes, cameo_roles sentences and spans.

`python scripts/corpus_counts.py > results/data/corpus_counts.md` (docs/data.md)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from dateline.data.dataset import Corpus, labeled_sentences
from dateline.data.labels import LabelScheme, ResolveStats, apply_scheme
from dateline.data.readers import data_group, meantime
from dateline.data.readers.ecbplus import TAGSET, iter_documents, split_of_topic
from dateline.paths import default_corpora_dir
from dateline.training.modality import mode_of_meantime

EVENTS_ACTORS = {"EVENT": ["ACTION_*", "NEG_ACTION_*", "EVENT"], "ACTOR": ["HUMAN_PART*", "ACTOR"]}


def ecbplus(root: Path) -> list[str]:
    scheme = LabelScheme.from_config("events_actors", EVENTS_ACTORS)
    stats, sentences, spans, tokens = ResolveStats(), Counter(), Counter(), Counter()
    for doc in iter_documents(root):
        stats.add(apply_scheme(doc, scheme, TAGSET))
        split = split_of_topic(doc.meta["topic"])
        extra = labeled_sentences(doc, "annotated")
        for i, ((a, b), gold) in enumerate(zip(doc.sentences, doc.gold)):
            kind = "gold" if gold else "annotated non-gold" if extra[i] else "unlabeled"
            sentences[(split, kind)] += 1
            tokens[kind] += b - a
            spans[kind] += sum(a <= s.start < b for s in doc.spans)
    lines = [
        "## ECB+ (events_actors)",
        "",
        "| split | gold sentences | annotated non-gold | unlabeled |",
        "|---|---|---|---|",
    ]
    for split in ("train", "dev", "test"):
        row = [sentences[(split, k)] for k in ("gold", "annotated non-gold", "unlabeled")]
        lines.append(f"| {split} | " + " | ".join(map(str, row)) + " |")
    for kind in ("gold", "annotated non-gold"):
        lines.append(
            f"\n{kind}: {spans[kind]} spans over {tokens[kind]} tokens ({spans[kind] / tokens[kind]:.3f} per token)"
        )
    lines.append(
        f"\nclash rule: {stats.discontinuous} discontinuous mentions ({stats.fragments_added} extra fragments), "
        f"{stats.duplicates} duplicates merged, {stats.overlaps_dropped} overlapping spans dropped; kept per type {stats.per_type}"
    )
    return lines


def meantime_modes(root: Path) -> list[str]:
    modes = Counter(
        mode_of_meantime(attrs) for d in meantime.iter_documents(root) for attrs in d.meta["modality"].values()
    )
    return ["", "## MEANTIME English: event modes", "", f"{sum(modes.values())} events: {dict(sorted(modes.items()))}"]


def cameo(root: Path) -> list[str]:
    lines = ["", "## cameo_roles", ""]
    corpus = Corpus(data_group("cameo_roles", [f"corpora={root}"]))
    for split in ("train", "dev", "test"):
        docs = list(corpus.reader.documents(split))
        roles = Counter(m.tag for d in docs for m in d.meta["mentions"])
        lines.append(f"{split}: {len(docs)} sentences, role spans {dict(sorted(roles.items()))}")
    return lines


def main() -> None:
    root = Path(default_corpora_dir())
    print("\n".join(["# Corpus counts", "", f"`python scripts/corpus_counts.py`, corpora at `{root.name}`.", ""]))
    print("\n".join(ecbplus(root) + meantime_modes(root) + cameo(root)))


if __name__ == "__main__":
    main()
