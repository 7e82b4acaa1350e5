"""What the readers of a user's own annotated files share (brat, JSONL, CoNLL, `datasets`,
Label Studio, doccano): spans on characters checked and laid onto tokens, the user's
train / dev / test parts found on disk, and the splits of data/splits.py for what is missing.

Each format only says how to find its files and how to read one of them into
`(id, text, spans, where)` articles (`read_file`); everything else is here, so every format
refuses the same bad input the same way: one `DatelineError` naming the file, the line (or
task) and the problem, before anything is written.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from dateline.data.document import CharSpan, Document, Mention, Token
from dateline.data.readers import SPLITS, Reader
from dateline.data.splits import SplitSpec, assign
from dateline.data.text import split_sentences, tokenize
from dateline.errors import DatelineError

OVERLAPS = ("error", "longest")


@dataclass(frozen=True)
class Labeled:
    """A span as a file gives it, with where it was read (e.g. "line 12") for errors."""

    start: int
    end: int
    label: str
    where: str = ""


@dataclass
class Article:
    """One annotated article as read from a file: the text as given and its spans; `tokens`
    (with `sentences`) where the format is tokenized itself (CoNLL, a tokens column)."""

    id: str
    text: str
    spans: list[Labeled]
    path: Path
    where: str = ""
    tokens: list[Token] | None = None
    sentences: list[tuple[int, int]] | None = None
    text_path: Path | None = None  # where the text is, when not in `path` (brat's .txt beside its .ann)


def checked_spans(article: Article, overlaps: str = "error") -> tuple[list[Labeled], int]:
    """The article's spans, checked: inside the text, not empty, not only white space, with the
    white space at their edges left out (as annotation tools often select it); identical
    duplicates are one span; two different spans that overlap are refused (`overlaps="error"`)
    or resolved leftmost-longest (`"longest"`, returning how many were dropped)."""
    text, out = article.text, []
    for s in article.spans:
        if not (isinstance(s.start, int) and isinstance(s.end, int)) or not 0 <= s.start < s.end <= len(text):
            raise DatelineError(
                f"span {s.start}-{s.end} ({s.label}) falls outside the text ({len(text)} characters) or is empty",
                article.path,
                s.where or article.where,
            )
        if not isinstance(s.label, str) or not s.label.strip():
            raise DatelineError(f"span {s.start}-{s.end} has no label", article.path, s.where or article.where)
        piece = text[s.start : s.end]
        if not piece.strip():
            raise DatelineError(f"span {s.start}-{s.end} ({s.label}) holds only white space", article.path, s.where)
        start = s.start + (len(piece) - len(piece.lstrip()))
        end = s.end - (len(piece) - len(piece.rstrip()))
        out.append(Labeled(start, end, s.label, s.where))
    unique: dict[tuple[int, int, str], Labeled] = {}
    for s in out:
        unique.setdefault((s.start, s.end, s.label), s)
    ordered = sorted(unique.values(), key=lambda s: (s.start, -(s.end - s.start), s.label))
    kept: list[Labeled] = []
    dropped = 0
    for s in ordered:
        clash = next((k for k in kept if k.start < s.end and s.start < k.end), None)
        if clash is None:
            kept.append(s)
        elif overlaps == "error":
            raise DatelineError(
                f"span {s.start}-{s.end} {s.label} {text[s.start : s.end]!r} overlaps span {clash.start}-{clash.end} "
                f"{clash.label} {text[clash.start : clash.end]!r}; a tagger learns one label a word: remove one, or set "
                "data.reader.overlaps=longest to keep the leftmost-longest",
                article.path,
                s.where or article.where,
            )
        else:
            dropped += 1
    return sorted(kept, key=lambda s: (s.start, s.end)), dropped


def merged_sentences(sentences: list[tuple[int, int]], tokens: list[Token], spans: Sequence[Labeled]):
    """Sentences joined where a span runs across their boundary, so no span is cut in two rows."""
    out: list[tuple[int, int]] = []
    for a, b in sentences:
        if out and b > a and any(s.start < tokens[a - 1].end and s.end > tokens[a].start for s in spans):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def to_document(article: Article, overlaps: str = "error") -> tuple[Document, int]:
    """An article as a `Document`: tokens (the article's own, or the project's tokenizer's over
    the text as given), sentences never cut inside a span, raw mentions on the tokens each span
    covers (`where` kept for errors), and the spans on characters for scoring."""
    if not article.text.strip():
        raise DatelineError("the article is empty", article.text_path or article.path, article.where or None)
    spans, dropped = checked_spans(article, overlaps)
    tokens = article.tokens if article.tokens is not None else tokenize(article.text)
    sentences = article.sentences if article.sentences is not None else split_sentences(article.text, tokens)
    sentences = merged_sentences(sentences, tokens, spans)
    starts = [t.start for t in tokens]
    mentions, inexact = [], 0
    for s in spans:
        first = max(0, bisect.bisect_right(starts, s.start) - 1)
        covered = tuple(i for i in range(first, len(tokens)) if tokens[i].start < s.end and s.start < tokens[i].end)
        if not covered:
            raise DatelineError(f"span {s.start}-{s.end} covers no word", article.path, s.where)
        inexact += tokens[covered[0]].start != s.start or tokens[covered[-1]].end != s.end
        mentions.append(Mention(s.label, covered, where=s.where))
    meta = {
        "mentions": mentions,
        "char_spans": [CharSpan(s.start, s.end, s.label) for s in spans],
        "char_where": {(s.start, s.end, s.label): s.where for s in spans},
        "source": str(article.path),
        "inexact_spans": inexact,
        "overlaps_dropped": dropped,
    }
    return Document(article.id, article.text, list(tokens), sentences, meta=meta), dropped


class UserCorpusReader(Reader):
    """A user's annotated files at `path`: a file or folder read as one pool, or, where the
    user has them, `train`, `dev` and `test` parts beside each other (subfolders `path/train/`,
    or files `path/train.<ext>`); the parts not given are made by `data.split` (data/splits.py)."""

    extensions: ClassVar[tuple[str, ...]] = ()
    format_name: ClassVar[str] = ""

    def __init__(self, path: str | Path, split: Mapping | None = None, overlaps: str = "error", drop_labels=()):
        if not path or str(path) == "???":
            raise DatelineError(f"data={self.name} needs data.path=<your {self.format_name} file or folder>")
        self.path = Path(path).expanduser()
        self.spec = SplitSpec.from_config(split)
        if overlaps not in OVERLAPS:
            raise DatelineError(f"data.reader.overlaps must be one of {', '.join(OVERLAPS)}, not {overlaps!r}")
        self.overlaps = overlaps
        self.drop_labels = tuple(drop_labels or ())
        self._docs: dict[str, list[Document]] | None = None
        self._ids: dict[str, list[str]] | None = None

    @property
    def files_hint(self) -> str:
        return f"{self.format_name} files ({', '.join(self.extensions)})"

    # --- what a format provides ---------------------------------------------------------
    def read_file(self, path: Path, base: Path) -> Iterator[Article]:
        """The annotated articles of one file of this format (`base`: the folder it was found in,
        for ids that are paths relative to it)."""
        raise NotImplementedError

    def is_source(self, path: Path) -> bool:
        """Whether `path`, met inside a folder, is a file of this format."""
        return path.is_file() and path.name.endswith(self.extensions)

    # --- shared -------------------------------------------------------------------------
    def part_sources(self) -> dict[str, list[Path]]:
        """The files of each part the user gave: {"train": [...], ...} or {"all": [...]}."""
        if not self.path.exists():
            raise DatelineError(f"no such file or folder (data.path of data={self.name})", self.path)
        if self.path.is_file():
            return {"all": [self.path]}
        parts = {}
        for split in SPLITS:
            found = [self.path / split] if (self.path / split).is_dir() else []
            found += [self.path / f"{split}{ext}" for ext in self.extensions if (self.path / f"{split}{ext}").is_file()]
            if found:
                parts[split] = found
        if not parts:
            parts = {"all": [self.path]}
        return parts

    def files_of(self, source: Path) -> list[Path]:
        if source.is_file():
            return [source]
        return sorted(p for p in source.rglob("*") if self.is_source(p) and not p.name.startswith("."))

    def files(self) -> list[Path]:
        return sorted({f for sources in self.part_sources().values() for s in sources for f in self.files_of(s)})

    def load(self) -> dict[str, list[Document]]:
        """Every part's documents, read once; ids unique over the whole corpus."""
        if self._docs is not None:
            return self._docs
        parts: dict[str, list[Document]] = {}
        seen: dict[str, str] = {}
        for part, sources in self.part_sources().items():
            docs = []
            files = [(f, s if s.is_dir() else s.parent) for s in sources for f in self.files_of(s)]
            if not files:
                raise DatelineError(f"no {self.files_hint} here", sources[0])
            for f, base in files:
                for article in self.read_file(f, base):
                    place = f"{article.path}" + (f" ({article.where})" if article.where else "")
                    if article.id in seen:
                        raise DatelineError(
                            f"article id {article.id!r} is given twice (also in {seen[article.id]}); ids must be unique",
                            article.path,
                            article.where,
                        )
                    seen[article.id] = place
                    doc, _ = to_document(article, self.overlaps)
                    doc.meta["part"] = part
                    docs.append(doc)
            parts[part] = docs
        if not seen:
            raise DatelineError(f"no annotated articles found (data={self.name})", self.path)
        self._docs = parts
        return parts

    def split_ids(self) -> dict[str, list[str]]:
        if self._ids is None:
            self._ids = assign({p: [d.id for d in docs] for p, docs in self.load().items()}, self.spec)
        return self._ids

    def splits(self) -> tuple[str, ...]:
        return tuple(s for s in SPLITS if self.split_ids()[s])

    def documents(self, split: str) -> Iterator[Document]:
        self.check_split(split)
        wanted = set(self.split_ids()[split])
        for docs in self.load().values():
            yield from (d for d in docs if d.id in wanted)

    def describe(self) -> str:
        return f"{self.format_name} annotations at {self.path.resolve()}"

    def split_source(self) -> str:
        """How the splits came about, for results.json."""
        given = set(self.load())
        if self.spec.folds:
            return f"{self.spec.folds}-fold cross-validation by article (fold {self.spec.fold}, seed {self.spec.seed})"
        made = [s for s in SPLITS if s not in given]
        if not made:
            return "the user's train/dev/test"
        how = (
            f"every {self.spec.dev_every}th article"
            if self.spec.dev_every
            else f"seeded by article (seed {self.spec.seed})"
        )
        return (
            "given: " + ", ".join(sorted(given - {"all"})) + "; " if given - {"all"} else ""
        ) + f"{', '.join(made)} {how}"
