"""doccano's sequence-labeling JSONL (its export, and the import format it reads back): one
article a line, `{"id": ..., "text": ..., "label": [[start, end, "LABEL"], ...]}` with character
offsets into `text`. Older exports write `labels`; a project with relations enabled writes
`"entities": [{"id", "label", "start_offset", "end_offset"}]` instead. Other keys are doccano's
metadata and are kept out of the spans; an `article_id` (written by `make annotate`) names the
article, else doccano's `id`. `data=doccano data.path=<file or folder>`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dateline.data.readers.user import Article, Labeled, UserCorpusReader
from dateline.errors import DatelineError
from dateline.io import jsonl_objects


def doccano_spans(obj: dict, path: Path, where: str) -> list[Labeled]:
    if "entities" in obj:
        raw = obj["entities"]
        if not isinstance(raw, list):
            raise DatelineError('"entities" must be a list of {"label", "start_offset", "end_offset"}', path, where)
        triples = []
        for e in raw:
            if not isinstance(e, dict) or not {"label", "start_offset", "end_offset"} <= set(e):
                raise DatelineError(f'an entity needs "label", "start_offset" and "end_offset": {e!r}', path, where)
            triples.append([e["start_offset"], e["end_offset"], e["label"]])
    else:
        key = "label" if "label" in obj else "labels"
        triples = obj.get(key) or []
        if not isinstance(triples, list):
            raise DatelineError(f'"{key}" must be a list of [start, end, "LABEL"]', path, where)
    out = []
    for t in triples:
        if not (
            isinstance(t, list) and len(t) == 3 and type(t[0]) is int and type(t[1]) is int and isinstance(t[2], str)
        ):
            raise DatelineError(
                f'expected [start, end, "LABEL"] (doccano sequence labeling), got {t!r}; a text classification '
                "export (labels without offsets) is not span annotation",
                path,
                where,
            )
        out.append(Labeled(t[0], t[1], t[2], where))
    return out


def read_doccano(path: Path) -> Iterator[Article]:
    for where, obj in jsonl_objects(path):
        lineno = where.removeprefix("line ")
        if not isinstance(obj, dict) or not isinstance(obj.get("text", obj.get("data")), str):
            raise DatelineError('not a doccano JSONL line (expected an object with a "text" string)', path, where)
        text = obj["text"] if "text" in obj else obj["data"]
        ident = obj.get("article_id", obj.get("id"))  # ours (make annotate) or doccano's own
        doc_id = str(ident) if ident is not None else f"{path.name.split('.')[0]}:{lineno}"
        yield Article(doc_id, text, doccano_spans(obj, path, where), path, where)


class DoccanoReader(UserCorpusReader):
    name = "doccano"
    format_name = "doccano JSONL"
    extensions = (".jsonl", ".json")

    def read_file(self, path: Path, base: Path) -> Iterator[Article]:
        return read_doccano(path)


def doccano_line(article_id: str, text: str, spans, uncertainty: float, rank: int) -> dict:
    """One line of doccano's import format with the model's spans; the other keys (id, rank,
    uncertainty, each span's confidence) are kept by doccano as the example's metadata."""
    ordered = sorted(spans)
    return {
        "article_id": article_id,
        "text": text,
        "label": [[a, b, label] for a, b, label, _ in ordered],
        "rank": rank,
        "uncertainty": round(uncertainty, 4),
        "confidence": [None if c is None else round(c, 4) for *_, c in ordered],
    }
