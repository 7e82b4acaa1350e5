"""Raw articles to tag (`make predict FILE=`, `make annotate INPUT=`): a `.txt` as pasted from a
news site (with its brat `.ann` beside it, if any), a `.jsonl` of `{"id", "text"}` lines (spans
optional), or a folder of `.txt` files. The text is kept exactly as given, so every offset a
tagger returns indexes it; a text that is not UTF-8 is refused naming the file and the byte.
"""

from __future__ import annotations

from pathlib import Path

from dateline.data.document import CharSpan, Document
from dateline.data.readers.brat import read_pair
from dateline.data.readers.jsonl import read_jsonl
from dateline.data.readers.user import Article, checked_spans
from dateline.data.text import document_from_text
from dateline.errors import DatelineError


def as_document(article: Article) -> Document:
    spans, _ = checked_spans(article, "longest")
    meta = {"char_spans": [CharSpan(s.start, s.end, s.label) for s in spans], "source": str(article.path)}
    return document_from_text(article.id, article.text, meta)


def read_any(path: Path) -> list[Document]:
    """A .txt (with its .ann when present), a .jsonl, or a folder of .txt articles."""
    if path.is_dir():
        txts = sorted(p for p in path.rglob("*.txt") if not p.name.startswith("."))
        if not txts:
            raise DatelineError("no .txt articles here", path)
        return [as_document(read_pair(p, p.relative_to(path).with_suffix("").as_posix())) for p in txts]
    if not path.is_file():
        raise DatelineError("no such file", path)
    if path.name.endswith((".jsonl", ".jsonl.gz")):
        return [as_document(a) for a in read_jsonl(path)]
    return [as_document(read_pair(path))]
