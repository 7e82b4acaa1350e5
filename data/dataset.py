"""Corpus documents (ECB+, or a CoNLL token file such as cameo_roles) -> `datasets.Dataset`
rows of words and tags, cached by `datasets`.

A row is one labeled sentence the model reads. Tags are IOB2 strings; a teacher's rows
(`rows_dataset`) use the same shape. `unannotated` names the scheme's types the row's corpus
never marks (ACTOR in TimeML): there `O` means "not an annotated type", and training treats
such a word as O or any of those types (a partial label), not as O. (Whole documents as rows and the mentions outside the gold
sentences as partial labels were measured and dropped: docs/studies/.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import datasets

from dateline.data.document import Document
from dateline.data.ecbplus import DEV_TOPICS, TEST_TOPICS, corpus_files, find_corpus, iter_documents, split_of_topic
from dateline.data.labels import LabelScheme, apply_scheme, spans_to_bio
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


READERS = ("ecbplus", "conll", "timeml")


def load_split(
    root: str | Path,
    scheme: LabelScheme,
    split: str,
    dev_topics=DEV_TOPICS,
    test_topics=TEST_TOPICS,
    reader: str = "ecbplus",
    folder: str = "",
    dev_every: int = 10,
) -> list[Document]:
    """Documents of one split with `doc.spans` set under `scheme`: ECB+ split by topic, a CoNLL
    corpus `folder` (data/conll.py: dev is every `dev_every`-th training sentence), or TempEval-3
    (data/timeml.py: dev is every `dev_every`-th TBAQ document, test is TE3-Platinum)."""
    if reader == "conll":
        from dateline.data import conll

        found = conll.iter_documents(Path(root), folder, split, dev_every)
    elif reader == "timeml":
        from dateline.data import timeml

        found = timeml.iter_documents(Path(root), split, dev_every)
    elif reader == "ecbplus":
        found = (
            d for d in iter_documents(Path(root)) if split_of_topic(d.meta["topic"], dev_topics, test_topics) == split
        )
    else:
        raise DatelineError(f"data.reader must be one of {', '.join(READERS)}, not {reader!r}")
    docs = []
    for doc in found:
        apply_scheme(doc, [(m.tag, m.tokens) for m in doc.meta["mentions"]], scheme)
        docs.append(doc)
    return docs


def split_options(data_cfg) -> dict:
    """The split arguments of `load_split` / `build_dataset` from a `data` config group."""
    return {
        "dev_topics": tuple(data_cfg.get("dev_topics") or ()),
        "test_topics": tuple(data_cfg.get("test_topics") or ()),
        "reader": data_cfg.get("reader", "ecbplus"),
        "folder": data_cfg.get("folder", ""),
        "dev_every": int(data_cfg.get("dev_every", 10)),
    }


def has_dev_split(data_cfg) -> bool:
    """Whether the config leaves a dev set to choose on (experiment=final empties it)."""
    options = split_options(data_cfg)
    if options["reader"] in ("conll", "timeml"):
        return options["dev_every"] > 0
    return len(options["dev_topics"]) > 0


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


EXTRAS = ("none", "annotated")


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


def _generate(
    root: str,
    scheme_name: str,
    scheme_types: dict,
    split: str,
    extra: str,
    dev_topics: tuple,
    test_topics: tuple,
    fingerprint: str,
    reader: str = "ecbplus",
    folder: str = "",
    dev_every: int = 10,
) -> Iterator[dict]:
    scheme = LabelScheme.from_config(scheme_name, scheme_types)
    docs = load_split(root, scheme, split, dev_topics, test_topics, reader, folder, dev_every)
    yield from sentence_rows(docs, extra, scheme)


def build_dataset(
    root: str | Path,
    scheme: LabelScheme,
    split: str,
    extra: str = "none",
    dev_topics=DEV_TOPICS,
    test_topics=TEST_TOPICS,
    cache_dir: str | None = None,
    reader: str = "ecbplus",
    folder: str = "",
    dev_every: int = 10,
) -> datasets.Dataset:
    """A cached Dataset for one split; the cache key covers the corpus files and every option."""
    from dateline.data import conll
    from dateline.data.corpora import code_fingerprint, data_fingerprint

    if reader == "conll":
        corpus, files = Path(root), conll.corpus_files(Path(root), folder)
    elif reader == "timeml":
        from dateline.data import timeml

        corpus, files = Path(root), timeml.corpus_files(Path(root))
    else:
        corpus = find_corpus(Path(root))
        files = corpus_files(corpus)
    return _rows_from(
        _generate,
        cache_dir,
        root=str(corpus),
        reader=reader,
        folder=folder,
        dev_every=dev_every,
        scheme_name=scheme.name,
        scheme_types={k: list(v) for k, v in scheme.types.items()},
        split=split,
        extra=extra,
        dev_topics=tuple(dev_topics),
        test_topics=tuple(test_topics),
        fingerprint=data_fingerprint(files) + code_fingerprint(),
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


def _read_rows(path: str, labels: tuple, fingerprint: str, source: dict | None) -> Iterator[dict]:
    # `fingerprint` is unused here: as a generator argument it is part of the datasets cache key
    allowed = set(labels)
    corpus_words = None  # a row of id and tags only takes its words from the corpus, read once
    for where, row in jsonl_objects(path):
        words, tags = (row.get("words"), row.get("tags")) if isinstance(row, dict) else (None, None)
        if words is None and isinstance(tags, list) and source is not None:
            corpus_words = training_words(source) if corpus_words is None else corpus_words
            words = corpus_words.get(str(row.get("id")))
            if words is None:
                raise DatelineError(
                    f"{row.get('id')!r} is not a sentence of the training topics of {source['root']} "
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


def training_words(source: dict) -> dict[str, list[str]]:
    """Every training-split sentence's words by row id (`sentence_id`), labeled or not."""
    scheme = LabelScheme.from_config(source["scheme_name"], source["scheme_types"])
    options = {k: v for k, v in source.items() if k not in ("root", "scheme_name", "scheme_types")}
    docs = load_split(source["root"], scheme, "train", **options)
    return {sentence_id(doc, i): doc.words[a:b] for doc in docs for i, (a, b) in enumerate(doc.sentences)}


