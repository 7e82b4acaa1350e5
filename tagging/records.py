"""Event records — who did what to whom, and whether it happened — from trained models.

A documented pipeline (docs/records.md), per sentence:
1. the event tagger (`dateline train`) finds EVENT and ACTOR spans;
2. each event gets its actors and recipients, by the linking chosen by measurement
   (docs/records.md: MEANTIME cross-validated by topic, the cameo_roles test sentences, the
   user's article): `linking="syntax"` (the default): the dependency rule
   (data/syntax_rule.py: subjects act, passive agents act, objects and the objects of
   *to/with/against* receive, through control, coordination, relative clauses, event nouns and
   apposition) on spaCy's parse of the article (data/parse.py; the optional `syntax` extra), no
   training. `"learned"`: a linker trained on MEANTIME's participant links (training/linker.py,
   `tagging/linking.py`) gives each (event, ACTOR) pair of a sentence its role (actor,
   recipient or none) with a confidence. The baseline, `"position"`, takes as actors the ACTOR
   nearest before the event with those coordinated with it (*Putin and Trump*), and as
   recipients the ACTOR right after it, over at most three determiners or prepositions (*told
   reporters*, *provoked the United States, Japan and South Korea*), with those coordinated
   with it; `"nearest"`: the same actors and no recipient. (Three rules that read a role tagger
   trained on cameo_roles were measured and dropped: docs/records.md.);
3. the modality classifier (`tagging/modality.py`) gives each event its `mode`.

Field names follow the PLOVER event-data conventions where they apply (`actor`, `recipient`,
`event_text`, `mode`); offsets index the article's text exactly as given.
"""

from __future__ import annotations

from dateline.data.coreference import resolve_names
from dateline.data.document import Document, Span
from dateline.data.parse import DocParse, parse_documents
from dateline.data.position_rule import Found, link
from dateline.data.syntax_rule import explained_links
from dateline.errors import DatelineError

ROLES = ("actor", "recipient")

LINKINGS = ("position", "nearest", "syntax", "learned")
DEFAULT_LINKING = "syntax"


def learned_links(event: Span, actors: list[Found], roles: dict) -> tuple[list[Found], list[Found]]:
    """(actors, recipients) of one event: the sentence's ACTORs the linker gave that role."""
    picked = {role: [a for a in actors if roles.get((event, a.span), ("none", 0.0))[0] == role] for role in ROLES}
    return picked["actor"], picked["recipient"]


def char_item(doc: Document, found: Found) -> dict:
    start, end = found.span.char_span(doc)
    return {"text": doc.text[start:end], "start": start, "end": end, "confidence": round(found.confidence, 4)}


def linked_item(
    doc: Document, found: Found, method: str, why: str | float | None = None, names: list[Span] | None = None
) -> dict:
    """A linked actor or recipient: its text and offsets, the tagger's confidence in the span, and
    how it was linked: `link_method` (the linking), with the syntax rule's `link_relation` (the
    dependency relation that named it: *nsubj*, *pobj:with*, …) or the learned linker's
    `link_confidence`; the position rules give neither. A pronoun or common noun carries the
    article's names it refers to, `refers_to` (data/coreference.py), where the rule finds any."""
    item = {**char_item(doc, found), "link_method": method}
    if isinstance(why, str):
        item["link_relation"] = why
    elif why is not None:
        item["link_confidence"] = round(why, 4)
    if names:
        item["refers_to"] = [dict(zip(("text", "start", "end"), (doc.span_text(n), *n.char_span(doc)))) for n in names]
    return item


def event_links(
    doc: Document,
    event: Span,
    actors: list[Found],
    linking: str,
    next_event: int,
    roles: dict,
    parse: DocParse | None,
) -> tuple[list[Found], list[Found], dict[Span, str | float]]:
    """(actors, recipients) of one event by `linking`, and per linked span its relation (syntax)
    or its confidence (learned)."""
    if linking == "learned":
        doers, recipients = learned_links(event, actors, roles)
        return doers, recipients, {a.span: roles[(event, a.span)][1] for a in doers + recipients}
    if linking == "syntax":
        explained = explained_links(event, actors, parse)
        why = {a.span: relation for side in explained for a, relation in side}
        return [a for a, _ in explained[0]], [r for r, _ in explained[1]], why
    doers, recipients = link(event, actors, linking, doc.words, next_event)
    return doers, recipients, {}


