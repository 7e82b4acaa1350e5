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
`dateline modality` writes a model directory (`save_pretrained` + `modality.json`);
`tagging.modality.ModalityClassifier` reads it.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import torch

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
    enc = tokenizer(
        [marked_words(x.words, x.start, x.end) for x in examples],
        is_split_into_words=True,
        truncation=True,
        max_length=MAX_LENGTH,
    )
    positions = []
    for i, x in enumerate(examples):
        word_ids = enc.word_ids(i)
        event_word = min(x.start, CONTEXT_WORDS) + 1  # the word after the "<<" marker
        positions.append(next((j for j, w in enumerate(word_ids) if w == event_word), 0))
    enc["event_index"] = positions
    enc["labels"] = [[float(m in x.allowed) for m in MODES] for x in examples]
    weights = weights or {}
    enc["weight"] = [weights.get(x.allowed[0], 1.0) if len(x.allowed) == 1 else 1.0 for x in examples]
    return enc


def event_logits(model, inputs: dict) -> torch.Tensor:
    """The mode logits read at each example's event position."""
    index = inputs.pop("event_index")
    logits = model(**inputs).logits
    return logits[torch.arange(logits.shape[0]), index]


def partial_label_loss(logits: torch.Tensor, allowed: torch.Tensor, weight: torch.Tensor | None = None) -> torch.Tensor:
    """-log P(mode in allowed set): cross-entropy when one mode is allowed, and for a partial
    label (ECB+'s "not negated") the probability mass of the allowed modes together; a
    weighted mean over the examples."""
    logp = torch.log_softmax(logits.float(), dim=-1)
    losses = -(logp + torch.log(allowed.clamp_min(1e-12))).logsumexp(dim=-1)
    if weight is None:
        return losses.mean()
    return (losses * weight).sum() / weight.sum()


def partial_label_trainer(**kwargs):
    """An HF `Trainer` whose loss is `partial_label_loss` over the mode logits at the events."""
    from transformers import Trainer

    class _PartialLabelTrainer(Trainer):
        def compute_loss(self, model, inputs, return_outputs=False, **kw):
            allowed, weight = inputs.pop("labels"), inputs.pop("weight")
            logits = event_logits(model, inputs)
            loss = partial_label_loss(logits, allowed, weight)
            return (loss, logits) if return_outputs else loss

    return _PartialLabelTrainer(**kwargs)


def training_arguments(out_dir: Path, epochs: int, learning_rate: float, batch_size: int, seed: int):
    """The Trainer's arguments, with the precision (bf16 where native) chosen for this machine."""
    from transformers import TrainingArguments

    from dateline.training.precision import default_device, resolve

    device = default_device()
    return TrainingArguments(
        output_dir=str(out_dir / "checkpoints"),
        num_train_epochs=epochs,
        learning_rate=learning_rate,
        per_device_train_batch_size=batch_size,
        warmup_steps=0.1,
        weight_decay=0.01,
        save_strategy="no",
        logging_strategy="epoch",
        report_to=[],
        seed=seed,
        data_seed=seed,
        bf16=resolve("auto", device) == "bf16",
        use_cpu=device == "cpu",
        train_sampling_strategy="group_by_length",
        remove_unused_columns=False,  # event_index and weight are read by compute_loss
        disable_tqdm=True,
    )


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
    import datasets
    from transformers import AutoModelForTokenClassification, AutoTokenizer, DataCollatorWithPadding, set_seed

    from dateline.training.model import TRAIN_DTYPE, minilm_path

    if not examples:
        raise DatelineError("no modality examples to train on (is the corpora folder right?)")
    encoder = encoder or minilm_path()
    set_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(encoder)
    weights = mode_weights(examples, power=weight_power)
    ds = datasets.Dataset.from_dict(dict(encode(examples, tokenizer, weights)))
    model = AutoModelForTokenClassification.from_pretrained(
        encoder,
        num_labels=len(MODES),
        id2label=dict(enumerate(MODES)),
        label2id={m: i for i, m in enumerate(MODES)},
        dtype=TRAIN_DTYPE,
    )
    args = training_arguments(out_dir, epochs, learning_rate, batch_size, seed)
    started = time.time()
    trainer = partial_label_trainer(
        model=model, args=args, train_dataset=ds, data_collator=DataCollatorWithPadding(tokenizer)
    )
    trainer.train()
    out_dir.mkdir(parents=True, exist_ok=True)
    trainer.save_model(str(out_dir))
    tokenizer.save_pretrained(out_dir)
    meta = {
        "modes": list(MODES),
        "encoder": encoder,
        "seed": seed,
        "epochs": epochs,
        "learning_rate": learning_rate,
        "training_precision": "bf16" if args.bf16 else "fp32",
        "train_seconds": round(time.time() - started, 1),
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
