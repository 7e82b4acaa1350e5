"""Modality of an event mention: asserted, negated, planned (future) or uncertain (hypothetical).

Learnt where the data has it (the mappings and why: docs/records.md and docs/data.md):
- MEANTIME's `EVENT_MENTION` attributes give all four: polarity NEG -> negated; else time
  FUTURE -> planned; else certainty POSSIBLE/PROBABLE -> uncertain; else asserted;
- ECB+ says only negated or not: `NEG_ACTION_*` -> negated; an `ACTION_*` is a *partial* label
  (asserted, planned or uncertain), trained by maximising the probability of the allowed set,
  so ECB+'s future events are not taught as asserted;
- TempEval-3's TBAQ (`tbaq=true`) gives its events' `MAKEINSTANCE` attributes: polarity NEG ->
  negated; else tense FUTURE -> planned; else a modal of possibility -> uncertain; else a
  partial label. Files whose polarity is corrupt, events without a `MAKEINSTANCE` and TBAQ's dev
  files are left out.

The classifier reads a sentence with its events' words marked by token type 1 (`marking:
types`; no word added, so nothing more to encode) and classifies the encoder's vector of each
event's first subword, every event of the sentence in one pass (`reading: sentence`; a long
sentence is cut into rows of at most ROW_WORDS words, each event with CONTEXT_WORDS words on
either side where the sentence has them); the encoder is MiniLM's first 3 layers (`layers`;
docs/studies/16-records-speed.md). Models trained before put each event between ` << ` and
` >> ` (`marking: words`) or read one event a row (`reading: event`, the sentence cut to
CONTEXT_WORDS words around the event), and are applied as they were trained. The head is
training/position_head.py's, shared with the linker; examples weigh by how rare their mode is
(inverse frequency, at most 5; partial labels 1). This module trains it (`dateline modality`
writes a model directory: `save_pretrained` + `modality.json`); `tagging/modality.py` applies
it and `eval/modality_cv.py` scores it, each in the room of what it does.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dateline.cli import hydra_entry
from dateline.data.labels import contiguous_runs
from dateline.errors import DatelineError
from dateline.runs import MODALITY_META as META

MODES = ("asserted", "negated", "planned", "uncertain")
NOT_NEGATED = ("asserted", "planned", "uncertain")
CONTEXT_WORDS = 24  # words kept on each side of an event: its clause, and room under max_length
ROW_WORDS = 80  # words of a sentence read in one row (events' markers aside)
MAX_LENGTH = 192
READINGS = ("sentence", "event")
MARKINGS = ("types", "words")


@dataclass(frozen=True)
class Example:
    """One event in its sentence: words, the event's word range [start, end), allowed modes."""

    words: tuple[str, ...]
    start: int
    end: int
    allowed: tuple[str, ...] = MODES
    source: str = ""


def mode_of_meantime(attrs: dict) -> str:
    if attrs.get("polarity") == "NEG":
        return "negated"
    if attrs.get("time") == "FUTURE":
        return "planned"
    if attrs.get("certainty") in ("POSSIBLE", "PROBABLE"):
        return "uncertain"
    return "asserted"


def meantime_examples(corpora: str | Path, topics: Iterable[str] | None = None) -> list[Example]:
    """Every EVENT of MEANTIME's annotated heads (of the given topic folders), with its mode."""
    from dateline.data.readers.meantime import iter_documents

    wanted = None if topics is None else set(topics)
    out = []
    for doc in iter_documents(Path(corpora)):
        if wanted is not None and doc.meta["topic"] not in wanted:
            continue
        for (a, b), attrs in sorted(doc.meta["modality"].items()):
            words, start, end = doc.in_sentence(a, b)
            out.append(Example(tuple(words), start, end, (mode_of_meantime(attrs),), f"{doc.id}@{a}"))
    return out


def ecbplus_examples(corpora: str | Path, limit: int | None = 3000, seed: int = 0) -> list[Example]:
    """ECB+ events of the training and dev topics (test topics untouched): every NEG_ACTION as
    negated, a seeded sample of `limit` ACTIONs as not negated (a partial label)."""
    from dateline.data.readers.ecbplus import DEV_TOPICS, TEST_TOPICS, iter_documents

    negated, others = [], []
    topics = [t for t in range(1, 46) if t not in TEST_TOPICS or t in DEV_TOPICS]
    for doc in iter_documents(Path(corpora), topics):
        for m in doc.meta["mentions"]:
            neg = m.tag.startswith("NEG_ACTION_")
            if not (neg or m.tag.startswith("ACTION_")):
                continue
            a, b = contiguous_runs(m.tokens)[0]
            words, start, end = doc.in_sentence(a, b)
            ex = Example(tuple(words), start, end, ("negated",) if neg else NOT_NEGATED, f"{doc.id}@{a}")
            (negated if neg else others).append(ex)
    if limit is not None and limit < len(others):
        others = random.Random(seed).sample(others, limit)
    return negated + others


