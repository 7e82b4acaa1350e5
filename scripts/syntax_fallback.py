"""Syntax, else position: for an event to which the syntax rule gives no actor (recipient), the
position rule's actors (recipients) — screened and dropped (docs/records.md, *The syntax rule,
revised*). Gold spans of MEANTIME (all of it) and of RAMS' and WikiEvents' dev splits; links
event-anchored, overlap match, as scripts/links_role_corpora.py scores them.

    .venv/bin/python scripts/syntax_fallback.py > results/records/role_corpora/syntax_fallback.txt
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from links_role_corpora import anchored, overlap_counts  # noqa: E402

from dateline.data.parse import parse_documents  # noqa: E402
from dateline.data.readers.meantime import iter_documents  # noqa: E402
from dateline.data.readers.role_corpora import role_documents  # noqa: E402
from dateline.eval.linking_cv import Link, gold_links, position_links, syntax_links  # noqa: E402
from dateline.eval.metrics import prf  # noqa: E402
from dateline.paths import default_corpora_dir  # noqa: E402


def fallback(syntax: set[Link], position: set[Link], roles: tuple[str, ...]) -> set[Link]:
    """The syntax rule's links, and the position rule's of each role for events syntax left without one."""
    out = set(syntax)
    taken = {(x[:2], x[3:]) for x in syntax}
    for role in roles:
        have = {x[:2] for x in syntax if x[2] == role}
        out |= {x for x in position if x[2] == role and x[:2] not in have and (x[:2], x[3:]) not in taken}
    return out


def main() -> None:
    corpora = Path(default_corpora_dir())
    sets = {"meantime (all)": list(iter_documents(corpora))}
    sets |= {f"{c} dev": role_documents(corpora, c, "dev") for c in ("rams", "wikievents")}
    print("set | linking | actor F1 (P / R) | recipient F1 (P / R)")
    for name, docs in sets.items():
        totals = {}
        for doc, parse in zip(docs, parse_documents(docs)):
            gold, events = gold_links(doc), [s for s in doc.spans if s.label == "EVENT"]
            syn, pos = syntax_links(doc, doc.spans, parse), position_links(doc, doc.spans)
            methods = {
                "position": pos,
                "syntax": syn,
                "syntax, else position (actors)": fallback(syn, pos, ("actor",)),
                "syntax, else position (both)": fallback(syn, pos, ("actor", "recipient")),
            }
            for m, pred in methods.items():
                totals[m] = totals.get(m, 0) + overlap_counts(gold, anchored(pred, events))
        for m, c in totals.items():
            p, r, f = prf(c)
            print(f"{name} | {m} | {f[0]:.3f} ({p[0]:.2f} / {r[0]:.2f}) | {f[1]:.3f} ({p[1]:.2f} / {r[1]:.2f})")


if __name__ == "__main__":
    main()
