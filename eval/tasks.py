"""Benchmark tasks: a named, versioned set of gold documents and the segments to score.

A task hands back gold documents (spans under the model's label scheme) and which sentences
are scored; `evaluate.run_task` tags them and scores them the same way for every task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from data.corpora import data_fingerprint
from data.document import Document
from data.ecbplus import DEV_TOPICS, TEST_TOPICS, find_corpus
from data.labels import LabelScheme


@dataclass
class EcbPlusTask:
    """ECB+ gold sentences of one topic split (test by default)."""

    name: str = "ecbplus_test"
    version: int = 1
    split: str = "test"
    corpora: str = ""
    dev_topics: list[int] = field(default_factory=lambda: list(DEV_TOPICS))
    test_topics: list[int] = field(default_factory=lambda: list(TEST_TOPICS))

    def documents(self, scheme: LabelScheme) -> list[Document]:
        from data.dataset import load_split

        return [
            d for d in load_split(self.corpora, scheme, self.split, self.dev_topics, self.test_topics) if any(d.gold)
        ]

    def fingerprint(self) -> str:
        corpus = find_corpus(Path(self.corpora))
        return data_fingerprint(
            list((corpus / "ECB+").glob("*/*.xml")) + [corpus / "ECBplus_coreference_sentences.csv"]
        )
