"""Benchmark tasks: a named, versioned set of gold documents with a fingerprint of its data.

Every task hands back `Document`s whose `gold` flags mark the scored sentences and whose
`char_spans()` are the gold spans on characters; `evaluate.run_task` tags and scores them all
the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dateline.data.document import CharSpan, Document
from dateline.data.ecbplus import DEV_TOPICS, TEST_TOPICS, corpus_files
from dateline.data.labels import LabelScheme
from dateline.errors import DatelineError


@dataclass
class EcbPlusTask:
    """ECB+ gold sentences of one topic split (test by default), under the model's scheme."""

    name: str = "ecbplus_test"
    version: int = 1
    split: str = "test"
    corpora: str = ""
    dev_topics: list[int] = field(default_factory=lambda: list(DEV_TOPICS))
    test_topics: list[int] = field(default_factory=lambda: list(TEST_TOPICS))
    token_based: bool = True

    def documents(self, scheme: LabelScheme) -> list[Document]:
        from dateline.data.dataset import load_split

        docs = load_split(self.corpora, scheme, self.split, self.dev_topics, self.test_topics)
        return [d for d in docs if any(d.gold)]

    def files(self) -> list[Path]:
        return corpus_files(Path(self.corpora))


@dataclass
class MeantimeTask:
    """MEANTIME English: the annotated head of each Wikinews article (see data/meantime.py)."""

    name: str = "meantime_en"
    version: int = 1
    corpora: str = ""
    token_based: bool = True

    def documents(self, scheme: LabelScheme) -> list[Document]:
        from dateline.data.meantime import iter_documents

        return list(iter_documents(Path(self.corpora)))

    def files(self) -> list[Path]:
        root = Path(self.corpora)
        corpus = root / "meantime_en" if (root / "meantime_en").is_dir() else root
        return sorted(corpus.glob("intra-doc_annotation/*/*.xml"))


@dataclass
class ConllTask:
    """One split of a CoNLL token corpus (data/conll.py), e.g. the cameo_roles test sentences."""

    name: str = "cameo_roles_test"
    version: int = 1
    folder: str = "cameo_roles"
    split: str = "test"
    corpora: str = ""
    dev_every: int = 10
    token_based: bool = True

    def documents(self, scheme: LabelScheme) -> list[Document]:
        from dateline.data.dataset import load_split

        return load_split(
            self.corpora, scheme, self.split, reader="conll", folder=self.folder, dev_every=self.dev_every
        )

    def files(self) -> list[Path]:
        from dateline.data.conll import corpus_files

        return corpus_files(Path(self.corpora), self.folder)


@dataclass
class TimeMLTask:
    """TE3-Platinum (data/timeml.py): the TempEval-3 test articles, events only. Scored with
    dateline's schemas and, beside them, the task's official figures (eval/te3.py). A model with
    the TimeML classes is scored on them; any other model's EVENT spans on events as one type."""

    name: str = "te3_platinum"
    version: int = 1
    corpora: str = ""
    token_based: bool = True
    official: str = "te3"

    def gold_scheme(self, scheme: LabelScheme) -> LabelScheme:
        if scheme.knows("EVENT_OCCURRENCE"):
            return scheme
        return LabelScheme.from_config("events", {"EVENT": ["EVENT_*"]})

    def documents(self, scheme: LabelScheme) -> list[Document]:
        from dateline.data.dataset import load_split

        return load_split(self.corpora, self.gold_scheme(scheme), "test", reader="timeml")

    def scored_types(self, scheme: LabelScheme) -> set[str]:
        """Only the types TimeML can mark count (events): it marks no participants."""
        from dateline.data.timeml import TAGSET

        gold = self.gold_scheme(scheme)
        return {gold.map(tag) for tag in TAGSET} - {None}

    def files(self) -> list[Path]:
        from dateline.data.timeml import PLATINUM, PLATINUM_TOKENS, corpus_dir

        return [corpus_dir(Path(self.corpora)) / PLATINUM / PLATINUM_TOKENS]


@dataclass
class BratFolderTask:
    """Every brat pair (.txt + .ann) under a folder: raw articles scored on characters.

    A gold label that no label scheme knows is refused (a typo must not vanish); one the model
    was not trained on is kept and reported as such."""

    name: str = "heldout"
    version: int = 1
    folder: str = ""
    corpora: str = ""
    known_labels: list[str] = field(default_factory=list)
    token_based: bool = False

    def documents(self, scheme: LabelScheme) -> list[Document]:
        from dateline.data.articles import read_brat_folder

        if not self.folder:
            raise DatelineError(f"task {self.name}: no folder given (for `articles`, pass ARTICLES=<folder>)")
        docs = read_brat_folder(Path(self.folder))
        known = set(self.known_labels) | set(scheme.entity_types)
        for doc in docs:
            mapped = []
            for s in doc.meta["char_spans"]:
                if s.label not in known and scheme.map(s.label) is None:
                    raise DatelineError(
                        f"label {s.label!r} (offsets {s.start}-{s.end}) is in no label scheme; "
                        f"known labels: {', '.join(sorted(known))}",
                        Path(doc.meta["source"]).with_suffix(".ann"),
                    )
                mapped.append(CharSpan(s.start, s.end, scheme.map(s.label) or s.label))
            doc.meta["char_spans"] = sorted(set(mapped))
        return docs

    def files(self) -> list[Path]:
        folder = Path(self.folder)
        return sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".ann")) if folder.is_dir() else []


def fingerprint(task) -> str:
    """sha256 over the names and bytes of every file the task reads."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted(task.files()):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]
