"""Benchmark tasks: one split of a corpus, read as its `data` config reads it, versioned and
fingerprinted.

There is one task class: a corpus (any reader, data/readers/) and a split. ECB+ test, MEANTIME,
TE3-Platinum, cameo_roles test, the held-out article, your own brat folder (`make eval
ARTICLES=`) and the test split of the corpus a run trained on (`data.task`, added by the
evaluation that follows training) are all `CorpusTask`s; a corpus with an official scorer names
it as a hook (`official`: TE3-Platinum's TempEval-3 figures, eval/te3.py). Every task hands back
`Document`s whose `gold` flags mark the scored sentences and whose `char_spans()` are the gold
spans on characters; `evaluate.run_task` tags and scores them all the same way.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dateline.data.dataset import Corpus
from dateline.data.document import Document
from dateline.data.labels import LabelScheme, known_labels
from dateline.paths import CONFIGS


def label_configs() -> list[Path]:
    return sorted((CONFIGS / "labels").glob("*.yaml"))


@dataclass
class CorpusTask:
    """The gold documents of one split of a corpus (`split: all` for every document), under
    the model's scheme. In a user's annotations (a reader without a fixed tagset) a gold label
    the model was not trained on is kept under its own name where a label scheme knows it
    (reported as not trained) and one no scheme knows is refused; a guideline's tags the scheme
    leaves out (ECB+'s LOC_GEO under events_actors) are not scored."""

    name: str
    data: dict = field(default_factory=dict)
    split: str = "test"
    version: int = 1
    # per-token seqeval beside the span scores (corpora tokenized by their annotation)
    token_based: bool = False
    # "module:function" scoring the task's rows officially (fn(rows, task_types) -> dict)
    official: str | None = None

    def corpus(self) -> Corpus:
        return Corpus(self.data)

    def documents(self, scheme: LabelScheme) -> list[Document]:
        corpus = self.corpus()
        keep = set(known_labels(label_configs())) if corpus.reader.tagset is None else set()
        splits = corpus.splits() if self.split == "all" else (self.split,)
        docs = [d for split in splits for d in corpus.documents(scheme, split, keep)]
        return [d for d in docs if any(d.gold)]

    def scored_types(self, scheme: LabelScheme) -> set[str] | None:
        """The model's types this corpus annotates at all (a corpus whose guideline marks no
        participants cannot score a predicted actor), or None: every type."""
        tagset = self.corpus().reader.tagset
        if tagset is None:
            return None
        return {scheme.map(tag) or tag for tag in tagset} & set(scheme.entity_types) or None

    def official_scorer(self) -> Callable | None:
        if not self.official:
            return None
        module, _, fn = self.official.partition(":")
        return getattr(importlib.import_module(module), fn)

    def files(self) -> list[Path]:
        return self.corpus().files()


def fingerprint(task) -> str:
    """sha256 over the names and bytes of every file the task reads."""
    h = hashlib.sha256()
    for p in sorted(task.files()):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]
