"""Do the position rules of the records pipeline find actors and recipients the way news coders
mark them? Measured on the cameo_roles test sentences, which no part of the rules was written
from: the event tagger finds EVENT and ACTOR spans in each sentence, the linking rule gives each
event its actors and recipients, and each linked ACTOR is checked against the sentence's gold
role phrases (S source, R joint: an actor; T target: a recipient). A linked ACTOR counts as
right when it overlaps a gold phrase of its role, wrong when it overlaps only phrases of the
other role, and is left out when it overlaps none (the ACTOR is not the coded event's);
recall is the share of gold phrases of a role overlapped by some ACTOR linked in that role.
With `--linker <dir>`, linking `learned` is the learned linker (training/linker.py), unchanged:
cameo_roles is news it never saw.
Linking `syntax` is the dependency rule (data/syntax_rule.py), also written from no cameo_roles
sentence.
Usage: .venv/bin/python scripts/records_cameo_positions.py <event model> [linking ...] [--split dev] [--linker <dir>]"""

from __future__ import annotations

import argparse
import json

import numpy as np

from dateline.data.dataset import Corpus
from dateline.data.parse import parse_documents
from dateline.data.readers import data_group
from dateline.paths import default_corpora_dir
from dateline.tagging.linking import Linker
from dateline.tagging.records import Found, RecordTagger, document_records
from dateline.tagging.tagger import Tagger

GOLD_ROLE = {"S": "actor", "R": "actor", "T": "recipient"}


FIELDS = ("right", "wrong", "unmatched", "gold", "found")
ROLES = ("actor", "recipient")


def rates(c: np.ndarray) -> np.ndarray:
    """[..., role, (precision, recall)] from summed [..., role, FIELDS] counts."""
    right, wrong, _, gold, found = np.moveaxis(c, -1, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.stack([np.nan_to_num(right / (right + wrong)), np.nan_to_num(found / gold)], axis=-1)


def sentence_counts(doc, spans: list[Found], linking: str, roles: dict | None, parse=None) -> np.ndarray:
    """[role, FIELDS] of one sentence: the linked ACTORs right, wrong or unmatched against the
    gold role phrases, and the gold phrases of each role, found or not."""
    # gold phrases and linked ACTORs compared on character offsets, as the records give them
    gold = [
        (GOLD_ROLE[m.tag], doc.tokens[m.tokens[0]].start, doc.tokens[m.tokens[-1]].end) for m in doc.meta["mentions"]
    ]
    linked = {role: set() for role in ROLES}
    for rec in document_records(doc, spans, {}, linking, roles, parse):
        for role in linked:
            linked[role].update((item["start"], item["end"]) for item in rec[role])
    out = np.zeros((len(ROLES), len(FIELDS)))
    for i, role in enumerate(ROLES):
        c = dict.fromkeys(FIELDS, 0)
        for start, end in linked[role]:
            hit = {g for g, a, b in gold if start < b and a < end}
            c["right" if role in hit else "wrong" if hit else "unmatched"] += 1
        for g, a, b in gold:
            if g == role:
                c["gold"] += 1
                c["found"] += any(start < b and a < end for start, end in linked[role])
        out[i] = [c[k] for k in FIELDS]
    return out


def deltas(rows: np.ndarray, base: np.ndarray, n_boot: int = 1000, seed: int = 0) -> dict:
    """Precision and recall of a linking minus the position rule's, per role, with a paired
    bootstrap over sentences (95% interval)."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(rows), size=(n_boot, len(rows)))
    boot = rates(rows[idx].sum(1)) - rates(base[idx].sum(1))
    point = rates(rows.sum(0)) - rates(base.sum(0))
    return {
        role: {f"{name}_delta": round(float(point[i, j]), 4) for j, name in enumerate(("precision", "recall"))}
        | {
            f"{name}_ci": [round(float(x), 4) for x in np.percentile(boot[:, i, j], [2.5, 97.5])]
            for j, name in enumerate(("precision", "recall"))
        }
        for i, role in enumerate(ROLES)
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("linkings", nargs="*", default=["nearest", "position"])
    parser.add_argument("--split", default="test", help="dev: every 10th training sentence")
    parser.add_argument("--linker", help="a linker model directory, for linking `learned`")
    args = parser.parse_args()
    model, linkings = args.model, args.linkings
    cameo = Corpus(data_group("cameo_roles", [f"corpora={default_corpora_dir()}"]))
    docs = list(cameo.reader.documents(args.split))
    preds = Tagger(model).tag_documents(docs)
    linker = RecordTagger(None, None, "learned", Linker(args.linker)) if args.linker else None
    parses = parse_documents(docs) if "syntax" in linkings else [None] * len(docs)
    out, per_sentence = {}, {}
    for linking in linkings:
        rows = []
        for doc, pred, parse in zip(docs, preds, parses):
            spans = [Found(sp, c) for sp, c in pred.spans()]
            roles = linker.roles(doc, spans) if linking == "learned" else None
            rows.append(sentence_counts(doc, spans, linking, roles, parse))
        per_sentence[linking] = np.array(rows)
        totals, pr = per_sentence[linking].sum(0), rates(per_sentence[linking].sum(0))
        out[linking] = {
            role: {k: int(v) for k, v in zip(FIELDS, totals[i])}
            | {"precision": round(float(pr[i, 0]), 4), "recall": round(float(pr[i, 1]), 4)}
            for i, role in enumerate(ROLES)
        }
    res = {"model": model, "linker": args.linker, "split": args.split, "sentences": len(docs), "linkings": out}
    if "position" in per_sentence:
        base = per_sentence["position"]
        res["vs_position"] = {k: deltas(v, base) for k, v in per_sentence.items() if k != "position"}
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
