"""Role-annotated news for event–participant links: RAMS 1.0 and WikiEvents, in their own
JSON-lines files (`../shared/corpora/rams/{dev,test}.jsonlines`,
`../shared/corpora/wikievents/{dev,test}.jsonl`), and QA-SRL's Wikinews gold, in its own CSV
files (`../shared/corpora/qasrl_gs/{gold,sentences}/wikinews.{dev,test}.*.csv`), read into the
one document model.

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
- **QA-SRL** (Roit et al. 2020, the Wikinews gold): every verb of a sentence with the template
  questions asked of it and their answers. The annotated sentences of one Wikinews article are
  one document, in the article's order; each verb a question was asked of is an EVENT, and the
  answers of its *who* questions are the ACTOR candidates (*what* answers are things, places
  and propositions far more than parties). A question's role is its template slot
  (`qasrl_slot`), which data/participant_roles.py maps.

Text is laid out from the corpus's tokens (one space between tokens, one newline between
sentences), so offsets index that text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from dateline.data.document import Document, Span, join_tokens
from dateline.data.participant_roles import WIKIEVENTS_PARTICIPANTS
from dateline.errors import CorpusNotFoundError, DatelineError
from dateline.io import read_text

FILES = {
    "rams": "rams/{split}.jsonlines",
    "wikievents": "wikievents/{split}.jsonl",
    "qasrl": "qasrl_gs/gold/wikinews.{split}.gold.csv",
}
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


def qasrl_slot(row: dict) -> str:
    """Which argument a QA-SRL question asks for, from its template slots: `subject` (*Who
    met someone?*), `by` (a passive's agent: *Who was someone arrested by?*), `object` (*Who did
    someone meet?*), `passive` (*Who was arrested?*), `to` (*Who did someone tell something
    to?*), else `wh:prep` (e.g. `who:with`, `what:` for a *what* object)."""
    wh, subj, obj, obj2, prep = (row[k] for k in ("wh", "subj", "obj", "obj2", "prep"))
    passive = row["is_passive"] == "True"
    if wh == "who":
        if not subj:
            return "passive" if passive else "subject"
        if passive and prep == "by":
            return "by"
        if not passive and not obj and not prep:
            return "object"
        if prep == "to" and not obj2:
            return "to"
    return f"{wh}:{prep}"


def csv_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, row) of a CSV file with a header line."""
    reader = csv.DictReader(read_text(path).splitlines())
    for row in reader:
        yield reader.line_num, row


def answer_spans(ranges: str, offset: int, length: int) -> list[tuple[int, int]]:
    """`3:5~!~0:2` (token ranges in the sentence, end exclusive) as document token spans."""
    out = []
    for part in ranges.split("~!~"):
        a, b = (int(x) for x in part.split(":"))
        if not 0 <= a < b <= length:
            raise ValueError(f"answer range {part} outside the sentence's {length} tokens")
        out.append((offset + a, offset + b))
    return out


def qasrl_sentences(gold: Path) -> Path:
    """The sentences file beside a QA-SRL gold file: `gold/wikinews.dev.gold.csv` ->
    `sentences/wikinews.dev.full.csv`."""
    return gold.parent.parent / "sentences" / gold.name.replace(".gold.csv", ".full.csv")


def qasrl_documents(gold: Path) -> list[Document]:
    """QA-SRL's Wikinews gold: one document per article, its annotated sentences in order; a
    malformed row is one error naming the file and the line."""
    sentences_path = qasrl_sentences(gold)
    if not sentences_path.is_file():
        raise CorpusNotFoundError("QA-SRL sentences not found beside the gold file", sentences_path)
    tokens_of = {row["qasrl_id"]: row["tokens"].split(" ") for _, row in csv_rows(sentences_path)}
    questions: dict[str, list[tuple[int, dict]]] = {}
    for number, row in csv_rows(gold):
        questions.setdefault(row["qasrl_id"], []).append((number, row))

    def order(sid: str) -> tuple:
        _, _, article, paragraph, sentence = sid.split(":")
        return article, int(paragraph), int(sentence)

    articles: dict[str, list[str]] = {}
    for (article, *_), sid in sorted((order(sid), sid) for sid in questions):
        articles.setdefault(article, []).append(sid)
    out = []
    for article, sids in articles.items():
        words, participants, events, actors, offset = [], [], set(), set(), 0
        for sid in sids:
            if sid not in tokens_of:
                number = questions[sid][0][0]
                raise DatelineError(f"sentence {sid} is not in {sentences_path.name}", gold, f"line {number}")
            sentence = tokens_of[sid]
            for number, row in questions[sid]:
                try:
                    verb = int(row["verb_idx"])
                    if not 0 <= verb < len(sentence):
                        raise ValueError(f"verb_idx {verb} outside the sentence's {len(sentence)} tokens")
                    event = Span(offset + verb, offset + verb + 1, "EVENT")
                    events.add(event)
                    if row["wh"] != "who":
                        continue
                    slot = qasrl_slot(row)
                    for a, b in answer_spans(row["answer_range"], offset, len(sentence)):
                        actor = Span(a, b, "ACTOR")
                        actors.add(actor)
                        participants.append((event, actor, slot, ""))
                except (KeyError, ValueError) as e:
                    raise DatelineError(f"not a QA-SRL question row ({e})", gold, f"line {number}") from None
            words.append(sentence)
            offset += len(sentence)
        text, tokens, ranges = join_tokens(words)
        spans = sorted(events, key=lambda s: (s.start, s.end)) + sorted(actors, key=lambda s: (s.start, s.end))
        out.append(
            Document(
                f"wikinews:{article}",
                text,
                tokens,
                ranges,
                spans,
                meta={"role_scheme": "qasrl", "participants": participants},
            )
        )
    return out


def json_documents(corpus: str, read: Callable[[dict], Document]) -> Callable[[Path], list[Document]]:
    """A reader of a JSON-lines corpus, one document a line, from its per-line `read`."""

    def documents(path: Path) -> list[Document]:
        out = []
        for number, raw in json_lines(path):
            try:
                out.append(read(raw))
            except (KeyError, IndexError, TypeError, ValueError) as e:
                raise DatelineError(
                    f"not a {corpus} document ({type(e).__name__}: {e})", path, f"line {number}"
                ) from None
        return out

    return documents


READ = {
    "rams": json_documents("rams", rams_document),
    "wikievents": json_documents("wikievents", wikievents_document),
    "qasrl": qasrl_documents,
}


def role_documents(root: str | Path, corpus: str, split: str) -> list[Document]:
    """The documents of one split of RAMS, WikiEvents or QA-SRL; a malformed line is one error
    naming the file and the line."""
    return READ[corpus](corpus_file(Path(root), corpus, split))
