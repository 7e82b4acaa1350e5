"""How many rows and subwords the modality classifier reads, one event a row against a sentence a
row, the events marked by words (`<<` `>>`) or by token types (docs/records.md, *Every event of
a sentence in one pass*; docs/studies/16-records-speed.md): on its training examples (the
default sources) and on the events the event tagger marks in the first 60 ECB+ test articles.

    .venv/bin/python scripts/modality_rows.py <event model> > results/records/throughput/modality_rows.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from omegaconf import OmegaConf
from transformers import AutoTokenizer

from dateline.data.dataset import Corpus
from dateline.data.readers import data_group
from dateline.paths import CONFIGS, default_corpora_dir, minilm_path
from dateline.runs import register_resolvers
from dateline.tagging.tagger import Tagger
from dateline.training.modality import MARKINGS, READINGS, Example, encode, sources_of, training_examples


def counts(examples: list[Example], tokenizer) -> dict:
    out = {"events": len(examples)}
    for reading in READINGS:
        for marking in MARKINGS:
            rows = encode(examples, tokenizer, reading=reading, marking=marking)["input_ids"]
            out[f"{reading}, {marking}"] = {"rows": len(rows), "subwords": sum(map(len, rows))}
    return out


def main(event_model: str) -> dict:
    register_resolvers()
    corpora = str(default_corpora_dir())
    tokenizer = AutoTokenizer.from_pretrained(minilm_path())
    sources = sources_of(OmegaConf.load(CONFIGS / "modality.yaml"))
    training = training_examples(corpora, None, sources, 0)
    docs = list(Corpus(data_group("ecbplus", [f"corpora={corpora}"])).reader.documents("test"))[:60]
    tagged = Tagger(Path(event_model)).tag_documents(docs)
    events = [
        Example(tuple(w), a, b)
        for doc, pred in zip(docs, tagged)
        for s, _ in pred.spans()
        if s.label == "EVENT"
        for w, a, b in [doc.in_sentence(s.start, s.end)]
    ]
    return {
        "training_examples": counts(training, tokenizer),
        "tagged_events_60_ecbplus_test": counts(events, tokenizer),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), indent=2))
