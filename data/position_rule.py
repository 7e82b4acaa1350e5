"""The position rule: who did what to whom from word order alone, within one sentence.

An event's actors are the ACTOR nearest before it with those coordinated with it (*Putin and
Trump*); its recipients the ACTOR right after it over at most three determiners or prepositions
(*told reporters*, *provoked the United States, Japan and South Korea*), with those coordinated
with it. It is the records' baseline linking (`tagging/records.py`, `linking=position|nearest`)
and a feature of the learned linker (`training/linker.py`), so it lives here, below both; it
reads words and spans only, no model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dateline.data.document import Span


@dataclass(frozen=True)
class Found:
    """A predicted span on a document's tokens with its confidence."""

    span: Span
    confidence: float


COORDINATORS = {",", "and", "or", "&"}


def joined(a: Found, b: Found, words: list[str]) -> bool:
    """Whether ACTOR `a`, before `b`, is coordinated with it: only commas, and, or between."""
    gap = words[a.span.end : b.span.start]
    return bool(gap) and all(w.lower() in COORDINATORS for w in gap)


def coordinated(first: Found, rest: list[Found], words: list[str], forward: bool) -> list[Found]:
    """`first` and the ACTORs of `rest` (in order away from it) coordinated with it in a row."""
    group = [first]
    for other in rest:
        if not (joined(group[-1], other, words) if forward else joined(other, group[0], words)):
            break
        group = group + [other] if forward else [other] + group
    return group


def nearest_before(event: Span, actors: list[Found], words: list[str]) -> list[Found]:
    """The ACTOR nearest before the event and those coordinated with it (*Putin and Trump*,
    *the United States, Japan and South Korea*): ACTORs joined by commas, and, or."""
    before = [a for a in actors if a.span.end <= event.start]
    return coordinated(before[-1], before[-2::-1], words, forward=False) if before else []


RECIPIENT_MAX_GAP = 3
RECIPIENT_GAP = {
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "with",
    "to",
    "against",
    "on",
    "at",
    "toward",
    "towards",
}


def nearest_after(event: Span, actors: list[Found], words: list[str], next_event: int) -> list[Found]:
    """The ACTOR right after the event, before the sentence's next event and reached over at
    most three determiners or prepositions of a target (*told reporters*, *talks with the
    leadership*, *provoked the United States, Japan and South Korea*), with those coordinated
    with it."""
    after = [a for a in actors if event.end <= a.span.start < next_event]
    if not after or after[0].span.start - event.end > RECIPIENT_MAX_GAP:
        return []
    if not all(w.lower() in RECIPIENT_GAP for w in words[event.end : after[0].span.start]):
        return []
    return coordinated(after[0], after[1:], words, forward=True)


def link(
    event: Span, actors: list[Found], linking: str, words: list[str], next_event: int
) -> tuple[list[Found], list[Found]]:
    """(actors, recipients) of one event among its sentence's actors; `next_event` is where the
    sentence's next event starts (its end when none follows)."""
    recipients = nearest_after(event, actors, words, next_event) if linking == "position" else []
    return nearest_before(event, actors, words), recipients


def position_roles(words: list[str], spans: list[Span], end: int) -> dict[tuple[Span, Span], str]:
    """The position rule's role of each (event, ACTOR) pair it links among one sentence's
    `spans` (the sentence ends at token `end`); actor wins where it gives both."""
    inside = sorted(spans, key=lambda s: s.start)
    actors = [Found(s, 1.0) for s in inside if s.label == "ACTOR"]
    events = [s for s in inside if s.label == "EVENT"]
    following = [e.start for e in events[1:]] + [end]
    return pair_roles(events, lambda k, ev: link(ev, actors, "position", words, following[k]))


def pair_roles(
    events: list[Span], link_of: Callable[[int, Span], tuple[list[Found], list[Found]]]
) -> dict[tuple[Span, Span], str]:
    """The role of each (event, ACTOR) pair a rule links, from `link_of(k, event)` (actors,
    recipients of the k-th event); actor wins where the rule gives both."""
    out: dict[tuple[Span, Span], str] = {}
    for k, ev in enumerate(events):
        doers, recipients = link_of(k, ev)
        out |= {(ev, x.span): "recipient" for x in recipients} | {(ev, x.span): "actor" for x in doers}
    return out
