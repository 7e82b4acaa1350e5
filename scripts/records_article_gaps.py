"""Where the user's article's links are lost (docs/records.md, *Three more ideas from the
misses*): the syntax rule's actor and recipient links on the gold records' own spans (every gold
event with the gold actors and recipients of its sentence as the candidates), against what the
tagger's spans allow; and the gold actor and recipient spans the tagger does not mark at all
(no overlapping ACTOR span), which no linking can name.

    .venv/bin/python scripts/records_article_gaps.py <event model> > <file>
"""

from __future__ import annotations

import sys
from pathlib import Path

from dateline.data.document import Span
from dateline.data.parse import parse_documents
from dateline.data.position_rule import Found
from dateline.data.syntax_rule import syntax_links
from dateline.data.text import document_from_text
from dateline.eval.records import doc_span, read_gold_records
from dateline.io import read_text
from dateline.paths import PROJECT_ROOT, default_heldout_dir
from dateline.provenance import git_state
from dateline.tagging.api import ArticleTagger

ROLES = ("actor", "recipient")


def main(model: str) -> None:
    state = git_state()
    text_path = Path(default_heldout_dir()) / "tass_putin_trump_apec.txt"
    text = read_text(text_path)
    gold = read_gold_records(PROJECT_ROOT / "tests" / "data" / "tass_putin_trump_apec.records.jsonl", text)
    doc = document_from_text(text_path.stem, text)
    parse = parse_documents([doc])[0]
    tokens = lambda item: doc_span(doc, item["start"], item["end"])  # noqa: E731
    actors = {(s.start, s.end) for g in gold for role in ROLES for s in map(tokens, g[role])}
    counts = {role: [0, 0, 0] for role in ROLES}  # right, predicted, gold
    for g in gold:
        event = doc_span(doc, g["event_start"], g["event_end"])
        a, b = next(s for s in doc.sentences if s[0] <= event.start < s[1])
        found = [Found(Span(s, e, "ACTOR"), 1.0) for s, e in sorted(actors) if a <= s < b]
        for role, linked in zip(ROLES, syntax_links(event, found, parse)):
            want = {(s.start, s.end) for s in map(tokens, g[role])}
            got = {(f.span.start, f.span.end) for f in linked}
            counts[role] = [counts[role][0] + len(want & got), counts[role][1] + len(got), counts[role][2] + len(want)]
    print(f"event model {model}; git {state}")
    for role, (right, pred, n) in counts.items():
        p, r = right / max(pred, 1), right / n
        print(
            f"gold spans, syntax rule: {role} links P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f} ({right} right of {pred}, {n} gold)"
        )
    tagged = [s for s in ArticleTagger(model).tag([(doc.id, text)])[0]["spans"] if s["label"] == "ACTOR"]
    items = sorted({(x["start"], x["end"], x["text"]) for g in gold for role in ROLES for x in g[role]})
    missed = [t for s, e, t in items if not any(x["start"] < e and s < x["end"] for x in tagged)]
    print(f"gold actor/recipient spans the tagger leaves unmarked: {len(missed)} of {len(items)}: {missed}")


if __name__ == "__main__":
    main(sys.argv[1])
