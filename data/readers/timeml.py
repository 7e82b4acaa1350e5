"""TempEval-3 (UzZaman et al., SemEval-2013 task 1): TimeML articles and TE3-Platinum into `Document`s.

- TBAQ-cleaned (`TimeBank/*.tml`, `AQUAINT/*.tml`), the task's training data: the text inside
  `<TEXT>` exactly as written, each `EVENT` (class) and `TIMEX3` (type) at its character offsets,
  each event's first `MAKEINSTANCE` (tense, aspect, polarity, modality) in `meta["events"]`; an
  event without one (about 40 in TimeBank) is kept with its attributes unknown (None).
- TE3-Platinum, the task's test set, as the CrowdTruth CSVs: the gold tokens and their BIO event
  classes per sentence; the text is the sentence strings, one per line.

Mentions are raw tags, `EVENT_<CLASS>` and `TIMEX3_<TYPE>`, so a label scheme chooses what to keep
(labels=events: every event; labels=timeml_class: the 7 classes). Words come from the project's
tokenizer (data/text.py) for the .tml files; a mention covers every token it overlaps.
Splits: TBAQ's documents in sorted path order, every `dev_every`-th one dev (25 of 256 with 10),
the rest train; test is TE3-Platinum, only ever scored.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from dateline.data.document import Document, Mention, Token
from dateline.data.readers import Reader
from dateline.data.text import split_sentences, tokenize
from dateline.errors import CorpusNotFoundError, DatelineError

TBAQ = "TBAQ-cleaned"
PLATINUM = "te3_platinum"
PLATINUM_TOKENS = "TE3-Platinum_tokens.csv"
CLASSES = ("OCCURRENCE", "REPORTING", "I_ACTION", "STATE", "I_STATE", "ASPECTUAL", "PERCEPTION")
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
# every tag TimeML can give: a scheme type none of these maps to (ACTOR) is not annotated here,
# so its words are not taken as O in training (data/dataset.py: unannotated_types)
TAGSET = tuple(f"EVENT_{c}" for c in CLASSES) + tuple(f"TIMEX3_{t}" for t in TIMEX_TYPES)
ATTRIBUTES = ("tense", "aspect", "polarity", "modality")


def corpus_dir(root: Path) -> Path:
    for candidate in (root / "tempeval3", root):
        if (candidate / TBAQ).is_dir():
            return candidate
    raise CorpusNotFoundError(f"TempEval-3 not found (expected tempeval3/{TBAQ}/ with TimeBank and AQUAINT)", root)


def tml_files(root: Path) -> list[Path]:
    files = sorted((corpus_dir(root) / TBAQ).glob("*/*.tml"))
    if not files:
        raise CorpusNotFoundError(f"no .tml files in {TBAQ}", corpus_dir(root))
    return files


def marked_text(element: ET.Element) -> tuple[str, list[tuple[int, int, ET.Element]]]:
    """The text inside `element` as written, and (start, end, element) of every tag within it."""
    parts: list[str] = [element.text or ""]
    marks: list[tuple[int, int, ET.Element]] = []
    size = len(parts[0])
    for child in element:
        inner, inner_marks = marked_text(child)
        marks.append((size, size + len(inner), child))
        marks.extend((a + size, b + size, e) for a, b, e in inner_marks)
        parts += [inner, child.tail or ""]
        size += len(inner) + len(child.tail or "")
    return "".join(parts), marks


def corpus_files(root: Path) -> list[Path]:
    """Every file the splits are read from (for the datasets cache key)."""
    platinum = corpus_dir(root) / PLATINUM / PLATINUM_TOKENS
    return tml_files(root) + ([platinum] if platinum.is_file() else [])


def read_tml(path: Path) -> Document:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise DatelineError(f"not well-formed TimeML XML: {e}", path) from None
    text_el = root.find("TEXT")
    if text_el is None:
        raise DatelineError("no <TEXT> element", path)
    text, marks = marked_text(text_el)
    tokens = tokenize(text)
    instances: dict[str, dict] = {}
    for inst in root.iter("MAKEINSTANCE"):
        instances.setdefault(inst.get("eventID", ""), {k: inst.get(k) for k in ATTRIBUTES})
    mentions, events = [], {}
    for start, end, el in marks:
        if el.tag not in ("EVENT", "TIMEX3"):
            continue
        ident = el.get("eid") if el.tag == "EVENT" else el.get("tid")
        kind = el.get("class") if el.tag == "EVENT" else el.get("type")
        if not ident or not kind:
            raise DatelineError(f"<{el.tag}> at character {start} has no id or no class/type", path)
        covered = tuple(i for i, t in enumerate(tokens) if t.start < end and start < t.end)
        if not covered:
            continue  # an empty tag: nothing to label
        mentions.append(Mention(f"{el.tag}_{kind}", covered, ident))
        if el.tag == "EVENT":
            attrs = instances.get(ident) or dict.fromkeys(ATTRIBUTES)
            events[ident] = {"class": kind, "tokens": covered, "text": text[start:end], **attrs}
    meta = {"corpus": "tempeval3", "part": path.parent.name, "mentions": mentions, "events": events, "tagset": TAGSET}
    return Document(id=path.stem, text=text, tokens=tokens, sentences=split_sentences(text, tokens), meta=meta)


def platinum_documents(root: Path) -> list[Document]:
    """TE3-Platinum's 20 articles from its token CSV: the gold tokens, one sentence per line."""
    path = corpus_dir(root) / PLATINUM / PLATINUM_TOKENS
    if not path.is_file():
        raise CorpusNotFoundError(f"TE3-Platinum not found (expected {PLATINUM}/{PLATINUM_TOKENS})", corpus_dir(root))
    rows: dict[str, list[dict]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            try:
                row["_sent"], row["_tok"] = int(row["Sentence Id"]), int(row["Token Id Doc"])
            except (KeyError, TypeError, ValueError):
                raise DatelineError("expected integer 'Sentence Id' and 'Token Id Doc'", path, f"line {line}") from None
            rows[row["Doc Id"]].append(row)
    return [platinum_document(doc_id, sorted(r, key=lambda r: r["_tok"])) for doc_id, r in sorted(rows.items())]


def platinum_document(doc_id: str, rows: list[dict]) -> Document:
    """One article: its tokens joined by single spaces, one sentence per line (the sentence
    strings the CSV's offsets index), and its events from the BIO event columns."""
    by_sentence: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        by_sentence[r["_sent"]].append(r)
    text, tokens, sentences, by_event = "", [], [], defaultdict(list)
    for sent in sorted(by_sentence):
        first, pos = len(tokens), len(text)
        for r in by_sentence[sent]:
            tokens.append(Token(r["Token"], pos, pos + len(r["Token"])))
            pos += len(r["Token"]) + 1  # the single space (or the line break) after it
            if r["Is Event"] == "1":
                by_event[r["Event Id"]].append((len(tokens) - 1, r))
        text += " ".join(r["Token"] for r in by_sentence[sent]) + "\n"
        sentences.append((first, len(tokens)))
    mentions, events = [], {}
    for eid, found in by_event.items():
        covered = tuple(i for i, _ in found)
        first = found[0][1]
        kind = first["Event Class"].split("-", 1)[-1]
        mentions.append(Mention(f"EVENT_{kind}", covered, eid))
        attrs = {
            k: (None if first[k.title()] in ("", "O") else first[k.title()]) for k in ATTRIBUTES if k.title() in first
        }
        events[eid] = {"class": kind, "tokens": covered, **dict.fromkeys(ATTRIBUTES), **attrs}
    meta = {"corpus": "te3_platinum", "mentions": mentions, "events": events, "tagset": TAGSET}
    return Document(id=doc_id, text=text, tokens=tokens, sentences=sentences, meta=meta)


class TimeMLReader(Reader):
    """TempEval-3: TBAQ-cleaned trains (every `dev_every`-th file in sorted order is dev), and
    TE3-Platinum is the test split (`data=tempeval3`)."""

    name = "timeml"
    tagset = TAGSET

    def __init__(self, root: str | Path, dev_every: int = 10):
        self.root, self.dev_every = Path(root), int(dev_every)

    def splits(self) -> tuple[str, ...]:
        return ("train",) + (("dev",) if self.dev_every > 0 else ()) + ("test",)

    def documents(self, split: str) -> Iterator[Document]:
        self.check_split(split)
        return iter_documents(self.root, split, self.dev_every)

    def files(self) -> list[Path]:
        return corpus_files(self.root)

    def describe(self) -> str:
        return "TempEval-3 (TBAQ-cleaned; TE3-Platinum as test)"


def iter_documents(root: Path, split: str, dev_every: int = 10) -> Iterator[Document]:
    """One split: TBAQ train or dev (every `dev_every`-th file in sorted order), or TE3-Platinum."""
    if split == "test":
        yield from platinum_documents(root)
        return
    for i, path in enumerate(tml_files(root)):
        is_dev = dev_every > 0 and i % dev_every == dev_every - 1
        if is_dev == (split == "dev"):
            yield read_tml(path)
