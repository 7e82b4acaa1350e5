"""ECB+ reader: CAT XML files into `Document`s with raw (tag, token indices) mentions.

ECB+ (Cybulska & Vossen, LREC 2014) annotates only a selection of sentences completely; the
list is `ECBplus_coreference_sentences.csv`. Sentences outside it are marked `gold=False`:
their few mentions are kept in `Document.meta["mentions"]` but are not complete labels.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from dateline.data.document import Document
from dateline.data.readers import Reader
from dateline.data.readers.cat_xml import read_cat
from dateline.errors import CorpusNotFoundError, DatelineError

GOLD_SENTENCES = "ECBplus_coreference_sentences.csv"
DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)
TEST_TOPICS = tuple(range(36, 46))
# every tag of the ECB+ guideline (NWR-2014-1): a label scheme may map some of them (events_actors
# leaves locations and times out); a tag outside this list is refused as a corrupt corpus file
TAGSET = tuple(
    [
        f"{neg}ACTION_{c}"
        for neg in ("", "NEG_")
        for c in ("OCCURRENCE", "PERCEPTION", "REPORTING", "ASPECTUAL", "STATE", "CAUSATIVE", "GENERIC")
    ]
    + ["HUMAN_PART"]
    + [f"HUMAN_PART_{c}" for c in ("PER", "ORG", "GPE", "FAC", "VEH", "MET", "GENERIC")]
    + ["NON_HUMAN_PART", "NON_HUMAN_PART_GENERIC", "LOC_GEO", "LOC_FAC", "LOC_OTHER"]
    + ["TIME_DATE", "TIME_OF_THE_DAY", "TIME_DURATION", "TIME_REPETITION"]
)


def split_of_topic(topic: int, dev: Iterable[int] = DEV_TOPICS, test: Iterable[int] = TEST_TOPICS) -> str:
    """The topic split of the ECB+ literature: dev and test topics listed, train the rest."""
    if topic in set(test):
        return "test"
    if topic in set(dev):
        return "dev"
    return "train"


def topic_of(name: str) -> int:
    """ECB+ file and document names start with their topic: '36_10ecbplus' -> 36."""
    return int(name.split("_")[0])


def read_gold_sentences(path: Path) -> dict[str, set[int]]:
    """`ECBplus_coreference_sentences.csv` -> {document id: {sentence numbers}}."""
    gold: dict[str, set[int]] = defaultdict(set)
    try:
        with path.open(newline="", encoding="utf-8") as f:
            for lineno, row in enumerate(csv.reader(f), start=1):
                if lineno == 1 or not row:
                    continue
                if len(row) != 3 or not row[2].strip().isdigit():
                    raise DatelineError(f"expected 'Topic,File,Sentence Number', got {row!r}", path, f"line {lineno}")
                gold[f"{row[0].strip()}_{row[1].strip()}"].add(int(row[2]))
    except FileNotFoundError:
        raise CorpusNotFoundError("the list of gold sentences is missing", path) from None
    return dict(gold)


def read_document(path: Path, gold_sentences: set[int] | None = None) -> Document:
    """One CAT XML file -> a Document (text rebuilt from tokens) with its raw mentions in meta."""
    cat = read_cat(path)
    gold_set = gold_sentences or set()
    return cat.document(
        path.stem,
        gold=[s in gold_set for s in cat.sentence_ids],
        meta={"topic": topic_of(path.stem), "mentions": cat.mentions, "tagset": TAGSET},
    )


def find_corpus(root: Path) -> Path:
    """Accept the corpora folder or the ECB+ folder itself; say clearly where we looked."""
    for candidate in (root / "ecbplus", root):
        if (candidate / GOLD_SENTENCES).is_file() and (candidate / "ECB+").is_dir():
            return candidate
    from dateline.paths import candidate_dirs

    looked = [str(root)] + [str(c) for c in candidate_dirs() if c != root]
    raise CorpusNotFoundError(
        f"ECB+ not found (looked for ecbplus/{GOLD_SENTENCES} and ecbplus/ECB+/ in: {', '.join(looked)}). "
        "Point corpora=<folder> or $DATELINE_CORPORA at a copy, or run `make data` to download it",
        root,
    )


def corpus_files(root: Path) -> list[Path]:
    """Every file the ECB+ reader reads: the CAT XML documents and the gold-sentence list."""
    corpus = find_corpus(root)
    return list((corpus / "ECB+").glob("*/*.xml")) + [corpus / GOLD_SENTENCES]


def iter_documents(root: Path, topics: Iterable[int] | None = None) -> Iterator[Document]:
    """All ECB+ documents under `root` in a stable order (topic, then file name)."""
    corpus = find_corpus(root)
    gold = read_gold_sentences(corpus / GOLD_SENTENCES)
    wanted = None if topics is None else set(topics)
    topic_dirs = sorted(
        (d for d in (corpus / "ECB+").iterdir() if d.is_dir() and d.name.isdigit()), key=lambda d: int(d.name)
    )
    if not topic_dirs:
        raise CorpusNotFoundError("no topic folders in ECB+", corpus / "ECB+")
    for d in topic_dirs:
        if wanted is not None and int(d.name) not in wanted:
            continue
        for path in sorted(d.glob("*.xml")):
            yield read_document(path, gold.get(path.stem, set()))


class EcbPlusReader(Reader):
    """ECB+ split by topic (`dev_topics`, `test_topics`; the rest trains): `data=ecbplus`."""

    name = "ecbplus"
    tagset = TAGSET

    def __init__(self, root: str | Path, dev_topics=DEV_TOPICS, test_topics=TEST_TOPICS):
        self.root = Path(root)
        self.dev_topics, self.test_topics = tuple(dev_topics or ()), tuple(test_topics or ())
        self._docs: list[Document] | None = None  # parsed once: a run reads several splits

    def splits(self) -> tuple[str, ...]:
        return ("train",) + (("dev",) if self.dev_topics else ()) + (("test",) if self.test_topics else ())

    def documents(self, split: str) -> Iterator[Document]:
        self.check_split(split)
        if self._docs is None:
            self._docs = list(iter_documents(self.root))
        for doc in self._docs:
            if split_of_topic(doc.meta["topic"], self.dev_topics, self.test_topics) == split:
                yield doc

    def files(self) -> list[Path]:
        return corpus_files(self.root)

    def describe(self) -> str:
        return "ECB+ (Cybulska & Vossen 2014), split by topic"
