"""Event records — who did what to whom, and whether it happened — from trained models.

A documented pipeline (README "Event records"), per sentence:
1. the event tagger (`make train`) finds EVENT and ACTOR spans;
2. each event gets its actors by a linking rule, chosen by measurement (README "Event
   records"; results/records/study.md on the user's article, results/records/
   cameo_positions.py on cameo_roles test, which no rule was written from):
   `linking="position"` (the default) takes as actors the ACTOR nearest before the event with
   those coordinated with it (*Putin and Trump*), and as recipients the ACTOR right after it,
   over at most three determiners or prepositions (*told reporters*, *provoked the United
   States, Japan and South Korea*), with those coordinated with it; `"nearest"`: the same
   actors and no recipient;
   the other rules read a role tagger trained on cameo_roles (`make train EXP=roles`: SOURCE,
   TARGET and JOINT phrases; each ACTOR span takes the role of the phrase it overlaps, and with
   `phrase_actors` a role phrase over no ACTOR is an actor of its own):
   `"hybrid"`: recipients are the TARGET actors between the event and the sentence's next
   event, the actor as in `"nearest"` among the others; `"phrase"`: the actors of the
   SOURCE/JOINT phrase nearest before the event (after it when none is before), the recipients
   of the TARGET phrase nearest after it; `"sentence"`: all SOURCE/JOINT actors of the
   sentence before the event (else after) and all TARGET actors after it;
3. the modality classifier (`training/modality.py`) gives each event its `mode`.

Field names follow the PLOVER event-data conventions where they apply (`actor`, `recipient`,
`event_text`, `mode`); offsets index the article's text exactly as given.
"""

from __future__ import annotations

from dataclasses import dataclass

from data.document import Document, Span

ROLE_OF = {"SOURCE": "actor", "JOINT": "actor", "TARGET": "recipient"}
LINKINGS = ("phrase", "sentence", "hybrid", "nearest", "position")
ROLE_FREE = ("nearest", "position")  # linkings that need no role tagger
DEFAULT_LINKING = "position"


@dataclass(frozen=True)
class Found:
    """A predicted span on a document's tokens with its confidence."""

    span: Span
    confidence: float


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def actor_roles(actors: list[Found], roles: list[Found]) -> dict[Span, tuple[str, Span]]:
    """ACTOR span -> ('actor' or 'recipient', the role phrase), from the phrase it overlaps most."""
    out = {}
    for act in actors:
        best = max(
            (r for r in roles if overlaps(act.span, r.span)),
            key=lambda r: min(act.span.end, r.span.end) - max(act.span.start, r.span.start),
            default=None,
        )
        if best is not None and best.span.label in ROLE_OF:
            out[act.span] = (ROLE_OF[best.span.label], best.span)
    return out


def nearest_group(cands: list[Found], phrase_of: dict[Span, Span], before: bool, event: Span) -> list[Found]:
    """The candidates of the one role phrase nearest to the event on one side of it."""
    side = [c for c in cands if (c.span.end <= event.start if before else c.span.start >= event.end)]
    if not side:
        return []
    pick = max if before else min
    phrase = pick((phrase_of[c.span] for c in side), key=lambda p: p.start)
    return [c for c in side if phrase_of[c.span] == phrase]


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
    event: Span,
    actors: list[Found],
    roles: dict[Span, tuple[str, Span]],
    linking: str,
    words: list[str],
    next_event: int,
) -> tuple[list[Found], list[Found]]:
    """(actors, recipients) of one event among its sentence's actors; `next_event` is where the
    sentence's next event starts (its end when none follows)."""
    doers = [a for a in actors if roles.get(a.span, ("",))[0] == "actor"]
    targets = [a for a in actors if roles.get(a.span, ("",))[0] == "recipient"]
    if linking == "position":
        return nearest_before(event, actors, words), nearest_after(event, actors, words, next_event)
    if linking in ("nearest", "hybrid"):
        recipients = [a for a in targets if event.end <= a.span.start < next_event] if linking == "hybrid" else []
        return nearest_before(event, [a for a in actors if a not in recipients], words), recipients
    if linking == "phrase":
        phrase_of = {a: p for a, (_, p) in roles.items()}
        chosen = nearest_group(doers, phrase_of, True, event) or nearest_group(doers, phrase_of, False, event)
        return chosen, nearest_group(targets, phrase_of, False, event)
    left = [a for a in doers if a.span.end <= event.start]
    chosen = left or [a for a in doers if a.span.start >= event.end]
    return chosen, [a for a in targets if a.span.start >= event.end]