def sentence_id(doc: Document, i: int) -> str:
    """A sentence's row id: its document's id and its index there, e.g. `12_3ecbplus#4`."""
    return f"{doc.id}#{i}"


def meta_path(rows: Path) -> Path:
    """The meta file beside a file of rows (`x.jsonl.gz` -> `x.meta.json`): who made them, how,
    and from which corpus their words come."""
    name = rows.name.removesuffix(".gz").removesuffix(".jsonl")
    return rows.with_name(name + ".meta.json")


def recorded_source(meta: Path) -> dict | None:
    """The reading options of the corpus a file of rows was tagged from, as its meta file
    records them (`source`; None where the file or the key is absent: the training data's own)."""
    if not meta.is_file():
        return None
    try:
        recorded = json.loads(read_text(meta)).get("source")
    except (json.JSONDecodeError, AttributeError):
        raise DatelineError("not a JSON object of the rows' provenance", meta) from None
    if recorded is not None and not isinstance(recorded, dict):
        raise DatelineError("`source` must be an object of reading options (reader, dev_every, ...)", meta)
    return {k: tuple(v) if isinstance(v, list) else v for k, v in recorded.items()} if recorded else None


def rows_dataset(
    path: str | Path,
    labels: Iterable[str],
    cache_dir: str | None = None,
    corpus: str | Path | None = None,
    scheme: LabelScheme | None = None,
    **options,
) -> datasets.Dataset:
    """Extra training rows from a JSONL file (.gz read through gzip) of `{"id", "words", "tags"}`
    (IOB2 tags of the scheme's `labels`), e.g. a teacher's pseudo-labels (`tagging/pseudo.py`);
    cached by `datasets`. A row of `{"id", "tags"}` names a training sentence of `corpus` (read
    with `scheme` and the split `options`, or with the `source` that the file's meta names, e.g.
    TBAQ's) and takes its words from there, so a committed file of a teacher's labels holds no
    corpus text."""
    from dateline.data.corpora import code_fingerprint, data_fingerprint

    path = Path(path)
    if not path.is_file():
        raise DatelineError("the file of extra training rows does not exist (`make pseudo` writes one)", path)
    meta = meta_path(path)
    options = recorded_source(meta) or options
    source = None
    if corpus is not None and scheme is not None:
        source = {
            "root": str(corpus),
            "scheme_name": scheme.name,
            "scheme_types": {k: list(v) for k, v in scheme.types.items()},
            **options,
        }
    fingerprint = data_fingerprint([path, *([meta] if meta.is_file() else [])]) + code_fingerprint()
    return _rows_from(
        _read_rows, cache_dir, path=str(path.resolve()), labels=tuple(labels), fingerprint=fingerprint, source=source
    )
