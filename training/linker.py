"""Who did what to whom, learned: an event–participant linker trained on MEANTIME's HAS_PARTICIPANT.

Every (event, ACTOR) pair of a sentence is one example: the sentence with the event between
` << ` and ` >> ` and the candidate between ` [[ ` and ` ]] ` (the encoder's own words, no new
vocabulary), classified at the candidate's first subword as `none`, `actor` or `recipient` —
the modality classifier's reading (training/modality.py), here of a pair. The HF `Trainer`
trains it, with the rarer roles weighted up (inverse frequency, at most 5).

Roles from MEANTIME's PropBank links (`data/meantime.py: participants`), decided from the
data and the user's article's gold records (docs/records.md): Arg0 -> actor (who acts: *Airbus
announced*, *the board approved*); Arg1 or Arg2 of a person or an organisation -> recipient
(whom it is done to or with: *sued Apple*, *met Trump*); every other pair -> none (an Arg1
that is a product or an amount is what is acted on, not a recipient).

`dateline linker` writes a model directory (`save_pretrained` + `linker.json`);
`tagging.linking.Linker` applies it; `dateline linker-cv` measures it against the position rule.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dateline.cli import hydra_entry
from dateline.data.document import Document, Span
from dateline.data.parse import DocParse, parse_documents
from dateline.data.participant_roles import gold_roles
from dateline.data.position_rule import position_roles
from dateline.data.syntax_rule import syntax_roles
from dateline.errors import DatelineError
from dateline.runs import LINKER_META as META

ROLES = ("none", "actor", "recipient")
# a rule's role of each pair given to the model: none (False), the position rule's (True), the syntax rule's
Hint = bool | str
CONTEXT_WORDS = 24
MAX_LENGTH = 160


@dataclass(frozen=True)
class Pair:
    """An event and a candidate participant in their sentence: word ranges [start, end)."""

    words: tuple[str, ...]
    event: tuple[int, int]
    candidate: tuple[int, int]
    role: str = "none"
    source: str = ""
    rule: str = ""  # with rule hints: the rule's role of the pair (position or syntax), read by the model


def role_of_pair(links: list[tuple[Span, str]], candidate: Span) -> str:
    """A candidate takes the role of a linked participant mention that contains it (MEANTIME's
    participant mentions can be longer than the ACTOR span: *the chief executive of Airbus*);
    actor wins over recipient."""
    roles = {role for part, role in links if part.start <= candidate.start and candidate.end <= part.end}
    return "actor" if "actor" in roles else "recipient" if "recipient" in roles else "none"


def sentence_pairs(
    doc: Document,
    spans: Iterable[Span],
    links: dict | None = None,
    hint: Hint = False,
    parse: DocParse | None = None,
) -> list[tuple[Span, Span, Pair]]:
    """(event, candidate, pair) for every (EVENT, ACTOR) pair within a scored sentence of `doc`,
    from `spans` (gold or predicted); the pair's role from `links` (`gold_roles`) when given;
    with `hint`, a rule's role of the pair too: the position rule's (True) or the syntax rule's
    ("syntax", on the document's `parse`)."""
    spans, links = list(spans), links or {}
    if hint == "syntax" and parse is None:
        raise DatelineError("a linker with syntax hints needs the document's parse (data/parse.py)")
    out = []
    for (a, b), scored in zip(doc.sentences, doc.gold):
        if not scored:
            continue
        inside = [s for s in spans if a <= s.start < b]
        rules = hint_roles(doc, inside, b, hint, parse)
        words = tuple(doc.words[a:b])
        for ev in (s for s in inside if s.label == "EVENT"):
            for cand in (s for s in inside if s.label == "ACTOR"):
                role = role_of_pair(links.get((ev.start, ev.end), []), cand)
                rule = rules.get((ev, cand), "none") if hint else ""
                pair = Pair(
                    words,
                    (ev.start - a, min(ev.end, b) - a),
                    (cand.start - a, min(cand.end, b) - a),
                    role,
                    doc.id,
                    rule,
                )
                out.append((ev, cand, pair))
    return out


def hint_roles(doc: Document, inside: list[Span], end: int, hint: Hint, parse: DocParse | None) -> dict:
    """The hinting rule's role of each (event, ACTOR) pair of one sentence's spans."""
    if hint == "syntax":
        return syntax_roles(inside, parse)
    return position_roles(doc.words, inside, end) if hint else {}


def document_pairs(
    doc: Document, spans: Iterable[Span], hint: Hint = False, parse: DocParse | None = None
) -> list[Pair]:
    """The (EVENT, ACTOR) pairs of `doc` from `spans`, each with its gold role."""
    return [pair for _, _, pair in sentence_pairs(doc, spans, gold_roles(doc), hint, parse)]


def gold_pairs(docs: list[Document], hint: Hint = False) -> list[Pair]:
    """The gold (EVENT, ACTOR) pairs of `docs` on their own spans (parsed first for syntax hints)."""
    parses = parse_documents(docs) if hint == "syntax" else [None] * len(docs)
    return [p for doc, parse in zip(docs, parses) for p in document_pairs(doc, doc.spans, hint, parse)]


def meantime_pairs(corpora: str | Path, topics: Iterable[str] | None = None, hint: Hint = False) -> list[Pair]:
    """The gold (EVENT, ACTOR) pairs of MEANTIME's annotated heads (of the given topic folders)."""
    from dateline.data.readers.meantime import iter_documents

    wanted = None if topics is None else set(topics)
    docs = [doc for doc in iter_documents(Path(corpora)) if wanted is None or doc.meta["topic"] in wanted]
    return gold_pairs(docs, hint)


def role_corpus_pairs(corpora: str | Path, names: Iterable[str], split: str = "dev", hint: Hint = False) -> list[Pair]:
    """The gold (EVENT, ACTOR) pairs of role corpora (RAMS, WikiEvents: one split each), their
    roles mapped by data/participant_roles.py; extra supervision beside MEANTIME's links."""
    from dateline.data.readers.role_corpora import role_documents

    return [p for name in names for p in gold_pairs(role_documents(corpora, name, split), hint)]


def marked_words(pair: Pair) -> tuple[list[str], int]:
    """The sentence cut to CONTEXT_WORDS around the pair, the event and candidate marked; and
    the index of the candidate's first word in it. (Event and candidate never overlap: a word
    has one tag.) With a rule hint, the sequence opens with it: `actor :` (or `recipient :`,
    `none :`)."""
    (ea, eb), (ca, cb) = pair.event, pair.candidate
    lo, hi = max(0, min(ea, ca) - CONTEXT_WORDS), min(len(pair.words), max(eb, cb) + CONTEXT_WORDS)
    closers = {eb: ">>", cb: "]]"}
    openers = {ea: "<<", ca: "[["}
    out, first = ([pair.rule, ":"] if pair.rule else []), 0
    for i in range(lo, hi + 1):
        if i in closers:
            out.append(closers[i])
        if i == hi:
            break
        if i in openers:
            out.append(openers[i])
        if i == ca:
            first = len(out)
        out.append(pair.words[i])
    return out, first


def role_weights(pairs: list[Pair], cap: float = 5.0) -> dict[str, float]:
    counts = Counter(p.role for p in pairs)
    top = max(counts.values(), default=1)
    return {r: min(cap, top / counts[r]) if counts[r] else 1.0 for r in ROLES}


def encode(pairs: list[Pair], tokenizer, weights: dict[str, float] | None = None) -> dict:
    """Token ids of each marked pair, one pair a row: the position of the candidate's first
    subword (read by `training.position_head.event_logits`), the role as a one-hot vector and
    the pair's weight."""
    from dateline.training.position_head import encode_marked

    weights = weights or {}
    rows = [(words, [first]) for words, first in map(marked_words, pairs)]
    labels = [[[float(r == p.role) for r in ROLES]] for p in pairs]
    enc = encode_marked(tokenizer, rows, labels, [[weights.get(p.role, 1.0)] for p in pairs], MAX_LENGTH)
    enc["items"] = [[i] for i in range(len(pairs))]
    return enc


def train(
    pairs: list[Pair],
    out_dir: Path,
    encoder: str | None = None,
    epochs: int = 15,
    learning_rate: float = 5e-5,
    batch_size: int = 32,
    seed: int = 0,
    hint: Hint = False,
    role_corpora: Iterable[str] = (),
    precision: str = "auto",
) -> dict:
    """Fine-tune the encoder on `pairs` (made with rule hints or not: `hint` says which, and
    the meta keeps it so the linker is applied alike), a role head read at each candidate's
    first subword; write the model directory; return its meta."""
    from dateline.training.position_head import fit

    if not any(p.role != "none" for p in pairs):
        raise DatelineError("no linked (event, participant) pairs to train on (is the corpora folder right?)")
    weights = role_weights(pairs)
    fitted = fit(
        lambda tokenizer: encode(pairs, tokenizer, weights),
        ROLES,
        out_dir,
        encoder,
        epochs,
        learning_rate,
        batch_size,
        seed,
        precision,
    )
    meta = {
        "roles": list(ROLES),
        **fitted,
        "pairs": len(pairs),
        "pairs_by_role": dict(Counter(p.role for p in pairs)),
        "role_weights": weights,
        "rule_hint": hint,
        "role_corpora": list(role_corpora),
        "encoder_name": encoder or "minilm",
    }
    (out_dir / META).write_text(json.dumps(meta, indent=2))
    return meta


@hydra_entry("linker")
def main(cfg) -> None:
    """`dateline linker`: train the event–participant linker on MEANTIME's links."""
    pairs = meantime_pairs(cfg.corpora, cfg.meantime_topics, cfg.rule_hint)
    pairs += role_corpus_pairs(cfg.corpora, cfg.role_corpora, hint=cfg.rule_hint)
    meta = train(
        pairs,
        Path(cfg.out),
        cfg.encoder,
        epochs=cfg.epochs,
        learning_rate=cfg.learning_rate,
        seed=cfg.seed,
        hint=cfg.rule_hint,
        role_corpora=cfg.role_corpora,
        precision=cfg.precision,
    )
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
