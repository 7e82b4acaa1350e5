"""Screening of the syntax rule's names from the parse (docs/records.md, *Names the tagger
missed*): an actor argument word that no ACTOR span holds is an actor itself where it is a
proper noun that spaCy's entity recogniser calls PERSON, ORG, GPE or NORP; and an infinitive on
a noun takes the noun's owner or the subject of the support verb that has the noun (*X has a
chance to act*). The rule with and without each (`NAMES_FROM_PARSE`, `NOUN_CONTROL`), on the
same spans and parses: MEANTIME's 60 articles (gold spans and the tagger's; exact links, as
eval/linking_cv.py scores them), RAMS and WikiEvents (a split; event-anchored, overlap match, as
scripts/links_role_corpora.py scores them) and cameo_roles' test sentences
(as scripts/records_cameo_positions.py scores them), and the user's article (links as `make
eval-records` scores them; the rule's new parts were written while reading its misses, so its
figures are not the rule's measure). Counts only, no intervals: a screen; the measurement of
what is kept is the scripts named above.

It ran at 95a4119, where the rule had both ideas behind the module flags `NAMES_FROM_PARSE` and
`NOUN_CONTROL` and the parse an `entities` option; the names were dropped and the flags removed
after it (the infinitive on a noun kept, always on), so it documents that measurement
(results/records/syntax_names_screen.txt) and does not run on later trees.

    .venv/bin/python scripts/syntax_names_screen.py <event model> --modality <modality model> \
        [--split dev] > <file>
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import links_role_corpora as lrc  # noqa: E402
import records_cameo_positions as rc  # noqa: E402

from dateline.data import syntax_rule as sr  # noqa: E402
from dateline.data.dataset import Corpus  # noqa: E402
from dateline.data.document import Span  # noqa: E402
from dateline.data.parse import parse_documents  # noqa: E402
from dateline.data.readers import data_group  # noqa: E402
from dateline.data.readers.meantime import iter_documents  # noqa: E402
from dateline.data.readers.role_corpora import role_documents  # noqa: E402
from dateline.eval.linking_cv import counts, gold_links, syntax_links  # noqa: E402
from dateline.eval.metrics import prf  # noqa: E402
from dateline.eval.records import read_gold_records, score_records  # noqa: E402
from dateline.io import read_text  # noqa: E402
from dateline.paths import PROJECT_ROOT, default_corpora_dir, default_heldout_dir  # noqa: E402
from dateline.provenance import git_state  # noqa: E402
from dateline.tagging.api import ArticleTagger  # noqa: E402
from dateline.tagging.records import role_labels  # noqa: E402
from dateline.tagging.tagger import Tagger  # noqa: E402

# name: (names from the parse, an infinitive on a noun takes its owner or support verb's subject)
VARIANTS = {"rule": (False, False), "+ noun control": (False, True), "+ names": (True, False), "+ both": (True, True)}


def spans_of(tagger: Tagger, docs, **kw) -> list[list[Span]]:
    as_role = role_labels(tagger.meta)
    return [
        [Span(s.start, s.end, as_role.get(s.label, s.label)) for s, _ in p.spans()]
        for p in tagger.tag_documents(docs, **kw)
    ]


def line(name: str, c: np.ndarray) -> str:
    p, r, f = prf(c)
    return f"{name}: actor P {p[0]:.3f} R {r[0]:.3f} F1 {f[0]:.3f} | recipient P {p[1]:.3f} R {r[1]:.3f} F1 {f[1]:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--split", default="dev", choices=("dev", "test"), help="RAMS' and WikiEvents'")
    ap.add_argument("--modality", required=True, help="a modality model directory (records carry modes)")
    args = ap.parse_args()
    corpora = default_corpora_dir()
    tagger = Tagger(Path(args.model))
    meantime = list(iter_documents(Path(corpora)))
    sets = {"MEANTIME": (meantime, parse_documents(meantime, entities=True))}
    sets |= {
        c: (docs, parse_documents(docs, entities=True))
        for c in ("rams", "wikievents")
        for docs in [role_documents(corpora, c, args.split)]
    }
    tagged = {"MEANTIME": spans_of(tagger, meantime, only_gold=True)}
    tagged |= {c: spans_of(tagger, sets[c][0]) for c in ("rams", "wikievents")}
    cameo = list(Corpus(data_group("cameo_roles", [f"corpora={corpora}"])).reader.documents("test"))
    cameo_preds, cameo_parses = tagger.tag_documents(cameo), parse_documents(cameo, entities=True)
    article = ArticleTagger(args.model, "records", args.modality)
    text_path = Path(default_heldout_dir()) / "tass_putin_trump_apec.txt"
    text = read_text(text_path)
    gold_records = read_gold_records(PROJECT_ROOT / "tests" / "data" / "tass_putin_trump_apec.records.jsonl", text)
    print(f"event model {args.model}; RAMS and WikiEvents {args.split}; git {git_state()}")
    for name, (names, control) in VARIANTS.items():
        sr.NAMES_FROM_PARSE, sr.NOUN_CONTROL = names, control
        for corpus, (docs, parses) in sets.items():
            for kind, spans in (("gold", [d.spans for d in docs]), ("tagger", tagged[corpus])):
                if corpus == "MEANTIME":
                    c = sum(counts(gold_links(d), syntax_links(d, s, p)) for d, s, p in zip(docs, spans, parses))
                else:
                    rows = []
                    for d, s, p in zip(docs, spans, parses):
                        events = [x for x in d.spans if x.label == "EVENT"]
                        rows.append(lrc.overlap_counts(gold_links(d), lrc.anchored(syntax_links(d, s, p), events)))
                    m = np.stack(rows).sum(0)  # per role: matched predicted, predicted, matched gold, gold
                    p = np.divide(m[:, 0], m[:, 1], out=np.zeros(len(m)), where=m[:, 1] > 0)
                    r = np.divide(m[:, 2], m[:, 3], out=np.zeros(len(m)), where=m[:, 3] > 0)
                    f = np.divide(2 * p * r, p + r, out=np.zeros(len(m)), where=(p + r) > 0)
                    print(
                        f"{name} | {corpus} {kind}: actor P {p[0]:.3f} R {r[0]:.3f} F1 {f[0]:.3f} | "
                        f"recipient P {p[1]:.3f} R {r[1]:.3f} F1 {f[1]:.3f}"
                    )
                    continue
                print(line(f"{name} | {corpus} {kind}", c))
        rows = np.array(
            [
                rc.sentence_counts(d, [rc.Found(sp, conf) for sp, conf in pr.spans()], "syntax", None, pa)
                for d, pr, pa in zip(cameo, cameo_preds, cameo_parses)
            ]
        )
        scored = score_records(gold_records, article.tag([(text_path.stem, text)])[0]["records"])
        print(
            f"{name} | the user's article tagger: "
            + " | ".join(
                f"{k} F1 {scored[k]['f1']:.3f}" for k in ("links_actor", "links_recipient", "links", "records")
            )
        )
        pr = rc.rates(rows.sum(0))
        print(
            f"{name} | cameo_roles test tagger: actor P {pr[0, 0]:.3f} R {pr[0, 1]:.3f} | recipient P {pr[1, 0]:.3f} R {pr[1, 1]:.3f}"
        )


if __name__ == "__main__":
    main()