def char_item(doc: Document, found: Found) -> dict:
    start, end = found.span.char_span(doc)
    return {"text": doc.text[start:end], "start": start, "end": end, "confidence": round(found.confidence, 4)}


def document_records(
    doc: Document,
    spans: list[Found],
    role_spans: list[Found],
    modes: dict[Span, tuple[str, float]],
    linking: str = DEFAULT_LINKING,
    phrase_actors: bool = True,
) -> list[dict]:
    """The records of one document from its predicted spans (EVENT/ACTOR), role phrases and
    event modes."""
    if linking not in LINKINGS:
        raise ValueError(f"linking must be one of {LINKINGS}, not {linking!r}")
    records = []
    for a, b in doc.sentences:
        inside = [f for f in spans if a <= f.span.start < b]
        actors = [f for f in inside if f.span.label == "ACTOR"]
        phrases = [r for r in role_spans if a <= r.span.start < b]
        if phrase_actors and linking not in ROLE_FREE:
            actors += [
                Found(Span(r.span.start, r.span.end, "ACTOR"), r.confidence)
                for r in phrases
                if not any(overlaps(r.span, x.span) for x in actors)
            ]
            actors.sort(key=lambda f: f.span.start)
        roles = actor_roles(actors, phrases)
        events = [f for f in inside if f.span.label == "EVENT"]
        for k, ev in enumerate(events):
            next_event = events[k + 1].span.start if k + 1 < len(events) else b
            doers, recipients = link(ev.span, actors, roles, linking, doc.words, next_event)
            item = char_item(doc, ev)
            s_start, s_end = doc.tokens[a].start, doc.tokens[b - 1].end
            mode, mode_conf = modes.get(ev.span, ("asserted", 0.0))
            records.append(
                {
                    "article_id": doc.id,
                    "event_text": item["text"],
                    "event_start": item["start"],
                    "event_end": item["end"],
                    "mode": mode,
                    "mode_confidence": round(mode_conf, 4),
                    "actor": [char_item(doc, x) for x in doers],
                    "recipient": [char_item(doc, x) for x in recipients],
                    "sentence": doc.text[s_start:s_end],
                    "sentence_start": s_start,
                    "confidence": item["confidence"],
                }
            )
    return records


class RecordTagger:
    """Event tagger + role tagger + modality classifier -> records on documents."""

    def __init__(self, events, roles, modality, linking: str = DEFAULT_LINKING, phrase_actors: bool = True):
        self.events, self.roles, self.modality = events, roles, modality
        self.linking, self.phrase_actors = linking, phrase_actors

    def records(self, docs: list[Document], preds: list | None = None) -> list[list[dict]]:
        """Records per document; `preds`: the event tagger's predictions when already made."""
        preds = preds if preds is not None else self.events.tag_documents(docs)
        role_preds = self.roles.tag_documents(docs) if self.roles is not None else [None] * len(docs)
        out = []
        for doc, pred, role_pred in zip(docs, preds, role_preds):
            spans = [Found(s, c) for s, c in pred.spans()]
            role_spans = [Found(s, c) for s, c in role_pred.spans()] if role_pred is not None else []
            modes = self.modes(doc, spans)
            out.append(document_records(doc, spans, role_spans, modes, self.linking, self.phrase_actors))
        return out

    def modes(self, doc: Document, spans: list[Found]) -> dict[Span, tuple[str, float]]:
        events = [f.span for f in spans if f.span.label == "EVENT"]
        return dict(zip(events, self.modality.classify([event_in_sentence(doc, e) for e in events])))


def event_in_sentence(doc: Document, event: Span) -> tuple[list[str], int, int]:
    """(sentence words, start, end) of an event span: what the modality classifier reads."""
    a, b = doc.sentence_of(event.start)
    return doc.words[a:b], event.start - a, min(event.end, b) - a
