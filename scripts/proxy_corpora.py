"""Two annotated news corpora in brat, each under a guideline that is not ECB+'s, as a user
would hand them over (`train/` and `test/`): the stand-ins Study 15 measures the recipe for
one's own data on (docs/studies/15-own-data.md). Written outside the repository (corpus text
stays out of it), from ../shared/corpora:

- `proxy_meantime/`: MEANTIME English's 60 Wikinews articles, each cut to its annotated head; EVENT =
  its event mentions (not GRAMMATICAL), ACTOR = its PER and ORG entity mentions (innermost,
  data/readers/meantime.py); 40 articles train, 20 test (seeded by article).
- `proxy_wikievents/`: WikiEvents' 40 news articles (Li et al. 2021), whole (its sentences one a
  line); EVENT = the KAIROS event
  triggers, ACTOR = the PER, ORG and GPE entity mentions (heads); dev's 20 train, test's 20 test.

Usage: .venv/bin/python scripts/proxy_corpora.py [--out runs/proxy] [--corpora ../shared/corpora]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from dateline.data.readers.meantime import iter_documents
from dateline.paths import PROJECT_ROOT, default_corpora_dir


def write_pair(folder: Path, name: str, text: str, spans: list[tuple[int, int, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
    lines = [f"T{k}\t{label} {a} {b}\t{text[a:b]}" for k, (a, b, label) in enumerate(sorted(set(spans)), start=1)]
    (folder / f"{name}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


def meantime(root: Path, out: Path, seed: int = 0) -> None:
    docs = list(iter_documents(root))
    ids = sorted(d.id for d in docs)
    random.Random(seed).shuffle(ids)
    test = set(ids[:20])
    for doc in docs:
        last = max(b for (a, b), g in zip(doc.sentences, doc.gold) if g)
        end = doc.tokens[last - 1].end
        spans = [(*s.char_span(doc), s.label) for s in doc.spans if s.label in ("EVENT", "ACTOR") and s.end <= last]
        write_pair(out / ("test" if doc.id in test else "train"), doc.id, doc.text[:end] + "\n", spans)


def wikievents(root: Path, out: Path) -> None:
    for split, part in (("dev", "train"), ("test", "test")):
        for line in (root / "wikievents" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            # the file's character offsets drift from its `text` after the first sentence, so the
            # text is laid out again: the sentences, one a line, each token found in its sentence
            text, offsets = "", []
            for sentence, sentence_text in d["sentences"]:
                pos = 0
                for token, _, _ in sentence:
                    pos = sentence_text.index(token, pos)
                    offsets.append((len(text) + pos, len(text) + pos + len(token)))
                    pos += len(token)
                text += sentence_text + "\n"
            spans = [
                (offsets[m["start"]][0], offsets[m["end"] - 1][1], "ACTOR")
                for m in d["entity_mentions"]
                if m["entity_type"] in ("PER", "ORG", "GPE")
            ]
            spans += [
                (offsets[e["trigger"]["start"]][0], offsets[e["trigger"]["end"] - 1][1], "EVENT")
                for e in d["event_mentions"]
            ]
            # the leftmost-longest of overlapping spans (a trigger inside a name, rare)
            kept: list[tuple[int, int, str]] = []
            for s in sorted(set(spans), key=lambda s: (s[0], s[0] - s[1])):
                if all(s[1] <= k[0] or k[1] <= s[0] for k in kept):
                    kept.append(s)
            write_pair(out / part, d["doc_id"], text, kept)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(PROJECT_ROOT / "runs" / "proxy"))
    ap.add_argument("--corpora", default=default_corpora_dir())
    args = ap.parse_args()
    out, root = Path(args.out), Path(args.corpora)
    meantime(root, out / "proxy_meantime")
    wikievents(root, out / "proxy_wikievents")
    for name in ("proxy_meantime", "proxy_wikievents"):
        n = {p: len(list((out / name / p).glob("*.txt"))) for p in ("train", "test")}
        print(f"{out / name}: {n['train']} train, {n['test']} test articles")


if __name__ == "__main__":
    main()