def document_records(
    doc: Document,
    spans: list[Found],
    modes: dict[Span, tuple[str, float]],
    linking: str,
    roles: dict | None = None,
    parse: DocParse | None = None,
) -> list[dict]:
    """The records of one document from its predicted spans (EVENT/ACTOR) and event modes;
    `roles`: the learned linker's (role, confidence) per (event, ACTOR) span pair; `parse`: the
    document's dependency parse, for linking=syntax (and the names of pronoun and common-noun
    actors)."""
    if linking not in LINKINGS:
        raise DatelineError(f"linking must be one of {', '.join(LINKINGS)}, not {linking!r}")
    roles = roles or {}
    names = resolve_names([f.span for f in spans], parse) if parse is not None else {}
    records = []
    for a, b in doc.sentences:
        inside = [f for f in spans if a <= f.span.start < b]
        actors = [f for f in inside if f.span.label == "ACTOR"]
        events = [f for f in inside if f.span.label == "EVENT"]
        for k, ev in enumerate(events):
            next_event = events[k + 1].span.start if k + 1 < len(events) else b
            doers, recipients, why = event_links(doc, ev.span, actors, linking, next_event, roles, parse)
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
                    "actor": [linked_item(doc, x, linking, why.get(x.span), names.get(x.span)) for x in doers],
                    "recipient": [linked_item(doc, x, linking, why.get(x.span), names.get(x.span)) for x in recipients],
                    "sentence": doc.text[s_start:s_end],
                    "sentence_start": s_start,
                    "confidence": item["confidence"],
                }
            )
    return records


def role_labels(meta: dict) -> dict[str, str]:
    """The model's labels that records read as EVENT and ACTOR: the ones its scheme declares
    (`labels.event`, `labels.actor`; a user's own TRIGGER and PARTICIPANT, say), else EVENT and ACTOR."""
    roles = meta.get("roles") or {}
    return {roles.get("event", "EVENT"): "EVENT", roles.get("actor", "ACTOR"): "ACTOR"}


def with_actors(docs: list[Document], spans: list[list[Found]]) -> list[list[tuple[int, int]]]:
    """Per document, its sentences with an ACTOR span: links are made within a sentence and
    names are ACTOR spans, so the parse of any other sentence is never read."""
    out = []
    for doc, found in zip(docs, spans):
        held = {doc.sentence_of(f.span.start) for f in found if f.span.label == "ACTOR"}
        out.append([s for s in doc.sentences if s in held])
    return out


class RecordTagger:
    """Event tagger + modality classifier (+ the learned linker) -> records on documents."""

    def __init__(self, events, modality, linking: str = DEFAULT_LINKING, linker=None):
        if linking not in LINKINGS:
            raise DatelineError(f"linking must be one of {', '.join(LINKINGS)}, not {linking!r}")
        if linking == "learned" and linker is None:
            raise DatelineError("linking=learned needs a linker model directory (linker=<dir>; `dateline linker`)")
        self.events, self.modality, self.linking, self.linker = events, modality, linking, linker

    def records(self, docs: list[Document], preds: list | None = None) -> list[list[dict]]:
        """Records per document; `preds`: the event tagger's predictions when already made."""
        preds = preds if preds is not None else self.events.tag_documents(docs)
        as_role = role_labels(self.events.meta)
        parsed = self.linking == "syntax" or (self.linking == "learned" and self.linker.hint == "syntax")
        spans = [[Found(Span(s.start, s.end, as_role.get(s.label, s.label)), c) for s, c in p.spans()] for p in preds]
        parses = parse_documents(docs, only=with_actors(docs, spans)) if parsed else [None] * len(docs)
        modes = self.modes(docs, spans)
        out = []
        for doc, found, parse, doc_modes in zip(docs, spans, parses, modes):
            roles = self.roles(doc, found, parse) if self.linking == "learned" else None
            out.append(document_records(doc, found, doc_modes, self.linking, roles, parse))
        return out

    def roles(self, doc: Document, spans: list[Found], parse: DocParse | None = None) -> dict:
        """The linker's (role, confidence) for every (event, ACTOR) pair of each sentence."""
        from dateline.training.linker import sentence_pairs

        found = sentence_pairs(doc, [f.span for f in spans], hint=self.linker.hint, parse=parse)
        return {(ev, cand): r for (ev, cand, _), r in zip(found, self.linker.roles([p for _, _, p in found]))}

    def modes(self, docs: list[Document], spans: list[list[Found]]) -> list[dict[Span, tuple[str, float]]]:
        """Each document's events' (mode, confidence), classified in one pass over all the
        documents' events (batches of alike length, not one small batch per document)."""
        events = [[f.span for f in found if f.span.label == "EVENT"] for found in spans]
        flat = [doc.in_sentence(e.start, e.end) for doc, evs in zip(docs, events) for e in evs]
        classified = iter(self.modality.classify(flat))
        return [{e: next(classified) for e in evs} for evs in events]
