"""Role-annotated news for event–participant links: RAMS 1.0 and WikiEvents, in their own
JSON-lines files (`../shared/corpora/rams/{dev,test}.jsonlines`,
`../shared/corpora/wikievents/{dev,test}.jsonl`), read into the one document model.

They annotate arguments, not a tagger's span types, so they are not span readers (no
`configs/data/` group): each document carries EVENT spans (the triggers) and ACTOR spans (the
candidate participants), and `meta["participants"]` the corpus's own roles, which
data/participant_roles.py maps to actor and recipient.

- **RAMS**: one event per document (a five-sentence window of a news article), its arguments
  anywhere in the window; the argument spans are its only marked entities, so every argument
  span is an ACTOR candidate (places and artifacts too: a linking must tell them apart).
- **WikiEvents**: whole articles with every event and every entity mention typed; the
  mentions of persons, organisations and geopolitical entities (PER, ORG, GPE) are the ACTOR
  spans, each argument points at one mention by its id.

Text is laid out from the corpus's tokens (one space between tokens, one newline between
sentences), so offsets index that text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from dateline.data.document import Document, Span, join_tokens
from dateline.data.participant_roles import WIKIEVENTS_PARTICIPANTS
from dateline.errors import CorpusNotFoundError, DatelineError
from dateline.io import read_text

FILES = {"rams": "rams/{split}.jsonlines", "wikievents": "wikievents/{split}.jsonl"}
SPLITS = ("dev", "test")


def json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as e:
                raise DatelineError(f"not a JSON line: {e.msg}", path, f"line {number}") from None


def corpus_file(root: Path, corpus: str, split: str) -> Path:
    if corpus not in FILES or split not in SPLITS:
        raise DatelineError(f"role corpora are {sorted(FILES)} with splits {SPLITS}, not {corpus!r} {split!r}")
    path = Path(root) / FILES[corpus].format(split=split)
    if not path.is_file():
        raise CorpusNotFoundError(
            f"{corpus} {split} split not found (expected {FILES[corpus].format(split=split)})", root
        )
    return path


def rams_document(raw: dict) -> Document:
    """A RAMS window: its trigger as EVENT, its argument spans as ACTOR candidates (token
    indices over the whole window, end inclusive in the file)."""
    text, tokens, ranges = join_tokens(raw["sentences"])
    (t0, t1, _), *_ = raw["evt_triggers"]
    event = Span(t0, t1 + 1, "EVENT")
    args = [(Span(a, b + 1, "ACTOR"), role.split("arg", 1)[1][2:]) for (_, _), (a, b), role in raw["gold_evt_links"]]
    spans = [event] + sorted({s for s, _ in args}, key=lambda s: (s.start, s.end))
    meta = {"role_scheme": "rams", "participants": [(event, s, role, "") for s, role in args]}
    return Document(raw["doc_key"], text, tokens, ranges, spans, meta=meta)


def wikievents_document(raw: dict) -> Document:
    """A WikiEvents article: every trigger as EVENT, every PER/ORG/GPE mention as ACTOR; each
    argument names its mention by id."""
    lengths = [len(sentence) for sentence, _ in raw["sentences"]]
    words, pos = [], 0
    for n in lengths:
        words.append(raw["tokens"][pos : pos + n])
        pos += n
    text, tokens, ranges = join_tokens(words)
    mentions = {m["id"]: m for m in raw["entity_mentions"]}
    events = [Span(e["trigger"]["start"], e["trigger"]["end"], "EVENT") for e in raw["event_mentions"]]
    actors = {
        Span(m["start"], m["end"], "ACTOR") for m in mentions.values() if m["entity_type"] in WIKIEVENTS_PARTICIPANTS
    }
    participants = [
        (event, Span(m["start"], m["end"], "ACTOR"), arg["role"], m["entity_type"])
        for event, raw_event in zip(events, raw["event_mentions"])
        for arg in raw_event["arguments"]
        if (m := mentions.get(arg["entity_id"])) is not None
    ]
    spans = sorted(set(events), key=lambda s: (s.start, s.end)) + sorted(actors, key=lambda s: (s.start, s.end))
    return Document(
        raw["doc_id"], text, tokens, ranges, spans, meta={"role_scheme": "wikievents", "participants": participants}
    )


READ = {"rams": rams_document, "wikievents": wikievents_document}


def role_documents(root: str | Path, corpus: str, split: str) -> list[Document]:
    """The documents of one split of RAMS or WikiEvents; a malformed line is one error naming
    the file and the line."""
    path = corpus_file(Path(root), corpus, split)
    out = []
    for number, raw in json_lines(path):
        try:
            out.append(READ[corpus](raw))
        except (KeyError, IndexError, TypeError, ValueError) as e:
            raise DatelineError(f"not a {corpus} document ({type(e).__name__}: {e})", path, f"line {number}") from None
    return out