UNCERTAIN_MODALS = frozenset({"may", "might", "could", "possible", "possibly", "potential", "unlikely", "likelihood"})
CORRUPT_NEG_SHARE = 0.5  # a TimeML file marking at least this share of its events NEG is corrupt


def modes_of_timeml(attrs: dict) -> tuple[str, ...] | None:
    """The modes a TimeML event instance allows (one, or the partial "not negated"); None when
    it has no `MAKEINSTANCE` (nothing known)."""
    if attrs.get("polarity") is None:
        return None
    if attrs["polarity"] == "NEG":
        return ("negated",)
    if attrs.get("tense") == "FUTURE":
        return ("planned",)
    if (attrs.get("modality") or "").strip().lower() in UNCERTAIN_MODALS:
        return ("uncertain",)
    return NOT_NEGATED


def neg_share(events: dict) -> float:
    return sum(e["polarity"] == "NEG" for e in events.values()) / max(len(events), 1)


def timeml_examples(corpora: str | Path, limit: int | None = 1000, seed: int = 0) -> list[Example]:
    """TBAQ's training-split events with their modes (`modes_of_timeml`), files with corrupt
    polarity left out: every single-mode event, and a seeded sample of `limit` partial ones."""
    from dateline.data.readers.timeml import iter_documents

    single, partial = [], []
    for doc in iter_documents(Path(corpora), "train"):
        if neg_share(doc.meta["events"]) >= CORRUPT_NEG_SHARE:
            continue
        for eid, ev in sorted(doc.meta["events"].items()):
            allowed = modes_of_timeml(ev)
            if allowed is None:
                continue
            words, start, end = doc.in_sentence(ev["tokens"][0], ev["tokens"][-1] + 1)
            ex = Example(tuple(words), start, end, allowed, f"{doc.id}@{eid}")
            (single if len(allowed) == 1 else partial).append(ex)
    if limit is not None and limit < len(partial):
        partial = random.Random(seed).sample(partial, limit)
    return single + partial


def marked_row(
    words: list[str], events: list[tuple[int, int]], marking: str = "types"
) -> tuple[list[str], list[int], list[int]]:
    """The words from CONTEXT_WORDS before the first event to CONTEXT_WORDS after the last, where
    each event's first word is in them, and per word its token type: `types` marks the events'
    words with token type 1 (no word added, so no subword to pay for); `words` puts each event
    between `<<` and `>>` (all types 0), as models trained before read it."""
    if marking not in MARKINGS:
        raise DatelineError(f"modality marking must be one of {', '.join(MARKINGS)}, not {marking!r}")
    lo = max(0, min(a for a, _ in events) - CONTEXT_WORDS)
    hi = min(len(words), max(b for _, b in events) + CONTEXT_WORDS)
    if marking == "types":
        inside = {i for a, b in events for i in range(a, b)}
        return words[lo:hi], [a - lo for a, _ in events], [int(i in inside) for i in range(lo, hi)]
    opens, closes = Counter(a for a, _ in set(events)), Counter(b for _, b in set(events))
    out, at = [], {}
    for i in range(lo, hi):
        out += ["<<"] * opens[i]
        at[i] = len(out)
        out.append(words[i])
        out += [">>"] * closes[i + 1]
    return out, [at[a] for a, _ in events], [0] * len(out)


def sentence_rows(examples: list[Example], members: list[int]) -> list[list[int]]:
    """The examples of one sentence (`members`) in text order, cut into rows whose words, from the
    first event's context to the last's, are at most ROW_WORDS."""
    rows: list[list[int]] = []
    lo = hi = 0  # the words the last row reads
    for i in sorted(members, key=lambda i: (examples[i].start, examples[i].end)):
        x = examples[i]
        a, b = max(0, x.start - CONTEXT_WORDS), min(len(x.words), x.end + CONTEXT_WORDS)
        if rows and max(hi, b) - lo <= ROW_WORDS:
            rows[-1].append(i)
            hi = max(hi, b)
        else:
            rows.append([i])
            lo, hi = a, b
    return rows


def rows_of(examples: list[Example], reading: str = "sentence", marking: str = "types") -> list[tuple]:
    """The rows the classifier reads the examples in: (words, where each event's first word is,
    the examples read there, the words' token types; `marked_row`). `sentence`: the events of
    one sentence (one source document's) together, cut into rows of at most ROW_WORDS words;
    `event`: one event a row."""
    if reading not in READINGS:
        raise DatelineError(f"modality reading must be one of {', '.join(READINGS)}, not {reading!r}")
    if reading == "event":
        groups = [[i] for i in range(len(examples))]
    else:
        by_sentence: dict[tuple, list[int]] = {}
        for i, x in enumerate(examples):
            by_sentence.setdefault((x.source.rsplit("@", 1)[0], x.words), []).append(i)
        groups = [row for members in by_sentence.values() for row in sentence_rows(examples, members)]
    out = []
    for group in groups:
        events = [(examples[i].start, examples[i].end) for i in group]
        words, at, types = marked_row(list(examples[group[0]].words), events, marking)
        out.append((words, at, group, types))
    return out


