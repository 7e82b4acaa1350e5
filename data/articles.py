"""Raw articles in: plain text, brat standoff pairs (.txt + .ann) and JSONL.

Gold spans stay as character offsets into the text as given (`Document.meta["char_spans"]`),
so scoring is on characters, whatever the tokenization. Every problem names the file and the
line: a text that is not UTF-8, offsets outside the text, span text that does not match.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dateline.data.document import CharSpan, Document
from dateline.data.text import document_from_text
from dateline.errors import DatelineError
from dateline.io import jsonl_objects


def read_text(path: Path) -> str:
    """UTF-8, or refused with the offset of the first bad byte. Nothing is changed (line endings
    and a byte-order mark stay), so offsets index the decoded file exactly."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DatelineError(
            f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); convert it to UTF-8", path
        ) from None
    return text


BRAT_IDS = "TREAMN#*"  # text-bound, relation, event, attribute, normalization, note, equiv


def file_lines(text: str) -> list[str]:
    """Lines as a file has them: split at \\n only (a \\r\\n ending loses its \\r). `str.splitlines`
    also breaks at \\r, U+0085 and U+2028 inside a line, which an article's text may hold."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def parse_ann(text: str, ann: str, path: Path) -> list[CharSpan]:
    """brat standoff text-bound annotations (T lines); a discontinuous one (`a b;c d`) gives one
    span per fragment. Relations, events, attributes and notes are not spans and are skipped; a
    line that is none of brat's (often the rest of a span text broken by a line break) is refused."""
    spans = []
    for lineno, line in enumerate(file_lines(ann), start=1):
        if line.strip() and line[0] not in BRAT_IDS:
            raise DatelineError(
                f"not a brat annotation line (ids start with one of {BRAT_IDS}): {line[:60]!r}; "
                "a span's text may not hold a line break",
                path,
                f"line {lineno}",
            )
        if not line.startswith("T"):
            continue
        parts = line.split("\t", 2)  # the text may hold tabs itself
        if len(parts) < 2 or " " not in parts[1]:
            raise DatelineError(
                f"expected 'T<n>\\t<LABEL> <start> <end>\\t<text>', got {line[:60]!r}", path, f"line {lineno}"
            )
        label, _, offsets = parts[1].partition(" ")
        fragments = []
        for frag in offsets.split(";"):
            try:
                start, end = (int(x) for x in frag.split())
            except ValueError:
                raise DatelineError(f"bad offsets {frag!r}", path, f"line {lineno}") from None
            if not 0 <= start < end <= len(text):
                raise DatelineError(
                    f"offsets {start}-{end} fall outside the text ({len(text)} characters)", path, f"line {lineno}"
                )
            fragments.append((start, end))
        if len(parts) >= 3:
            expected = " ".join(text[a:b] for a, b in fragments)
            if parts[2] != expected and parts[2].split() != expected.split():
                raise DatelineError(
                    f"span text {parts[2]!r} does not match the text {expected!r}", path, f"line {lineno}"
                )
        spans += [CharSpan(a, b, label) for a, b in fragments]
    return sorted(set(spans))


def read_brat(txt: Path) -> Document:
    ann = txt.with_suffix(".ann")
    text = read_text(txt)
    spans = parse_ann(text, read_text(ann), ann) if ann.is_file() else []
    return document_from_text(txt.stem, text, {"char_spans": spans, "source": str(txt)})


def read_brat_folder(folder: Path) -> list[Document]:
    """Every .txt with an .ann beside it, in name order."""
    if not folder.is_dir():
        raise DatelineError("folder of brat articles does not exist", folder)
    pairs = [p for p in sorted(folder.rglob("*.txt")) if p.with_suffix(".ann").is_file()]
    if not pairs:
        raise DatelineError("no brat pairs (.txt with an .ann beside it) here", folder)
    return [read_brat(p) for p in pairs]


def read_jsonl(path: Path) -> Iterator[Document]:
    """`{"id", "text", "spans": [{"start", "end", "label"}]}` per line; blank lines are skipped."""
    for where, obj in jsonl_objects(path, read_text(path)):
        lineno = where.removeprefix("line ")
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise DatelineError('expected an object with a "text" string', path, f"line {lineno}")
        text = obj["text"]
        spans = []
        for s in obj.get("spans") or []:
            try:
                start, end, label = int(s["start"]), int(s["end"]), str(s["label"])
            except (KeyError, TypeError, ValueError):
                raise DatelineError(
                    f"span needs integer start, end and a label: {s!r}", path, f"line {lineno}"
                ) from None
            if not 0 <= start < end <= len(text):
                raise DatelineError(
                    f"span {start}-{end} falls outside the text ({len(text)} characters)", path, f"line {lineno}"
                )
            spans.append(CharSpan(start, end, label))
        doc_id = str(obj.get("id", f"{path.stem}:{lineno}"))
        yield document_from_text(doc_id, text, {"char_spans": sorted(set(spans)), "source": f"{path}:{lineno}"})


def read_any(path: Path) -> list[Document]:
    """A .txt (with its .ann when present), a .jsonl, or a folder of brat pairs."""
    if path.is_dir():
        return read_brat_folder(path)
    if not path.is_file():
        raise DatelineError("no such file", path)
    if path.suffix == ".jsonl":
        return list(read_jsonl(path))
    return [read_brat(path)]
