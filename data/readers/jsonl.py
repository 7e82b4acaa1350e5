"""Span JSONL, one article a line: `{"id": ..., "text": ..., "spans": [{"start", "end", "label"}]}`
with character offsets into `text` (end exclusive) — the format `make eval ARTICLES=` and
`make predict FORMAT=json` use. `data=jsonl data.path=<file or folder>`; `train.jsonl`,
`dev.jsonl`, `test.jsonl` beside each other where the user has them. Blank lines are skipped; a
missing id is `<file>:<line>`; `.jsonl.gz` is read through gzip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dateline.data.readers.user import Article, Labeled, UserCorpusReader
from dateline.errors import DatelineError
from dateline.io import jsonl_objects


def span_list(raw, path: Path, where: str) -> list[Labeled]:
    """`[{"start", "end", "label"}, ...]` checked for shape (offsets are checked by the caller)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DatelineError(
            f'"spans" must be a list of {{"start", "end", "label"}}, not {type(raw).__name__}', path, where
        )
    out = []
    for s in raw:
        try:
            start, end, label = s["start"], s["end"], s["label"]
        except (KeyError, TypeError):
            raise DatelineError(f"a span needs start, end and label: {s!r}", path, where) from None
        if not (type(start) is int and type(end) is int and isinstance(label, str)):
            raise DatelineError(f"a span needs integer start and end and a string label: {s!r}", path, where)
        out.append(Labeled(start, end, label, where))
    return out


def read_jsonl(path: Path, base: Path | None = None) -> Iterator[Article]:
    for where, obj in jsonl_objects(path):
        lineno = where.removeprefix("line ")
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise DatelineError('expected an object with a "text" string', path, where)
        doc_id = str(obj["id"]) if obj.get("id") is not None else f"{path.name.split('.')[0]}:{lineno}"
        yield Article(doc_id, obj["text"], span_list(obj.get("spans"), path, where), path, where)


class JsonlReader(UserCorpusReader):
    name = "jsonl"
    format_name = "span JSONL"
    extensions = (".jsonl", ".jsonl.gz")

    def read_file(self, path: Path, base: Path) -> Iterator[Article]:
        return read_jsonl(path, base)
