"""Study 16 (docs/studies/16-records-speed.md): where the records' time goes, one core, on the
first 60 ECB+ test articles: the event tagger's forward passes and each modality model's (rows,
subwords, padded subwords, seconds), and the parse of every sentence against that of the
sentences with an ACTOR span only (what records parse).

    .venv/bin/python scripts/records_encoder_work.py <event model> <modality model>[,<another>] > <file.json>
"""

from __future__ import annotations

import json
import sys
import time

import torch

from dateline.data.dataset import Corpus
from dateline.data.document import Span
from dateline.data.parse import parse_documents, parser
from dateline.data.position_rule import Found
from dateline.data.readers import data_group
from dateline.paths import default_corpora_dir
from dateline.runs import register_resolvers
from dateline.tagging.modality import ModalityClassifier
from dateline.tagging.records import RecordTagger, role_labels, with_actors
from dateline.tagging.tagger import Tagger
from dateline.training import position_head


def counted(calls: dict, forward):
    """`forward` wrapped to count its rows, subwords and padded subwords and time it."""

    def run(*args):
        inputs = args[-1]
        mask = inputs["attention_mask"]
        calls["rows"] += int(mask.shape[0])
        calls["subwords"] += int(mask.sum())
        calls["padded_subwords"] += int(mask.numel())
        started = time.perf_counter()
        out = forward(*args)
        calls["seconds"] += time.perf_counter() - started
        return out

    return run


def zero() -> dict:
    return {"rows": 0, "subwords": 0, "padded_subwords": 0, "seconds": 0.0}


def main(event_model: str, modalities: str) -> dict:
    register_resolvers()
    torch.set_num_threads(1)
    corpus = Corpus(data_group("ecbplus", [f"corpora={default_corpora_dir()}"]))
    docs = list(corpus.reader.documents("test"))[:60]
    tagger = Tagger(event_model)
    out = {"articles": len(docs), "sentences": sum(len(d.sentences) for d in docs), "threads": 1}

    tagged = zero()
    model = tagger.model
    forward = model.forward
    model.forward = lambda **kw: counted(tagged, lambda kw: forward(**kw))(kw)
    preds = tagger.tag_documents(docs)
    model.forward = forward
    out["event tagger"] = tagged | {"seconds": round(tagged["seconds"], 2)}

    as_role = role_labels(tagger.meta)
    spans = [[Found(Span(s.start, s.end, as_role.get(s.label, s.label)), c) for s, c in p.spans()] for p in preds]
    out["events"] = sum(f.span.label == "EVENT" for found in spans for f in found)
    for name in modalities.split(","):
        calls = zero()
        logits = position_head.event_logits
        position_head.event_logits = counted(calls, logits)
        recorder = RecordTagger(tagger, ModalityClassifier(name), "syntax")
        recorder.modes(docs, spans)
        position_head.event_logits = logits
        meta = recorder.modality.meta
        out[f"modality {name}"] = calls | {
            "seconds": round(calls["seconds"], 2),
            "marking": recorder.modality.marking,
            "layers": recorder.modality.model.config.num_hidden_layers,
            "reading": meta.get("reading", "event"),
        }

    parser()
    only = with_actors(docs, spans)
    for what, chosen in (("parse, every sentence", None), ("parse, sentences with an actor", only)):
        started = time.perf_counter()
        parse_documents(docs, only=chosen)
        out[what] = {
            "sentences": sum(map(len, chosen)) if chosen else out["sentences"],
            "seconds": round(time.perf_counter() - started, 2),
        }
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2]), indent=2))
