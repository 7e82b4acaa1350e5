"""A `data` config made usable (`Corpus`: its reader, its label policy, its documents under a
scheme) and its splits as `datasets.Dataset` rows of words and tags, cached by `datasets`.

A row is one labeled sentence the model reads. Tags are IOB2 strings; a teacher's rows
(`rows_dataset`) use the same shape. `unannotated` names the scheme's types the row's corpus
never marks (ACTOR in TimeML): there `O` means "not an annotated type", and training treats
such a word as O or any of those types (a partial label), not as O. (Whole documents as rows
and the mentions outside the gold sentences as partial labels were measured and dropped:
docs/studies/.)
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import datasets

from dateline.data.document import Document
from dateline.data.labels import LabelScheme, ResolveStats, apply_scheme, spans_to_bio
from dateline.data.readers import SPLITS, reader_from_config
from dateline.errors import DatelineError
from dateline.io import jsonl_objects, read_text

ROW_FEATURES = datasets.Features(
    {
        "id": datasets.Value("string"),
        "words": datasets.Sequence(datasets.Value("string")),
        "tags": datasets.Sequence(datasets.Value("string")),
        "unannotated": datasets.Sequence(datasets.Value("string")),
    }
)
EXTRAS = ("none", "annotated")


def plain(cfg) -> dict:
    """A config node as a plain, resolved dict (what the datasets cache key and a worker get)."""
    from omegaconf import DictConfig, OmegaConf

    if isinstance(cfg, DictConfig):
        return OmegaConf.to_container(cfg, resolve=True)
    return dict(cfg)


class Corpus:
    """One `data` config group: the corpus its reader reads, and the labels it drops."""

    def __init__(self, data_cfg):
        self.cfg = plain(data_cfg)
        self.name = str(self.cfg.get("name") or self.cfg.get("reader", {}).get("_target_", "corpus"))
        self.reader = reader_from_config(self.cfg)
        self.drop = tuple(self.cfg.get("drop_labels") or ())
        self.stats: dict[str, ResolveStats] = {}

    def splits(self) -> tuple[str, ...]:
        return self.reader.splits()

    def documents(self, scheme: LabelScheme, split: str, keep: Iterable[str] = ()) -> list[Document]:
        """The documents of `split` with `doc.spans` set under `scheme` (see `apply_scheme`)."""
        stats = ResolveStats()
        docs = []
        for doc in self.reader.documents(split):
            stats.add(apply_scheme(doc, scheme, self.reader.tagset, self.drop, keep))
            docs.append(doc)
        self.stats[split] = stats
        return docs

    def raw_labels(self) -> set[str]:
        """Every tag the corpus uses, over all its splits, less the dropped ones."""
        found = {m.tag for s in self.splits() for d in self.reader.documents(s) for m in d.meta.get("mentions", [])}
        return {t for t in found if t not in self.drop and "*" not in self.drop}

    def scheme(self, scheme: LabelScheme, known: Mapping[str, list[str]]) -> LabelScheme:
        """`scheme`, or for `labels=from_data` the corpus's own labels as one."""
        if not scheme.from_data:
            return scheme
        labels = self.raw_labels()
        if not labels:
            raise DatelineError(f"labels=from_data: corpus {self.name} holds no labeled spans")
        return scheme.from_labels(labels, known, "")

    def files(self) -> list[Path]:
        return self.reader.files()

    def summary(self, scheme: LabelScheme) -> dict:
        """What results.json says about the data: per split, articles, sentences and spans by
        type; labels dropped (data.drop_labels); how the splits were made; the article ids."""
        out: dict = {"name": self.name, "reader": self.reader.name, "describe": self.reader.describe(), "splits": {}}
        ids = {}
        for split in SPLITS:
            if split not in self.splits():
                continue
            docs = self.documents(scheme, split)
            stats = self.stats[split]
            spans = Counter(s.label for d in docs for s in labeled_spans(d))
            out["splits"][split] = {
                "articles": len(docs),
                "sentences": sum(sum(d.gold) for d in docs),
                "spans": dict(sorted(spans.items())),
                "dropped_labels": dict(sorted(stats.dropped.items())),
                "overlaps_dropped": sum(d.meta.get("overlaps_dropped", 0) for d in docs) + stats.overlaps_dropped,
                "inexact_spans": sum(d.meta.get("inexact_spans", 0) for d in docs),
            }
            ids[split] = [d.id for d in docs]
        how = getattr(self.reader, "split_source", None)
        out["split_source"] = how() if how else "the corpus's own splits"
        skipped = getattr(self.reader, "skipped", None)
        if skipped and skipped():
            out["skipped_files"] = skipped()
        unannotated = getattr(self.reader, "unannotated", None)
        if unannotated:
            out["unannotated_tasks"] = list(unannotated)
        return out | {"ids": ids}


