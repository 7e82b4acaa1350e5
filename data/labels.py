"""Label schemes: which corpus tags become which span types, and how clashes are resolved.

Resolution rule (one rule, applied after mapping so only the kept types compete):
- a discontinuous mention is split into its contiguous runs of tokens, each its own span;
- spans with the same tokens and type are one span;
- overlapping spans: the one that starts first wins, and of those the longest; the others are
  dropped (leftmost-longest). Every split and drop is counted in `ResolveStats`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from dateline.data.document import Document, Span


@dataclass(frozen=True)
class LabelScheme:
    """Maps corpus tags to span types by glob patterns, in the order the types are given."""

    name: str
    types: Mapping[str, Sequence[str]]

    @classmethod
    def from_config(cls, name: str, types: Mapping[str, Sequence[str]] | Sequence[str]) -> LabelScheme:
        """`types` maps a type to its tag patterns; a plain list keeps each tag as its own type."""
        if isinstance(types, Mapping):
            return cls(name, {str(k): [str(p) for p in v] for k, v in types.items()})
        return cls(name, {str(t): [str(t)] for t in types})

    @property
    def entity_types(self) -> list[str]:
        return list(self.types)

    @property
    def bio_labels(self) -> list[str]:
        """`O` then B-/I- per type: a fixed order, so label ids never depend on the data."""
        return ["O"] + [f"{p}-{t}" for t in self.types for p in ("B", "I")]

    def map(self, tag: str) -> str | None:
        for label, patterns in self.types.items():
            if any(fnmatchcase(tag, p) for p in patterns):
                return label
        return None

    def knows(self, tag: str) -> bool:
        return self.map(tag) is not None


@dataclass
class ResolveStats:
    mentions: int = 0
    unmapped: int = 0
    discontinuous: int = 0
    fragments_added: int = 0
    duplicates: int = 0
    overlaps_dropped: int = 0
    per_type: dict[str, int] = field(default_factory=dict)

    def add(self, other: ResolveStats) -> None:
        for name in ("mentions", "unmapped", "discontinuous", "fragments_added"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.duplicates += other.duplicates
        self.overlaps_dropped += other.overlaps_dropped
        for k, v in other.per_type.items():
            self.per_type[k] = self.per_type.get(k, 0) + v


def contiguous_runs(indices: Iterable[int]) -> list[tuple[int, int]]:
    """Token indices -> sorted [start, end) runs of consecutive indices."""
    runs: list[tuple[int, int]] = []
    for i in sorted(set(indices)):
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def resolve_spans(spans: Iterable[Span], stats: ResolveStats | None = None) -> list[Span]:
    """Leftmost-longest: keep a span unless it overlaps one already kept."""
    stats = stats if stats is not None else ResolveStats()
    unique = sorted(set(spans), key=lambda s: (s.start, -(s.end - s.start), s.label))
    kept: list[Span] = []
    taken: set[int] = set()
    for span in unique:
        if taken.intersection(range(span.start, span.end)):
            stats.overlaps_dropped += 1
            continue
        kept.append(span)
        taken.update(range(span.start, span.end))
    return kept


def apply_scheme(doc: Document, mentions: Iterable[tuple[str, Sequence[int]]], scheme: LabelScheme) -> ResolveStats:
    """Set `doc.spans` from raw (tag, token indices) mentions under `scheme`; return counts."""
    stats = ResolveStats()
    spans: list[Span] = []
    for tag, indices in mentions:
        stats.mentions += 1
        label = scheme.map(tag)
        if label is None:
            stats.unmapped += 1
            continue
        runs = contiguous_runs(indices)
        if len(runs) > 1:
            stats.discontinuous += 1
            stats.fragments_added += len(runs) - 1
        spans.extend(Span(a, b, label) for a, b in runs)
    before = len(spans)
    deduped = set(spans)
    stats.duplicates = before - len(deduped)
    doc.spans = resolve_spans(deduped, stats)
    for s in doc.spans:
        stats.per_type[s.label] = stats.per_type.get(s.label, 0) + 1
    return stats


def spans_to_bio(n_tokens: int, spans: Iterable[Span]) -> list[str]:
    tags = ["O"] * n_tokens
    for s in spans:
        tags[s.start] = f"B-{s.label}"
        for i in range(s.start + 1, s.end):
            tags[i] = f"I-{s.label}"
    return tags


def bio_to_spans(tags: Sequence[str]) -> list[Span]:
    """Strict IOB2 reading: a span starts only at B-X; I-X continues only a span of type X."""
    spans: list[Span] = []
    start, label = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, typ = tag.partition("-")
        if label is not None and not (prefix == "I" and typ == label):
            spans.append(Span(start, i, label))
            start, label = None, None
        if prefix == "B":
            start, label = i, typ
    return spans


def known_labels(scheme_configs: list) -> list[str]:
    """Every type and every literal tag of every label scheme config (glob patterns excluded):
    the labels an annotation file may use."""
    from omegaconf import OmegaConf

    found: set[str] = set()
    for path in scheme_configs:
        types = OmegaConf.to_container(OmegaConf.load(path)).get("types") or {}
        if isinstance(types, dict):
            found.update(types)
            found.update(p for pats in types.values() for p in pats if not any(c in p for c in "*?["))
        else:
            found.update(types)
    return sorted(found)
