"""Modality of an event mention: asserted, negated, planned (future) or uncertain (hypothetical).

Learnt where the data has it:
- MEANTIME's `EVENT_MENTION` attributes give all four: polarity NEG -> negated; else time
  FUTURE -> planned; else certainty POSSIBLE/PROBABLE -> uncertain; else asserted. (So *likely
  to discuss*, a probable future event, is planned: an event-data coder wants it as not yet
  happened, which is what `planned` says.)
- ECB+ says only negated or not: `NEG_ACTION_*` -> negated; an `ACTION_*` is "not negated",
  a *partial* label (asserted, planned or uncertain), trained by maximising the probability of
  the allowed set (a partial-label loss), so ECB+'s future events are not taught as asserted.

The classifier reads the sentence around the event with the event between ` << ` and ` >> `
markers (the encoder's own words, no new vocabulary) and classifies the encoder's vector of
the event's first subword (a token-classification head read at that one position: the event
in its context, where *will*, *likely to* and *not* act on it). A first version classified the
[CLS] vector of a sequence classifier, unweighted, and never predicted `planned` on MEANTIME
(README "Event records"). Examples are weighted by how rare their mode is (the inverse
frequency, at most 5; partial labels weigh 1: over three seeds of the MEANTIME cross-validation
it found more planned events than the square root of it did, at the same accuracy), and the HF
`Trainer` trains it.
(training/position_head.py holds that reading, shared with the linker.)
`dateline modality` writes a model directory (`save_pretrained` + `modality.json`);
`tagging.modality.ModalityClassifier` reads it.
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
CONTEXT_WORDS = 24  # words kept on each side of the event: its clause, and room under max_length
MAX_LENGTH = 128


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
    from dateline.data.meantime import iter_documents

    wanted = None if topics is None else set(topics)
    out = []
    for doc in iter_documents(Path(corpora)):
        if wanted is not None and doc.meta["topic"] not in wanted:
            continue
        for (a, b), attrs in sorted(doc.meta["modality"].items()):
            s, e = doc.sentence_of(a)
            out.append(Example(tuple(doc.words[s:e]), a - s, b - s, (mode_of_meantime(attrs),), f"{doc.id}@{a}"))
    return out


def ecbplus_examples(corpora: str | Path, limit: int | None = 3000, seed: int = 0) -> list[Example]:
    """ECB+ events of the training and dev topics (test topics untouched): every NEG_ACTION as
    negated, a seeded sample of `limit` ACTIONs as not negated (a partial label)."""
    from dateline.data.ecbplus import DEV_TOPICS, TEST_TOPICS, iter_documents

    negated, others = [], []
    topics = [t for t in range(1, 46) if t not in TEST_TOPICS or t in DEV_TOPICS]
    for doc in iter_documents(Path(corpora), topics):
        for m in doc.meta["mentions"]:
            neg = m.tag.startswith("NEG_ACTION_")
            if not (neg or m.tag.startswith("ACTION_")):
                continue
            a, b = contiguous_runs(m.tokens)[0]
            s, e = doc.sentence_of(a)
            b = min(b, e)
            ex = Example(tuple(doc.words[s:e]), a - s, b - s, ("negated",) if neg else NOT_NEGATED, f"{doc.id}@{a}")
            (negated if neg else others).append(ex)
    if limit is not None and limit < len(others):
        others = random.Random(seed).sample(others, limit)
    return negated + others


def marked_words(words: Iterable[str], start: int, end: int) -> list[str]:
    """The event between markers, with at most CONTEXT_WORDS words on each side."""
    words = list(words)
    left = words[max(0, start - CONTEXT_WORDS) : start]
    return left + ["<<"] + words[start:end] + [">>"] + words[end : end + CONTEXT_WORDS]


def mode_weights(examples: list[Example], cap: float = 5.0, power: float = 1.0) -> dict[str, float]:
    """Per mode, (most frequent count / its count) ** power over the single-mode examples, at
    most `cap`: power 0.5 is the square root, 1 the inverse frequency."""
    counts = Counter(x.allowed[0] for x in examples if len(x.allowed) == 1)
    top = max(counts.values(), default=1)
    return {m: min(cap, (top / counts[m]) ** power) if counts[m] else 1.0 for m in MODES}


def encode(examples: list[Example], tokenizer, weights: dict[str, float] | None = None) -> dict:
    """Token ids of each marked event, the position of the event's first subword, and (for
    training) the allowed modes as a 0/1 vector and the example's weight."""
    from dateline.training.position_head import encode_marked

    weights = weights or {}
    # the event's first word comes right after the "<<" marker
    marked = [(marked_words(x.words, x.start, x.end), min(x.start, CONTEXT_WORDS) + 1) for x in examples]
    labels = [[float(m in x.allowed) for m in MODES] for x in examples]
    weight = [weights.get(x.allowed[0], 1.0) if len(x.allowed) == 1 else 1.0 for x in examples]
    return encode_marked(tokenizer, marked, labels, weight, MAX_LENGTH)


def train(
    examples: list[Example],
    out_dir: Path,
    encoder: str | None = None,
    epochs: int = 8,
    learning_rate: float = 5e-5,
    batch_size: int = 32,
    seed: int = 0,
    weight_power: float = 1.0,
) -> dict:
    """Fine-tune the encoder with a mode head read at each event's first subword on `examples`;
    write the model directory; return its meta."""
    from dateline.training.position_head import fit

    if not examples:
        raise DatelineError("no modality examples to train on (is the corpora folder right?)")
    weights = mode_weights(examples, power=weight_power)
    fitted = fit(
        lambda tokenizer: encode(examples, tokenizer, weights),
        MODES,
        out_dir,
        encoder,
        epochs,
        learning_rate,
        batch_size,
        seed,
    )
    meta = {
        "modes": list(MODES),
        **fitted,
        "examples": len(examples),
        "weight_power": weight_power,
        "mode_weights": weights,
        "examples_by_label": dict(Counter("|".join(x.allowed) for x in examples)),
    }
    (out_dir / META).write_text(json.dumps(meta, indent=2))
    return meta


def training_examples(
    corpora: str | Path, meantime_topics: Iterable[str] | None, ecb_limit: int, seed: int
) -> list[Example]:
    return meantime_examples(corpora, meantime_topics) + ecbplus_examples(corpora, ecb_limit, seed)


@hydra_entry("modality")
def main(cfg) -> None:
    """`dateline modality`: train the classifier (one seed, or an ensemble of several seeds)."""
    out = Path(cfg.out)
    seeds = list(cfg.seeds)
    for seed in seeds:
        examples = training_examples(cfg.corpora, cfg.meantime_topics, cfg.ecb_limit, seed)
        where = out if len(seeds) == 1 else out / f"seed_{seed}"
        meta = train(examples, where, epochs=cfg.epochs, seed=seed, weight_power=cfg.weight_power)
        print(json.dumps(meta, indent=2))
    if len(seeds) > 1:
        members = [f"seed_{s}" for s in seeds]
        (out / META).write_text(json.dumps({"modes": list(MODES), "members": members, "seeds": seeds}, indent=2))


if __name__ == "__main__":
    main()
