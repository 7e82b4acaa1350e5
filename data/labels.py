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
from pathlib import Path

from dateline.data.document import Document, Span


@dataclass(frozen=True)
class LabelScheme:
    """Maps corpus tags to span types by glob patterns, in the order the types are given.

    `event` and `actor` name the types that event records read as the event and its
    participants (tagging/records.py): EVENT and ACTOR unless a config names others. A scheme
    with no types (`labels=from_data`) takes the data's own labels (`from_labels`)."""

    name: str
    types: Mapping[str, Sequence[str]]
    event: str | None = None
    actor: str | None = None

    @classmethod
    def from_config(
        cls,
        name: str,
        types: Mapping[str, Sequence[str]] | Sequence[str] | None,
        event: str | None = None,
        actor: str | None = None,
    ) -> LabelScheme:
        """`types` maps a type to its tag patterns; a plain list keeps each tag as its own type;
        None leaves the types to the data (`from_labels`)."""
        if types is None:
            mapping: dict[str, list[str]] = {}
        elif isinstance(types, Mapping):
            mapping = {str(k): [str(p) for p in v] for k, v in types.items()}
        else:
            mapping = {str(t): [str(t)] for t in types}
        return cls(
            name,
            mapping,
            event or ("EVENT" if "EVENT" in mapping else None),
            actor or ("ACTOR" if "ACTOR" in mapping else None),
        )

    @property
    def from_data(self) -> bool:
        return not self.types

    @property
    def roles(self) -> dict[str, str]:
        """{"event": type, "actor": type} for the ones this scheme has (what records need)."""
        return {k: v for k, v in (("event", self.event), ("actor", self.actor)) if v and v in self.types}

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

    def from_labels(self, labels: Iterable[str], known: Mapping[str, Sequence[str]], corpus: str = "") -> LabelScheme:
        """A scheme of the data's own labels (`labels=from_data`): each label its own type, with
        the patterns a known scheme gives a type of that name (so ECB+ or TimeML joined through
        `data.also` map their tags to the user's EVENT or ACTOR), the known types first in their
        usual order (EVENT, ACTOR, ...), then the rest sorted."""
        labels = set(labels)
        order = [t for t in known if t in labels] + sorted(labels - set(known))
        types = {t: list(dict.fromkeys([t, *known.get(t, [])])) for t in order}
        name = f"{corpus}:{'+'.join(order)}" if corpus else "+".join(order)
        event = self.event if self.event in types else ("EVENT" if "EVENT" in types else None)
        actor = self.actor if self.actor in types else ("ACTOR" if "ACTOR" in types else None)
        return LabelScheme(name, types, event, actor)


@dataclass
class ResolveStats:
    mentions: int = 0
    unmapped: int = 0
    discontinuous: int = 0
    fragments_added: int = 0
    duplicates: int = 0
    overlaps_dropped: int = 0
    per_type: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)  # by label, as data.drop_labels asks

    def add(self, other: ResolveStats) -> None:
        for name in ("mentions", "unmapped", "discontinuous", "fragments_added"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.duplicates += other.duplicates
        self.overlaps_dropped += other.overlaps_dropped
        for k, v in other.per_type.items():
            self.per_type[k] = self.per_type.get(k, 0) + v
        for k, v in other.dropped.items():
            self.dropped[k] = self.dropped.get(k, 0) + v


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


def apply_scheme(
    doc: Document,
    scheme: LabelScheme,
    tagset: Iterable[str] | None = None,
    drop: Iterable[str] = (),
    keep: Iterable[str] = (),
) -> ResolveStats:
    """Set `doc.spans` (and, for a corpus annotated on characters, its spans on characters) from
    the raw mentions the reader left in `doc.meta["mentions"]`, under `scheme`; return counts.

    A tag the scheme does not map is, in this order: kept under its own name where it is in
    `keep` (evaluation: a type the model was not trained on, reported as such); dropped and
    counted where `drop` names it (`data.drop_labels`, `"*"` for all); passed over where it is
    in the corpus's `tagset` (a guideline's tag the scheme leaves out on purpose, ECB+'s LOC_GEO
    under events_actors); otherwise refused, naming the file, the place and the label — a typo
    in a label must not silently become `O`."""
    stats = ResolveStats()
    spans: list[Span] = []
    tagset = None if tagset is None else set(tagset)
    drop, keep = set(drop), set(keep)
    char_spans = doc.meta.get("char_spans_raw", doc.meta.get("char_spans"))
    by_char = char_spans is not None and len(char_spans) == len(doc.meta.get("mentions", []))
    kept_chars = []
    for k, m in enumerate(doc.meta.get("mentions", [])):
        stats.mentions += 1
        label = scheme.map(m.tag)
        if label is None and m.tag in keep:
            label = m.tag
        if label is None:
            if m.tag in drop or "*" in drop:
                stats.dropped[m.tag] = stats.dropped.get(m.tag, 0) + 1
            elif tagset is not None and m.tag in tagset:
                stats.unmapped += 1
            else:
                from dateline.errors import DatelineError

                raise DatelineError(
                    f"label {m.tag!r} is not in the label scheme {scheme.name} ({', '.join(scheme.entity_types)}): "
                    "fix the label, train on the data's own labels (labels=from_data), or drop it "
                    f"(data.drop_labels=[{m.tag}])",
                    doc.meta.get("source", doc.id),
                    m.where or None,
                )
            continue
        runs = contiguous_runs(m.tokens)
        if len(runs) > 1:
            stats.discontinuous += 1
            stats.fragments_added += len(runs) - 1
        spans.extend(Span(a, b, label) for a, b in runs)
        if by_char:
            c = char_spans[k]
            kept_chars.append(type(c)(c.start, c.end, label))
    before = len(spans)
    deduped = set(spans)
    stats.duplicates = before - len(deduped)
    doc.spans = resolve_spans(deduped, stats)
    if by_char:
        doc.meta.setdefault("char_spans_raw", char_spans)
        doc.meta["char_spans"] = sorted(set(kept_chars))
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


def known_types(scheme_configs: list) -> dict[str, list[str]]:
    """Every type of the label scheme configs with its tag patterns (the first config that
    defines a type gives them; `components` first, so EVENT, ACTOR, OBJECT, LOCATION, TIME lead)."""
    from omegaconf import OmegaConf

    found: dict[str, list[str]] = {}
    for path in sorted(scheme_configs, key=lambda p: (Path(p).stem != "components", str(p))):
        types = OmegaConf.to_container(OmegaConf.load(path)).get("types") or {}
        items = types.items() if isinstance(types, dict) else ((t, [t]) for t in types)
        for t, patterns in items:
            found.setdefault(str(t), [str(p) for p in patterns])
    return found


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
