"""The syntax rule idea by idea (docs/records.md, "The syntax rule"): cameo_roles test actor and
recipient precision/recall (one tagging pass, every variant on the same spans) and MEANTIME
gold-span actor and recipient F1, with or without raising (`acomp`), the joint prepositions of
event nouns (between, among, from) and event nouns under on/for.

It ran once, at 550a28c with the two preposition sets made module constants of
data/syntax_rule.py (`NOUN_ACTOR_PREPS`, `SETTING_PREPS`; the ideas and the constants were
removed at e827391), so it documents that measurement and does not run on later trees:

    .venv/bin/python scripts/syntax_rule_ablation.py <event model>
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import records_cameo_positions as rc  # noqa: E402

from dateline.data import syntax_rule as sr  # noqa: E402
from dateline.data.dataset import Corpus  # noqa: E402
from dateline.data.parse import parse_documents  # noqa: E402
from dateline.data.readers import data_group  # noqa: E402
from dateline.data.readers.meantime import iter_documents  # noqa: E402
from dateline.eval.linking_cv import counts, gold_links, syntax_links  # noqa: E402
from dateline.eval.metrics import prf  # noqa: E402
from dateline.paths import default_corpora_dir  # noqa: E402
from dateline.tagging.tagger import Tagger  # noqa: E402

# name: (joint prepositions, on/for prepositions, raising)
VARIANTS = {
    "new": ({"between", "among", "from"}, {"on", "for"}, True),
    "no_from": ({"between", "among"}, {"on", "for"}, True),
    "no_setting": ({"between", "among", "from"}, set(), True),
    "no_joint": (set(), {"on", "for"}, True),
    "no_joint_no_setting": (set(), set(), True),
    "old": (set(), set(), False),
}


def use(joint: set, setting: set, raising: bool) -> None:
    sr.NOUN_ACTOR_PREPS.clear()
    sr.NOUN_ACTOR_PREPS.update(joint)
    sr.SETTING_PREPS.clear()
    sr.SETTING_PREPS.update(setting)
    sr.INHERITS.discard("acomp")
    if raising:
        sr.INHERITS.add("acomp")


def main(model: str) -> None:
    corpora = default_corpora_dir()
    cameo = list(Corpus(data_group("cameo_roles", [f"corpora={corpora}"])).reader.documents("test"))
    preds, parses = Tagger(model).tag_documents(cameo), parse_documents(cameo)
    meantime = list(iter_documents(Path(corpora)))
    meantime_parses = parse_documents(meantime)
    for name, variant in VARIANTS.items():
        use(*variant)
        rows = np.array(
            [
                rc.sentence_counts(d, [rc.Found(sp, c) for sp, c in p.spans()], "syntax", None, pa)
                for d, p, pa in zip(cameo, preds, parses)
            ]
        )
        pr = rc.rates(rows.sum(0))
        c = sum(counts(gold_links(d), syntax_links(d, d.spans, p)) for d, p in zip(meantime, meantime_parses))
        f = prf(c)[2]
        print(
            f"{name}: cameo_roles actor P/R {pr[0].round(4)} recipient P/R {pr[1].round(4)}; "
            f"MEANTIME gold actor F1 {f[0]:.3f} recipient F1 {f[1]:.3f}"
        )


if __name__ == "__main__":
    main(sys.argv[1])