def labeled_spans(doc: Document):
    """The spans inside the document's labeled (gold) sentences."""
    return [s for s in doc.spans if any(a <= s.start < b for a, b in doc.gold_sentences())]


def gold_sentences(docs: list[Document]) -> tuple[list[list[str]], list[list[str]]]:
    """The gold sentences of `docs` as (words, IOB2 tags) pairs of lists: what dev/test scoring reads."""
    words, tags = [], []
    for doc in docs:
        bio = spans_to_bio(len(doc.tokens), doc.spans)
        for (a, b), g in zip(doc.sentences, doc.gold):
            if g:
                words.append(doc.words[a:b])
                tags.append(bio[a:b])
    return words, tags


def labeled_sentences(doc: Document, extra: str = "none") -> list[bool]:
    """Which sentences carry labels: the gold ones, plus (extra="annotated") the non-gold
    sentences that hold at least one mention, taken as complete (they are annotated as densely
    as the gold ones)."""
    if extra not in EXTRAS:
        raise DatelineError(f"data.extra must be one of {', '.join(EXTRAS)}, not {extra!r}")
    flags = list(doc.gold)
    if extra == "annotated":
        starts = {s.start for s in doc.spans}
        for i, (a, b) in enumerate(doc.sentences):
            flags[i] = flags[i] or any(a <= t < b for t in starts)
    return flags


def unannotated_types(doc: Document, scheme: LabelScheme | None) -> list[str]:
    """The scheme's types that none of the document's corpus tags maps to (`meta["tagset"]`, the
    reader's whole tag vocabulary, where the reader declares one; else every type is annotated)."""
    tagset = doc.meta.get("tagset")
    if scheme is None or tagset is None:
        return []
    mapped = {scheme.map(tag) for tag in tagset}
    return [t for t in scheme.entity_types if t not in mapped]


def sentence_rows(docs: list[Document], extra: str = "none", scheme: LabelScheme | None = None) -> Iterator[dict]:
    """One row (id, words, IOB2 tags, unannotated types) per labeled sentence."""
    for doc in docs:
        bio = spans_to_bio(len(doc.tokens), doc.spans)
        unannotated = unannotated_types(doc, scheme)
        for i, ((a, b), on) in enumerate(zip(doc.sentences, labeled_sentences(doc, extra))):
            if on:
                yield {"id": sentence_id(doc, i), "words": doc.words[a:b], "tags": bio[a:b], "unannotated": unannotated}


def sentence_id(doc: Document, i: int) -> str:
    """A sentence's row id: its document's id and its index there, e.g. `12_3ecbplus#4`."""
    return f"{doc.id}#{i}"


def scheme_args(scheme: LabelScheme) -> dict:
    """A scheme as plain arguments (for a datasets generator and its cache key)."""
    return {"name": scheme.name, "types": {k: list(v) for k, v in scheme.types.items()}}


def _generate(data: dict, scheme: dict, split: str, extra: str, fingerprint: str) -> Iterator[dict]:
    # `fingerprint` is unused here: as a generator argument it is part of the datasets cache key
    labels = LabelScheme.from_config(scheme["name"], scheme["types"])
    yield from sentence_rows(Corpus(data).documents(labels, split), extra, labels)


def build_dataset(
    data_cfg, scheme: LabelScheme, split: str, extra: str | None = None, cache_dir: str | None = None
) -> datasets.Dataset:
    """A cached Dataset of one split of a `data` config; the cache key covers the reader's
    options, the corpus files, the scheme and the reader code."""
    from dateline.data.fingerprints import code_fingerprint, data_fingerprint

    data = plain(data_cfg)
    corpus = Corpus(data)
    corpus.reader.check_split(split)
    extra = data.get("extra", "none") if extra is None else extra
    return _rows_from(
        _generate,
        cache_dir,
        data=data,
        scheme=scheme_args(scheme),
        split=split,
        extra=extra,
        fingerprint=data_fingerprint(corpus.files()) + code_fingerprint(),
    )


def _rows_from(generator, cache_dir: str | None, **gen_kwargs) -> datasets.Dataset:
    """A cached Dataset of rows from `generator`; its arguments are the cache key. A reader's
    DatelineError comes out as itself (one line naming the file), not wrapped by `datasets`."""
    try:
        return datasets.Dataset.from_generator(
            generator, features=ROW_FEATURES, cache_dir=cache_dir, gen_kwargs=gen_kwargs
        )
    except datasets.exceptions.DatasetGenerationError as e:
        if isinstance(e.__cause__, DatelineError):
            raise e.__cause__ from None
        raise


