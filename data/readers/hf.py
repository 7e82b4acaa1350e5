"""A Hugging Face `datasets` dataset: `data=hf data.path=<folder | file | hub name>`.

- a folder written by `save_to_disk` (a `Dataset` or a `DatasetDict`): `datasets.load_from_disk`;
- a `.json` / `.jsonl` / `.parquet` / `.csv` file, or `data.reader.data_files` (one file, a
  list, or `{train: ..., test: ...}`) with `data.reader.builder=json|parquet|csv`:
  `datasets.load_dataset(builder, data_files=...)`;
- anything else is a hub name (`load_dataset(name)`, for users with internet).

Rows are either an article's text and spans on characters (`text`, `spans`: a list of
`{"start", "end", "label"}`) or its words and tags (`tokens`, `tags`: IOB2/BIOES strings, or
ids of a `ClassLabel` feature, whose names are used) — the column names are set in
`data.reader.columns`. In a CSV file a list column is a JSON string. Splits `train`, `dev` (or
`validation`) and `test` are used as given; a plain `Dataset` is one pool split by data.split.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from dateline.data.document import join_tokens
from dateline.data.labels import bio_to_spans
from dateline.data.readers.conll import iob2, valid_tag
from dateline.data.readers.jsonl import span_list
from dateline.data.readers.user import Article, Labeled, UserCorpusReader, to_document
from dateline.errors import DatelineError

BUILDERS = {".json": "json", ".jsonl": "json", ".parquet": "parquet", ".csv": "csv"}
SPLIT_NAMES = {"train": "train", "dev": "dev", "validation": "dev", "valid": "dev", "test": "test"}
COLUMNS = {"id": "id", "text": "text", "spans": "spans", "tokens": "tokens", "tags": "tags"}


class HFReader(UserCorpusReader):
    name = "hf"
    format_name = "datasets"

    def __init__(self, path, *args, builder: str = "auto", data_files=None, columns: Mapping | None = None, **kw):
        self.builder, self.data_files = builder, data_files
        self.columns = {**COLUMNS, **dict(columns or {})}
        super().__init__(path or "hub", *args, **kw)
        self.name_or_path = str(path)

    def local(self) -> bool:
        return self.path.exists() or self.data_files is not None

    def files(self) -> list[Path]:
        if self.data_files is not None:
            files = self.data_files.values() if isinstance(self.data_files, Mapping) else self.data_files
            files = [files] if isinstance(files, str) else files
            return sorted(Path(f) for group in files for f in ([group] if isinstance(group, str) else group))
        if self.path.is_dir():
            return sorted(p for p in self.path.rglob("*") if p.is_file())
        return [self.path] if self.path.is_file() else []

    def dataset(self):
        import datasets

        try:
            if self.path.is_dir() and self.data_files is None:
                if not any((self.path / n).is_file() for n in ("dataset_dict.json", "dataset_info.json", "state.json")):
                    raise DatelineError(
                        "not a folder written by save_to_disk (no dataset_dict.json or state.json); for files "
                        "give data.reader.data_files and data.reader.builder",
                        self.path,
                    )
                return datasets.load_from_disk(str(self.path))
            builder = self.builder
            if builder == "auto":
                builder = BUILDERS.get(self.path.suffix) if self.path.is_file() else None
            if builder:
                return datasets.load_dataset(builder, data_files=self.data_files or str(self.path))
            return datasets.load_dataset(self.name_or_path)
        except DatelineError:
            raise
        except Exception as e:  # datasets' own errors: one line naming what was read
            raise DatelineError(
                f"could not load as a datasets dataset: {type(e).__name__}: {str(e)[:200]}", self.path
            ) from None

    def load(self):
        if self._docs is not None:
            return self._docs
        import datasets

        loaded = self.dataset()
        parts = loaded.items() if isinstance(loaded, datasets.DatasetDict) else [("all", loaded)]
        out, seen = {}, set()
        for split, ds in parts:
            part = SPLIT_NAMES.get(split, "all" if len(parts) == 1 else None)
            if part is None:
                raise DatelineError(f"split {split!r} is none of train, dev/validation, test", self.path)
            docs = []
            for n, row in enumerate(ds):
                article = self.article(row, ds.features, f"{split} row {n}")
                if article.id in seen:
                    raise DatelineError(f"article id {article.id!r} is given twice", self.path, article.where)
                seen.add(article.id)
                doc, _ = to_document(article, self.overlaps)
                doc.meta["part"] = part
                docs.append(doc)
            out[part] = out.get(part, []) + docs
        if not seen:
            raise DatelineError("the dataset holds no rows", self.path)
        self._docs = out
        return out

    def cell(self, row: dict, key: str, where: str):
        value = row.get(self.columns[key])
        if isinstance(value, str) and key in ("spans", "tokens", "tags") and value.lstrip().startswith("["):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise DatelineError(f"column {self.columns[key]!r} is not a JSON list", self.path, where) from None
        return value

    def article(self, row: dict, features, where: str) -> Article:
        c = self.columns
        doc_id = str(row[c["id"]]) if row.get(c["id"]) is not None else where.replace(" row ", ":")
        if c["text"] in row and c["spans"] in row:
            text = self.cell(row, "text", where)
            if not isinstance(text, str):
                raise DatelineError(f"column {c['text']!r} must hold the article's text", self.path, where)
            return Article(doc_id, text, span_list(self.cell(row, "spans", where), self.path, where), self.path, where)
        if c["tokens"] in row and c["tags"] in row:
            words, tags = self.cell(row, "tokens", where), self.cell(row, "tags", where)
            names = tag_names(features, c["tags"])
            if names is not None:
                tags = [names[t] if isinstance(t, int) and 0 <= t < len(names) else t for t in tags or []]
            if not isinstance(words, list) or not isinstance(tags, list) or len(words) != len(tags) or not words:
                raise DatelineError("tokens and tags must be lists of one non-zero length", self.path, where)
            bad = [t for t in tags if not isinstance(t, str) or not valid_tag(t)]
            if bad:
                raise DatelineError(f"tag {bad[0]!r} is not O, B-<type> or I-<type> (or E-/S-)", self.path, where)
            text, tokens, ranges = join_tokens([[str(w) for w in words]])
            spans = [
                Labeled(tokens[s.start].start, tokens[s.end - 1].end, s.label, where) for s in bio_to_spans(iob2(tags))
            ]
            return Article(doc_id, text, spans, self.path, where, tokens, ranges)
        raise DatelineError(
            f"a row needs columns {c['text']!r} and {c['spans']!r}, or {c['tokens']!r} and {c['tags']!r} "
            f"(data.reader.columns); it has {', '.join(row)}",
            self.path,
            where,
        )

    def read_file(self, path: Path, base: Path) -> Iterator[Article]:  # loaded as a whole by `load`
        raise NotImplementedError

    def describe(self) -> str:
        return f"a datasets dataset ({self.name_or_path})"


def tag_names(features, column: str) -> list[str] | None:
    """The names of a `Sequence(ClassLabel)` tags column (its tags are ids), else None."""
    feature = features.get(column) if features is not None else None
    inner = getattr(feature, "feature", None)
    if inner is None and isinstance(feature, list) and feature:
        inner = feature[0]
    return list(inner.names) if hasattr(inner, "names") else None
