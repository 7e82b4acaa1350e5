"""Event–participant links on role corpora no linker of dateline trained on: RAMS, WikiEvents
and QA-SRL's Wikinews gold (one split each, under data/participant_roles.py's mapping), every
linking method on the same spans — the gold spans and the default tagger's.

Study of docs/records.md (*Links on RAMS and WikiEvents*). Links are event-anchored: a predicted
link counts only where its event overlaps a gold event (RAMS marks one event per window), and a
link matches a gold link of its role when both its ends overlap the gold link's (the tagger's
spans need not match the corpus's exactly). Per role P/R/F1 with 95% bootstrap CIs over
documents, each method's paired difference from the position rule, and on gold spans the error
kinds (role swapped, wrong or spurious link, missed link).

    .venv/bin/python scripts/links_role_corpora.py --tagger <event model> [--linker <linker dir>] \
        --out results/records/role_corpora [--split test] [--corpus rams wikievents qasrl]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from dateline.data.document import Document, Span
from dateline.data.parse import parse_documents
from dateline.data.readers.role_corpora import role_documents
from dateline.eval.linking_cv import (
    ROLES,
    Link,
    bootstrap,
    error_kinds,
    gold_links,
    learned_links,
    position_links,
    signed_ci,
    syntax_links,
)
from dateline.eval.metrics import prf
from dateline.paths import default_corpora_dir


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def matches(p: Link, g: Link) -> bool:
    return p[2] == g[2] and overlaps(p[:2], g[:2]) and overlaps(p[3:], g[3:])


def anchored(pred: set[Link], events: list[Span]) -> set[Link]:
    """The links of predicted events that overlap a gold event."""
    return {x for x in pred if any(overlaps(x[:2], (e.start, e.end)) for e in events)}


def overlap_counts(gold: set[Link], pred: set[Link]) -> np.ndarray:
    """[actor, recipient, both] x (predicted that match, predicted, gold matched, gold)."""
    rows = []
    for role in (*ROLES, None):
        g = [x for x in gold if role in (None, x[2])]
        p = [x for x in pred if role in (None, x[2])]
        rows.append(
            [
                sum(any(matches(a, b) for b in g) for a in p),
                len(p),
                sum(any(matches(a, b) for a in p) for b in g),
                len(g),
            ]
        )
    return np.array(rows, dtype=float)


def tagger_spans(docs: list[Document], model: str) -> list[list[Span]]:
    from dateline.tagging.records import role_labels
    from dateline.tagging.tagger import Tagger

    tagger = Tagger(Path(model))
    as_role = role_labels(tagger.meta)
    return [
        [Span(s.start, s.end, as_role.get(s.label, s.label)) for s, _ in p.spans()] for p in tagger.tag_documents(docs)
    ]


def score(corpora: str, corpus: str, split: str, tagger: str, linker_dir: str | None, n_boot: int) -> dict:
    docs = role_documents(corpora, corpus, split)
    parses = parse_documents(docs)
    linker = None
    if linker_dir:
        from dateline.tagging.linking import Linker

        linker = Linker(linker_dir)
    methods = ("position", "syntax") + (("learned",) if linker else ())
    out = {"documents": len(docs)}
    for kind, spans_of in (("gold", [d.spans for d in docs]), ("tagger", tagger_spans(docs, tagger))):
        per_doc: dict[str, list[np.ndarray]] = {m: [] for m in methods}
        kinds = {m: Counter() for m in methods}
        for doc, spans, parse in zip(docs, spans_of, parses):
            gold, events = gold_links(doc), [s for s in doc.spans if s.label == "EVENT"]
            predicted = {"position": position_links(doc, spans), "syntax": syntax_links(doc, spans, parse)}
            if linker:
                predicted["learned"] = learned_links(doc, spans, linker)
            for m in methods:
                per_doc[m].append(overlap_counts(gold, anchored(predicted[m], events)))
                if kind == "gold":  # the same spans on both sides: why a link is wrong or missed
                    kinds[m] += error_kinds(gold, anchored(predicted[m], events))
        counts = {m: np.stack(v).sum(0) for m, v in per_doc.items()}
        out[kind] = {
            "scores": bootstrap(per_doc, n_boot),
            "counts": {m: c.tolist() for m, c in counts.items()},
            "prf": {m: [list(map(float, x)) for x in zip(*prf(c))] for m, c in counts.items()},
            "error_kinds": {m: dict(k.most_common()) for m, k in kinds.items()} if kind == "gold" else {},
        }
    return out


def markdown(results: dict, split: str) -> str:
    lines = [
        f"Links on the {split} split, event-anchored, overlap match (rows: actor, recipient, all links).",
        "",
        "| corpus | spans | linking | actor F1 [95% CI] (P / R) | recipient F1 [95% CI] (P / R) | Δ actor vs position | Δ recipient vs position |",
        "|---|---|---|---|---|---|---|",
    ]
    for corpus, res in results.items():
        for kind in ("gold", "tagger"):
            for method, s in res[kind]["scores"].items():
                p = res[kind]["prf"][method]
                cells = [
                    f"{s['f1'][i]:.3f} [{s['ci'][i][0]:.3f}, {s['ci'][i][1]:.3f}] ({p[i][0]:.2f} / {p[i][1]:.2f})"
                    for i in range(2)
                ]
                deltas = (
                    [signed_ci(s["delta_vs_position"][i], s["delta_ci"][i]) for i in range(2)]
                    if "delta_vs_position" in s
                    else ["—", "—"]
                )
                lines.append(
                    f"| {corpus} ({res['documents']} docs) | {kind} | {method} | " + " | ".join(cells + deltas) + " |"
                )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", default=str(default_corpora_dir()))
    ap.add_argument("--tagger", required=True, help="the event model whose spans are linked")
    ap.add_argument("--linker", help="a `dateline linker` model directory (adds linking=learned)")
    ap.add_argument("--split", default="test", choices=("dev", "test"))
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--corpus", nargs="+", default=["rams", "wikievents"], choices=("rams", "wikievents", "qasrl"))
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    results = {c: score(args.corpora, c, args.split, args.tagger, args.linker, args.boot) for c in args.corpus}
    results_all = {"config": {k: str(v) for k, v in vars(args).items()}, "results": results}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results_all, indent=1))
    (args.out / "results.md").write_text(markdown(results, args.split))
    print(markdown(results, args.split))


if __name__ == "__main__":
    main()
