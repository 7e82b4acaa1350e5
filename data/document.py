"""One document model for every corpus: text, tokens with character offsets, sentences, spans.

Every reader produces `Document`s; training and evaluation only ever see this shape, so a new
corpus format means a new reader and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Token:
    """A word with its character offsets into `Document.text` (end exclusive)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Span:
    """A labeled mention over tokens [start, end) of a document."""

    start: int
    end: int
    label: str

    def char_span(self, doc: Document) -> tuple[int, int]:
        return doc.tokens[self.start].start, doc.tokens[self.end - 1].end


@dataclass(frozen=True)
class Mention:
    """A raw annotated mention as its corpus gives it, before any label scheme: the corpus's own
    tag, the document tokens it covers (possibly not contiguous: a discontinuous mention), its
    id and attributes there, and where it was read (file and line), so that a tag no scheme
    knows is refused naming its place."""

    tag: str
    tokens: tuple[int, ...]
    id: str = ""
    attrs: tuple[tuple[str, str], ...] = ()
    where: str = ""


@dataclass(frozen=True, order=True)
class CharSpan:
    """A labeled span as character offsets [start, end) into `Document.text`."""

    start: int
    end: int
    label: str


@dataclass
class Document:
    """A tokenized document.

    `sentences` holds token index ranges [start, end). `gold` marks, per sentence, whether its
    annotation is complete: only those sentences carry labels for training and scoring.
    """

    id: str
    text: str
    tokens: list[Token]
    sentences: list[tuple[int, int]]
    spans: list[Span] = field(default_factory=list)
    gold: list[bool] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.gold:
            self.gold = [True] * len(self.sentences)

    @cached_property
    def words(self) -> list[str]:
        """Token texts, built once: callers slice it per sentence in loops."""
        return [t.text for t in self.tokens]

    def span_text(self, span: Span) -> str:
        start, end = span.char_span(self)
        return self.text[start:end]

    def sentence_of(self, token: int) -> tuple[int, int]:
        """The [start, end) token range of the sentence that holds `token`."""
        return next((a, b) for a, b in self.sentences if a <= token < b)

    def in_sentence(self, start: int, end: int) -> tuple[list[str], int, int]:
        """The words of the sentence holding token `start`, and [start, end) within it (cut at
        the sentence's end): what the classifiers that read one mention in context see."""
        a, b = self.sentence_of(start)
        return self.words[a:b], start - a, min(end, b) - a

    def gold_sentences(self) -> list[tuple[int, int]]:
        return [s for s, g in zip(self.sentences, self.gold) if g]

    def char_spans(self) -> list[CharSpan]:
        """Gold spans on characters: as read (brat, JSONL) or from the token spans (CAT XML)."""
        if "char_spans" in self.meta:
            return list(self.meta["char_spans"])
        return sorted(CharSpan(*s.char_span(self), s.label) for s in self.spans)

    def to_char_span(self, span: Span) -> CharSpan:
        return CharSpan(*span.char_span(self), span.label)

    def scored_ranges(self) -> list[tuple[int, int]]:
        """Character ranges of the sentences that are scored (the gold ones)."""
        return [
            (self.tokens[a].start, self.tokens[b - 1].end)
            for (a, b), g in zip(self.sentences, self.gold)
            if g and b > a
        ]


def join_tokens(sentences: list[list[str]]) -> tuple[str, list[Token], list[tuple[int, int]]]:
    """Lay out pre-tokenized sentences as text: one space between tokens, one newline between
    sentences. Returns the text, the tokens with their offsets and the sentence ranges."""
    parts: list[str] = []
    tokens: list[Token] = []
    ranges: list[tuple[int, int]] = []
    pos = 0
    for words in sentences:
        first = len(tokens)
        for i, word in enumerate(words):
            if i:
                parts.append(" ")
                pos += 1
            tokens.append(Token(word, pos, pos + len(word)))
            parts.append(word)
            pos += len(word)
        ranges.append((first, len(tokens)))
        parts.append("\n")
        pos += 1
    return "".join(parts), tokens, ranges
