"""A screen of variants of the syntax rule (docs/records.md) on the same spans and parses:
MEANTIME's 60 articles (gold spans and the tagger's; exact links, as eval/linking_cv.py scores
them), RAMS, WikiEvents and QA-SRL (a split; event-anchored, overlap match, as
scripts/links_role_corpora.py scores them), cameo_roles' test sentences (as
scripts/records_cameo_positions.py scores them) and the user's article (links and records as
`make eval-records` scores them). Counts only, no intervals: a screen; what is kept is then
measured by the scripts named above. Each variant patches data/syntax_rule.py for its turn.

    .venv/bin/python scripts/syntax_rule_screen.py <event model> --modality <modality model> \
        [--split dev] > <file>

Variants now: a headline's names as the subject of its root (*Putin, Trump likely to
discuss*: data/syntax_rule.subject's `headlines`) against the rule without them. The screen of
results/records/syntax_subjects_screen.txt ran at 5b45b4d, where the rule had that idea and a
rejected one (a subject that is an event lends its actor: *tests, which provoked a response*)
behind flags (`git show 5b45b4d:scripts/syntax_rule_screen.py`). The support verbs
(results/records/syntax_support_screen.txt) ran at 453a6d4 (`git show
453a6d4:scripts/syntax_rule_screen.py`). Earlier screens: the clauses a verb's subject reaches (results/records/syntax_clauses_screen.txt,
`git show 0e1a8d5:scripts/syntax_rule_screen.py`); the pronoun owners (results/records/syntax_owner_screen.txt)
ran at c485ec4, with the variants written out in full (`git show
c485ec4:scripts/syntax_rule_screen.py`); since, they are the rule's own `owners` argument
(`git show 5d25b7b:scripts/syntax_rule_screen.py` has them as variants). The names-from-the-parse
screen ran as scripts/syntax_names_screen.py at 95a4119 (`git show
95a4119:scripts/syntax_names_screen.py`), where the rule had those ideas behind flags
(results/records/syntax_names_screen.txt).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
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

ROLE_CORPORA = ("rams", "wikievents", "qasrl")
RULE_SUBJECT = sr.subject


def headlines_on(on: bool) -> Callable[[], None]:
    """A variant: whether a subjectless root takes the names hung before it as adverbial nouns
    (data/syntax_rule.subject's `headlines`; the rule as kept: True)."""

    def patch() -> None:
        sr.subject = lambda parse, verb, clauses=True, headlines=True: RULE_SUBJECT(parse, verb, clauses, on)

    return patch


# name: what the variant does to data/syntax_rule.py before its turn
VARIANTS = {"rule": headlines_on(False), "+ headline subjects": headlines_on(True)}


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
    ap.add_argument("--split", default="dev", choices=("dev", "test"), help="RAMS', WikiEvents' and QA-SRL's")
    ap.add_argument("--modality", required=True, help="a modality model directory (records carry modes)")
    args = ap.parse_args()
    state = git_state()  # before the long part: the tree as the code was read
    corpora = default_corpora_dir()
    tagger = Tagger(Path(args.model))
    meantime = list(iter_documents(Path(corpora)))
    sets = {"MEANTIME": (meantime, parse_documents(meantime))}
    sets |= {
        c: (docs, parse_documents(docs)) for c in ROLE_CORPORA for docs in [role_documents(corpora, c, args.split)]
    }
    tagged = {"MEANTIME": spans_of(tagger, meantime, only_gold=True)}
    tagged |= {c: spans_of(tagger, sets[c][0]) for c in ROLE_CORPORA}
    cameo = list(Corpus(data_group("cameo_roles", [f"corpora={corpora}"])).reader.documents("test"))
    cameo_preds, cameo_parses = tagger.tag_documents(cameo), parse_documents(cameo)
    article = ArticleTagger(args.model, "records", args.modality)
    text_path = Path(default_heldout_dir()) / "tass_putin_trump_apec.txt"
    text = read_text(text_path)
    gold_records = read_gold_records(PROJECT_ROOT / "tests" / "data" / "tass_putin_trump_apec.records.jsonl", text)
    print(f"event model {args.model}; RAMS, WikiEvents and QA-SRL {args.split}; git {state}")
    for name, patch in VARIANTS.items():
        patch()
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
