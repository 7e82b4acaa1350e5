"""MEANTIME English (NewsReader, Wikinews) reader, CAT XML, mapped to the project's span types.

EVENT <- EVENT_MENTION whose event (via REFERS_TO) is not GRAMMATICAL; ACTOR <- ENTITY_MENTION
of an entity typed PER or ORG; LOCATION <- LOC; TIME <- TIMEX3. Where a mention nests inside a
longer one of the same label, the innermost is kept. Only the title, the date line and the
first sentences are annotated: the sentences up to the last one holding a mention are gold.

`meta["participants"]` keeps the HAS_PARTICIPANT relations: (event mention's token runs'
first span, participant mention's span, PropBank role, participant's entity type), on the
spans as read (before the innermost rule), for linking events to who did what to whom;
`meta["entity_mentions"]` every entity mention with its entity's id and its syntactic type (NAM,
NOM, PRO, …), the document's coreference.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dateline.data.document import Document, Mention, Span
from dateline.data.labels import contiguous_runs, resolve_spans
from dateline.data.readers import Reader
from dateline.data.readers.cat_xml import read_cat
from dateline.data.splits import SplitSpec, assign
from dateline.errors import CorpusNotFoundError

ENTITY_TYPES = {"PER": "ACTOR", "ORG": "ACTOR", "LOC": "LOCATION"}
TAGSET = ("EVENT", "ACTOR", "LOCATION", "TIME")


def innermost(spans: list[Span]) -> list[Span]:
    """Drop a span that strictly contains another span of the same label."""
    return [
        s
        for s in spans
        if not any(o != s and o.label == s.label and s.start <= o.start and o.end <= s.end for o in spans)
    ]


def read_document(path: Path) -> Document:
    cat = read_cat(path)
    refers: dict[str, str] = {}
    for rel in cat.relations:
        if rel.tag == "REFERS_TO" and rel.targets:
            for s in rel.sources:
                refers[s] = rel.targets[0]
    spans: list[Span] = []
    modality: dict[tuple[int, int], dict] = {}
    for m in cat.mentions:
        label = None
        attrs = dict(m.attrs)
        instance = cat.instances.get(refers.get(m.id, ""), ("", {}))[1]
        if m.tag == "EVENT_MENTION":
            label = None if instance.get("class") == "GRAMMATICAL" else "EVENT"
        elif m.tag == "ENTITY_MENTION":
            label = ENTITY_TYPES.get(instance.get("ent_type", ""))
        elif m.tag == "TIMEX3":
            label = "TIME"
        if label is None:
            continue
        for a, b in contiguous_runs(m.tokens):
            spans.append(Span(a, b, label))
            if label == "EVENT":
                modality[(a, b)] = {k: attrs.get(k, "") for k in ("polarity", "certainty", "time", "tense")}
    kept = resolve_spans(innermost(spans))
    meta = {
        "corpus": "meantime_en",
        "topic": path.parent.name,
        "modality": modality,
        "participants": participants(cat, refers),
        "entity_mentions": entity_mentions(cat, refers),
        "mentions": [Mention(s.label, tuple(range(s.start, s.end)), where=path.name) for s in kept],
        "tagset": TAGSET,
    }
    doc = cat.document(path.stem, meta=meta)
    last = max((s.start for s in kept), default=-1)
    doc.gold = [a <= last for a, _ in doc.sentences]
    doc.spans = kept
    return doc


def participants(cat, refers: dict[str, str]) -> list[tuple[Span, Span, str, str]]:
    """(event span, participant span, role, participant entity type) per HAS_PARTICIPANT link
    whose ends are a mention with tokens; a span is the mention's first contiguous run."""
    by_id = {m.id: m for m in cat.mentions}
    out = []
    for rel in cat.relations:
        if rel.tag != "HAS_PARTICIPANT":
            continue
        for s in rel.sources:
            for t in rel.targets:
                event, part = by_id.get(s), by_id.get(t)
                if event is None or part is None or event.tag != "EVENT_MENTION":
                    continue
                ent_type = cat.instances.get(refers.get(t, ""), ("", {}))[1].get("ent_type", "")
                (ea, eb), (pa, pb) = contiguous_runs(event.tokens)[0], contiguous_runs(part.tokens)[0]
                out.append((Span(ea, eb, "EVENT"), Span(pa, pb, part.tag), rel.attrs.get("sem_role", ""), ent_type))
    return out


def entity_mentions(cat, refers: dict[str, str]) -> list[tuple[Span, str, str, str]]:
    """(span, entity id, syntactic type, entity type) per ENTITY_MENTION with tokens, its first
    contiguous run: the within-document coreference (mentions of one entity share its id) that
    checks the resolution of pronouns and common nouns to names (data/coreference.py)."""
    out = []
    for m in cat.mentions:
        if m.tag == "ENTITY_MENTION" and m.tokens and m.id in refers:
            ent_type = cat.instances.get(refers[m.id], ("", {}))[1].get("ent_type", "")
            (a, b), *_ = contiguous_runs(m.tokens)
            out.append((Span(a, b, "ENTITY"), refers[m.id], dict(m.attrs).get("syntactic_type", ""), ent_type))
    return out


def corpus_files(root: Path) -> list[Path]:
    corpus = root / "meantime_en" if (root / "meantime_en").is_dir() else root
    files = sorted(corpus.glob("intra-doc_annotation/*/*.xml"))
    if not files:
        raise CorpusNotFoundError("MEANTIME not found (expected meantime_en/intra-doc_annotation/*/*.xml)", root)
    return files


def iter_documents(root: Path) -> Iterator[Document]:
    for path in corpus_files(root):
        yield read_document(path)


class MeantimeReader(Reader):
    """MEANTIME English as a test corpus (every article: `data=meantime`, the `meantime_en`
    task), or, with `split` options (data/splits.py), split by article for training on it."""

    name = "meantime"
    tagset = TAGSET

    def __init__(self, root: str | Path, split: dict | None = None):
        self.root = Path(root)
        self.spec = SplitSpec.from_config(split) if split else None

    def splits(self) -> tuple[str, ...]:
        return ("train", "dev", "test") if self.spec else ("test",)

    def documents(self, split: str) -> Iterator[Document]:
        self.check_split(split)
        docs = list(iter_documents(self.root))
        if self.spec is None:
            yield from docs
            return
        wanted = set(assign({"all": [d.id for d in docs]}, self.spec)[split])
        yield from (d for d in docs if d.id in wanted)

    def files(self) -> list[Path]:
        return corpus_files(self.root)

    def describe(self) -> str:
        return "MEANTIME English (Wikinews), the annotated head of each article"