def _read_rows(path: str, labels: tuple, fingerprint: str, source: dict | None, scheme: dict | None) -> Iterator[dict]:
    # `fingerprint` is unused here: as a generator argument it is part of the datasets cache key
    allowed = set(labels)
    corpus_words = None  # a row of id and tags only takes its words from the corpus, read once
    for where, row in jsonl_objects(path):
        words, tags = (row.get("words"), row.get("tags")) if isinstance(row, dict) else (None, None)
        if words is None and isinstance(tags, list) and source is not None:
            corpus_words = training_words(source, scheme) if corpus_words is None else corpus_words
            words = corpus_words.get(str(row.get("id")))
            if words is None:
                raise DatelineError(
                    f"{row.get('id')!r} is not a sentence of the training split of corpus {source.get('name')} "
                    "(rows of id and tags take their words from there)",
                    path,
                    where,
                )
        if not isinstance(words, list) or not isinstance(tags, list) or len(words) != len(tags) or not words:
            raise DatelineError(
                "expected {'id', 'words': [...], 'tags': [...]} (or a training sentence's id and its tags) "
                "of one non-zero length",
                path,
                where,
            )
        unknown = sorted(set(tags) - allowed)
        if unknown:
            raise DatelineError(f"tags {unknown} are not labels of this scheme ({', '.join(labels)})", path, where)
        yield {
            "id": str(row.get("id", f"{Path(path).name}#{where.removeprefix('line ')}")),
            "words": words,
            "tags": tags,
            "unannotated": [],
        }


def training_words(source: dict, scheme: dict) -> dict[str, list[str]]:
    """Every training-split sentence's words by row id (`sentence_id`), labeled or not."""
    labels = LabelScheme.from_config(scheme["name"], scheme["types"])
    docs = Corpus(source).documents(labels, "train")
    return {sentence_id(doc, i): doc.words[a:b] for doc in docs for i, (a, b) in enumerate(doc.sentences)}


def meta_path(rows: Path) -> Path:
    """The meta file beside a file of rows (`x.jsonl.gz` -> `x.meta.json`): who made them, how,
    and from which corpus their words come."""
    name = rows.name.removesuffix(".gz").removesuffix(".jsonl")
    return rows.with_name(name + ".meta.json")


def recorded_source(meta: Path, corpora: str | None) -> dict | None:
    """The `data` config of the corpus a file of rows was tagged from, as its meta file records
    it (`source: {"group": <configs/data name>, "overrides": [...]}`), composed against the
    corpora folder `corpora`; None where the file or the key is absent (the rows belong to the
    corpus they are attached to)."""
    if not meta.is_file():
        return None
    try:
        recorded = json.loads(read_text(meta)).get("source")
    except (json.JSONDecodeError, AttributeError):
        raise DatelineError("not a JSON object of the rows' provenance", meta) from None
    if recorded is None:
        return None
    if not isinstance(recorded, dict) or not isinstance(recorded.get("group"), str):
        raise DatelineError(
            '`source` must be {"group": <data group>, "overrides": [...]} (dateline pseudo writes it)', meta
        )
    from dateline.data.readers import data_group

    overrides = list(recorded.get("overrides") or []) + ([f"corpora={corpora}"] if corpora else [])
    return plain(data_group(recorded["group"], overrides))


def rows_dataset(
    path: str | Path,
    labels: Iterable[str],
    cache_dir: str | None = None,
    data_cfg=None,
    scheme: LabelScheme | None = None,
    corpora: str | None = None,
) -> datasets.Dataset:
    """Extra training rows from a JSONL file (.gz read through gzip) of `{"id", "words", "tags"}`
    (IOB2 tags of the scheme's `labels`), e.g. a teacher's pseudo-labels (`tagging/pseudo.py`);
    cached by `datasets`. A row of `{"id", "tags"}` names a training sentence of the corpus the
    file's meta names (`source`), or else of `data_cfg`, the corpus the rows are attached to,
    read with `scheme`, and takes its words from there: a committed file of a teacher's labels
    holds no corpus text."""
    from dateline.data.fingerprints import code_fingerprint, data_fingerprint

    path = Path(path)
    if not path.is_file():
        raise DatelineError("the file of extra training rows does not exist (`make pseudo` writes one)", path)
    meta = meta_path(path)
    source = recorded_source(meta, corpora) or (plain(data_cfg) if data_cfg is not None else None)
    fingerprint = data_fingerprint([path, *([meta] if meta.is_file() else [])]) + code_fingerprint()
    return _rows_from(
        _read_rows,
        cache_dir,
        path=str(path.resolve()),
        labels=tuple(labels),
        fingerprint=fingerprint,
        source=source if scheme is not None else None,
        scheme=scheme_args(scheme) if scheme is not None else None,
    )