def mode_weights(examples: list[Example], cap: float = 5.0, power: float = 1.0) -> dict[str, float]:
    """Per mode, (most frequent count / its count) ** power over the single-mode examples, at
    most `cap`: power 0.5 is the square root, 1 the inverse frequency."""
    counts = Counter(x.allowed[0] for x in examples if len(x.allowed) == 1)
    top = max(counts.values(), default=1)
    return {m: min(cap, (top / counts[m]) ** power) if counts[m] else 1.0 for m in MODES}


def encode(
    examples: list[Example],
    tokenizer,
    weights: dict[str, float] | None = None,
    reading: str = "sentence",
    marking: str = "types",
) -> dict:
    """Token ids (and token types) of each row of marked events (`rows_of`), the position of
    each event's first subword, which example each position reads (`items`), and (for
    training) the allowed modes as 0/1 vectors and the examples' weights."""
    from dateline.training.position_head import encode_marked

    weights = weights or {}
    rows = rows_of(examples, reading, marking)

    def weight(x: Example) -> float:
        return weights.get(x.allowed[0], 1.0) if len(x.allowed) == 1 else 1.0

    labels = [[[float(m in examples[i].allowed) for m in MODES] for i in group] for _, _, group, _ in rows]
    enc = encode_marked(
        tokenizer,
        [(words, at) for words, at, _, _ in rows],
        labels,
        [[weight(examples[i]) for i in group] for _, _, group, _ in rows],
        MAX_LENGTH,
        [types for *_, types in rows] if marking == "types" else None,
    )
    enc["items"] = [group for _, _, group, _ in rows]
    return enc


def train(
    examples: list[Example],
    out_dir: Path,
    encoder: str | None = None,
    epochs: int = 8,
    learning_rate: float = 5e-5,
    batch_size: int = 32,
    seed: int = 0,
    weight_power: float = 1.0,
    sources: dict | None = None,
    precision: str = "auto",
    reading: str = "sentence",
    marking: str = "types",
    layers: int | None = None,
) -> dict:
    """Fine-tune the encoder (its first `layers` layers; None: all) with a mode head read at
    each event's first subword on `examples` (the events of a sentence read together, or one a
    row: `reading`; the events marked as `marking` says); write the model
    directory; return its meta (with `sources`, the settings that chose the examples, so a model
    trained alike can be found again)."""
    from dateline.training.position_head import fit

    if not examples:
        raise DatelineError("no modality examples to train on (is the corpora folder right?)")
    weights = mode_weights(examples, power=weight_power)
    fitted = fit(
        lambda tokenizer: encode(examples, tokenizer, weights, reading, marking),
        MODES,
        out_dir,
        encoder,
        epochs,
        learning_rate,
        batch_size,
        seed,
        precision,
        layers,
    )
    meta = {
        "modes": list(MODES),
        "reading": reading,
        "marking": marking,
        **fitted,
        "examples": len(examples),
        "sources": sources or {},
        "weight_power": weight_power,
        "mode_weights": weights,
        "examples_by_label": dict(Counter("|".join(x.allowed) for x in examples)),
    }
    (out_dir / META).write_text(json.dumps(meta, indent=2))
    return meta


def training_examples(
    corpora: str | Path, meantime_topics: Iterable[str] | None, sources: dict, seed: int
) -> list[Example]:
    """MEANTIME's events (of the given topics), ECB+'s (`sources["ecb_limit"]` partial ones
    sampled) and, with `sources["tbaq"]`, TBAQ's (`sources["tbaq_limit"]` partial ones)."""
    out = meantime_examples(corpora, meantime_topics) + ecbplus_examples(corpora, sources["ecb_limit"], seed)
    if sources.get("tbaq"):
        out += timeml_examples(corpora, sources["tbaq_limit"], seed)
    return out


def sources_of(cfg) -> dict:
    """The settings (from a modality or modality-cv config) that choose the training examples."""
    return {"ecb_limit": int(cfg.ecb_limit), "tbaq": bool(cfg.tbaq), "tbaq_limit": int(cfg.tbaq_limit)}


@hydra_entry("modality")
def main(cfg) -> None:
    """`dateline modality`: train the classifier (one seed, or an ensemble of several seeds)."""
    out = Path(cfg.out)
    seeds = list(cfg.seeds)
    sources = sources_of(cfg)
    for seed in seeds:
        examples = training_examples(cfg.corpora, cfg.meantime_topics, sources, seed)
        where = out if len(seeds) == 1 else out / f"seed_{seed}"
        settings = dict(
            epochs=cfg.epochs,
            seed=seed,
            weight_power=cfg.weight_power,
            precision=cfg.precision,
            reading=cfg.reading,
            marking=cfg.marking,
            layers=cfg.layers,
        )
        meta = train(examples, where, **settings, sources=sources)
        print(json.dumps(meta, indent=2))
    if len(seeds) > 1:
        members = [f"seed_{s}" for s in seeds]
        (out / META).write_text(json.dumps({"modes": list(MODES), "members": members, "seeds": seeds}, indent=2))


if __name__ == "__main__":
    main()
