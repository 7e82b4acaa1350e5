"""How often data/coreference.py gives a pronoun or common-noun actor the right name, on
MEANTIME's within-document coreference (study of docs/records.md, *Names for pronouns and
common nouns*).

Scored mentions: MEANTIME's gold ACTOR spans (persons and organisations) in the annotated
sentences whose head word is a pronoun or a common noun, and whose entity has a named mention
(a NAM mention, or one headed by a proper noun) elsewhere in the article. A resolution is right
when a name it gives is a mention of the same entity (a plural pronoun may get a coordination
of names). Also counted: mentions of entities with
no name in the article that were given one anyway. Beside the rule, the baseline *nearest
earlier name*. Accuracy with a 95% bootstrap CI over documents.

    .venv/bin/python scripts/coreference_meantime.py --out results/records/coreference
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from dateline.data.coreference import is_name, needs_name, resolve_names
from dateline.data.parse import parse_documents
from dateline.data.readers.meantime import iter_documents
from dateline.eval.metrics import interval, resamples
from dateline.paths import default_corpora_dir


def entity_of(span, mentions) -> str | None:
    """The entity of the mention that is the span, else of the shortest mention holding it."""
    holding = [(m.end - m.start, e) for m, e, _, _ in mentions if m.start <= span.start and span.end <= m.end]
    return min(holding)[1] if holding else None


def nearest_name(spans, parse) -> dict:
    actors = sorted((s for s in spans if s.label == "ACTOR"), key=lambda s: s.start)
    names = [s for s in actors if is_name(s, parse)]
    out = {}
    for s in actors:
        earlier = [n for n in names if n.end <= s.start]
        if needs_name(s, parse) and earlier:
            out[s] = [earlier[-1]]
    return out


def score(corpora: Path, n_boot: int) -> dict:
    docs = list(iter_documents(corpora))
    parses = parse_documents(docs)
    methods = {"rule": resolve_names, "nearest earlier name": nearest_name}
    per_doc = {m: [] for m in methods}  # (right, scored, named-but-unnamed, unnamed scored)
    examples = []
    for doc, parse in zip(docs, parses):
        mentions = doc.meta["entity_mentions"]
        named = {e for m, e, kind, _ in mentions if kind in ("NAM", "PRE.NAM") or is_name(m, parse)}
        actors = [s for s in doc.spans if s.label == "ACTOR"]
        for name, method in methods.items():
            resolved = method(actors, parse)
            c = np.zeros(4)
            for span in actors:
                entity = entity_of(span, mentions)
                if entity is None or not needs_name(span, parse):
                    continue
                got = resolved.get(span)
                if entity in named:
                    right = bool(got) and entity in {entity_of(n, mentions) for n in got}
                    c[:2] += (right, 1)
                    if name == "rule" and len(examples) < 40:
                        examples.append([doc.id, doc.span_text(span), [doc.span_text(n) for n in got or []], right])
                else:
                    c[2:] += (bool(got), 1)
            per_doc[name].append(c)
    draws = resamples(len(docs), n_boot)
    out = {}
    for name, rows in per_doc.items():
        arr = np.stack(rows)
        total = arr.sum(0)
        boot = arr[draws].sum(1)
        acc = boot[:, 0] / np.maximum(boot[:, 1], 1)
        out[name] = {
            "accuracy": total[0] / total[1],
            "ci": interval(acc).tolist(),
            "right": int(total[0]),
            "scored": int(total[1]),
            "named_without_a_name": int(total[2]),
            "mentions_without_a_name": int(total[3]),
        }
    return {"documents": len(docs), "methods": out, "examples": examples}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", type=Path, default=Path(default_corpora_dir()))
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    res = score(args.corpora, args.boot)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(res, indent=1))
    lines = [
        "| resolution | accuracy [95% CI] | right / scored | named where the article has no name |",
        "|---|---|---|---|",
    ]
    for name, r in res["methods"].items():
        lines.append(
            f"| {name} | {r['accuracy']:.3f} [{r['ci'][0]:.3f}, {r['ci'][1]:.3f}] | {r['right']} / {r['scored']} "
            f"| {r['named_without_a_name']} / {r['mentions_without_a_name']} |"
        )
    (args.out / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
