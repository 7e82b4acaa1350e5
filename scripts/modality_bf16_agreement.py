"""The modality classifier's bf16 copy against fp32 (docs/records.md): how often the two give an
event the same mode, and the time each takes, over every event the tagger finds in the ECB+ test
articles (the articles `scripts/records_throughput.py` writes).

    .venv/bin/python scripts/modality_bf16_agreement.py <event model> <modality model> <articles.jsonl> [n]
"""

from __future__ import annotations

import json
import sys
import time

from dateline.data.text import document_from_text
from dateline.tagging.modality import ModalityClassifier
from dateline.tagging.records import role_labels
from dateline.tagging.tagger import Tagger


def main(model: str, modality: str, articles: str, n: int) -> dict:
    docs = [document_from_text(r["id"], r["text"]) for r in map(json.loads, open(articles))][:n]
    tagger = Tagger(model)
    event = next(label for label, role in role_labels(tagger.meta).items() if role == "EVENT")
    events = [
        doc.in_sentence(s.start, s.end)
        for doc, pred in zip(docs, tagger.tag_documents(docs))
        for s, _ in pred.spans()
        if s.label == event
    ]
    out = {"articles": len(docs), "events": len(events)}
    modes = {}
    for precision in ("fp32", "bf16"):
        classifier = ModalityClassifier(modality, precision=precision)
        start = time.perf_counter()
        modes[precision] = [m for m, _ in classifier.classify(events)]
        out[f"{precision}_seconds"] = round(time.perf_counter() - start, 1)
    out["same_mode"] = round(sum(a == b for a, b in zip(modes["fp32"], modes["bf16"])) / max(1, len(events)), 4)
    return out


if __name__ == "__main__":
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
    print(json.dumps(main(sys.argv[1], sys.argv[2], sys.argv[3], n), indent=2))
