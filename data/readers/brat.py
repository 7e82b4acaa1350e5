"""brat standoff (https://brat.nlplab.org/standoff.html): `a.txt` and `a.ann` side by side, the
text-bound annotations `T<n>\\t<LABEL> <start> <end>[;<start> <end>...]\\t<text>` at character
offsets into the .txt exactly as given (a discontinuous one gives a span per fragment).
Relations, events, attributes, normalizations and notes are not spans and are passed over; a
line that is none of brat's (the rest of a span text broken by a line break) is refused.

`data=brat data.path=<folder>`: every `.txt` with an `.ann` beside it (a `.txt` without one is
not an annotated article: skipped and listed in results.json); `train/`, `dev/`, `test/`
subfolders where the user has them. An article's id is its path in its folder, no suffix.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dateline.data.readers.user import Article, Labeled, UserCorpusReader
from dateline.errors import DatelineError
from dateline.io import read_text

BRAT_IDS = "TREAMN#*"  # text-bound, relation, event, attribute, normalization, note, equiv


def file_lines(text: str) -> list[str]:
    """Lines as a file has them: split at \\n only (a \\r\\n ending loses its \\r). `str.splitlines`
    also breaks at \\r, U+0085 and U+2028 inside a line, which an article's text may hold."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def parse_ann(text: str, ann: str, path: Path) -> list[Labeled]:
    """The text-bound annotations of an .ann file, checked against the text they index."""
    spans = []
    for lineno, line in enumerate(file_lines(ann), start=1):
        where = f"line {lineno}"
        if line.strip() and line[0] not in BRAT_IDS:
            raise DatelineError(
                f"not a brat annotation line (ids start with one of {BRAT_IDS}): {line[:60]!r}; "
                "a span's text may not hold a line break",
                path,
                where,
            )
        if not line.startswith("T"):
            continue
        parts = line.split("\t", 2)  # the text may hold tabs itself
        if len(parts) < 2 or " " not in parts[1]:
            raise DatelineError(f"expected 'T<n>\\t<LABEL> <start> <end>\\t<text>', got {line[:60]!r}", path, where)
        label, _, offsets = parts[1].partition(" ")
        fragments = []
        for frag in offsets.split(";"):
            try:
                start, end = (int(x) for x in frag.split())
            except ValueError:
                raise DatelineError(f"bad offsets {frag!r}", path, where) from None
            if not 0 <= start < end <= len(text):
                raise DatelineError(
                    f"offsets {start}-{end} fall outside the text ({len(text)} characters)", path, where
                )
            fragments.append((start, end))
        if len(parts) >= 3:
            expected = " ".join(text[a:b] for a, b in fragments)
            if parts[2] != expected and parts[2].split() != expected.split():
                raise DatelineError(f"span text {parts[2]!r} does not match the text {expected!r}", path, where)
        spans += [Labeled(a, b, label, where) for a, b in fragments]
    return spans


def read_pair(txt: Path, doc_id: str | None = None) -> Article:
    """One .txt and its .ann (none: no spans) as an article."""
    ann = txt.with_suffix(".ann")
    text = read_text(txt)
    spans = parse_ann(text, read_text(ann), ann) if ann.is_file() else []
    return Article(doc_id or txt.stem, text, spans, ann if ann.is_file() else txt, text_path=txt)


class BratReader(UserCorpusReader):
    name = "brat"
    format_name = "brat"
    extensions = (".txt",)
    files_hint = "brat pairs (.txt with an .ann beside it)"

    def is_source(self, path: Path) -> bool:
        return path.suffix == ".txt" and path.is_file() and path.with_suffix(".ann").is_file()

    def skipped(self) -> list[str]:
        """The .txt files without an .ann: not annotated articles (listed in results.json)."""
        return sorted(
            str(p)
            for sources in self.part_sources().values()
            for s in sources
            if s.is_dir()
            for p in s.rglob("*.txt")
            if not p.with_suffix(".ann").is_file()
        )

    def files(self) -> list[Path]:
        txts = super().files()
        return sorted(txts + [t.with_suffix(".ann") for t in txts])

    def read_file(self, path: Path, base: Path) -> Iterator[Article]:
        path = path.with_suffix(".txt")  # data.path may name one pair by its .ann
        rel = path.relative_to(base) if path.is_relative_to(base) else Path(path.name)
        yield read_pair(path, rel.with_suffix("").as_posix())


def ann_text(text: str, spans: list[tuple[int, int, str, float | None]]) -> str:
    """An .ann of text-bound spans, each with its confidence as an AnnotatorNotes note (brat's
    own way to attach a comment to an annotation), so pre-annotations show how sure the model was."""
    lines = []
    for k, (a, b, label, conf) in enumerate(sorted(spans), start=1):
        lines.append(f"T{k}\t{label} {a} {b}\t{text[a:b]}")
        if conf is not None:
            lines.append(f"#{k}\tAnnotatorNotes T{k}\tconfidence {conf:.4f}")
    return "".join(line + "\n" for line in lines)


def annotation_conf(labels: list[str]) -> str:
    """brat's annotation.conf declaring the labels as entity types (brat needs it to edit them)."""
    return "[entities]\n" + "".join(f"{label}\n" for label in labels) + "[relations]\n[events]\n[attributes]\n"
