"""Classifiers read at marked positions of a word sequence: the modality classifier reads each
event's first subword, every event of a sentence in one pass (training/modality.py), the
linker the candidate participant's, one pair a row (training/linker.py). A token-classification
head on the encoder, read at each row's positions (`event_index` in the encoded rows, a list
per row), trained by the HF `Trainer` with a partial-label loss (cross-entropy when one label is
allowed), and applied in batches.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch

from dateline.errors import DatelineError
from dateline.workers import run_batches


def encode_marked(
    tokenizer,
    rows: list[tuple[list[str], list[int]]],
    labels: list[list[list[float]]],
    weights: list[list[float]],
    max_length: int,
    word_types: list[list[int]] | None = None,
) -> dict:
    """Token ids of each row's marked words, the positions of the subwords to read (the first of
    each word index the row names; the first token where truncation cut it off), and per read
    position the allowed labels as a 0/1 vector and a weight. `word_types`: per row, each word's
    token type, given to every subword of it (special tokens 0)."""
    enc = tokenizer([words for words, _ in rows], is_split_into_words=True, truncation=True, max_length=max_length)
    positions = []
    for i, (_, read) in enumerate(rows):
        first: dict[int, int] = {}
        for j, w in enumerate(enc.word_ids(i)):
            if w is not None:
                first.setdefault(w, j)
        positions.append([first.get(w, 0) for w in read])
    if word_types is not None:
        enc["token_type_ids"] = [
            [0 if w is None else types[w] for w in enc.word_ids(i)] for i, types in enumerate(word_types)
        ]
    enc["event_index"] = positions
    enc["labels"] = labels
    enc["weight"] = weights
    return enc


class MarkedCollator:
    """Pads a batch of encoded rows: the token features as `DataCollatorWithPadding` does, and
    the rows' read positions, labels and weights to the batch's most positions (position -1 where
    a row has fewer)."""

    def __init__(self, tokenizer):
        from transformers import DataCollatorWithPadding

        self.pad = DataCollatorWithPadding(tokenizer)

    def __call__(self, features: list[dict]) -> dict:
        features = [dict(f) for f in features]
        read = {k: [f.pop(k) for f in features] for k in ("event_index", "labels", "weight") if k in features[0]}
        batch = self.pad(features)
        most = max(len(x) for x in read["event_index"])
        batch["event_index"] = torch.tensor([x + [-1] * (most - len(x)) for x in read["event_index"]])
        if "labels" in read:
            n = len(read["labels"][0][0])
            batch["labels"] = torch.tensor([x + [[0.0] * n] * (most - len(x)) for x in read["labels"]])
            batch["weight"] = torch.tensor([x + [0.0] * (most - len(x)) for x in read["weight"]])
        return batch


def event_logits(model, inputs: dict) -> torch.Tensor:
    """The logits read at every row's marked positions (`event_index`, -1 for none), row by
    row: [positions in the batch, labels]."""
    index = inputs.pop("event_index")
    logits = model(**inputs).logits
    rows, k = (index >= 0).nonzero(as_tuple=True)
    return logits[rows, index[rows, k]]


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
            read = inputs["event_index"] >= 0
            allowed, weight = inputs.pop("labels")[read], inputs.pop("weight")[read]
            logits = event_logits(model, inputs)
            loss = partial_label_loss(logits, allowed, weight)
            return (loss, logits) if return_outputs else loss

    return _PartialLabelTrainer(**kwargs)


def training_arguments(
    out_dir: Path, epochs: int, learning_rate: float, batch_size: int, seed: int, precision: str = "auto"
):
    """The Trainer's arguments; `precision` "auto": bf16 where native on this machine, else fp32."""
    from transformers import TrainingArguments

    from dateline.training.bf16 import default_device, resolve

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
        bf16=resolve(precision, device) == "bf16",
        use_cpu=device == "cpu",
        train_sampling_strategy="group_by_length",
        remove_unused_columns=False,  # event_index and weight are read by compute_loss
        disable_tqdm=True,
    )


def fit(
    encode_rows: Callable,
    labels: Sequence[str],
    out_dir: Path,
    encoder: str | None,
    epochs: int,
    learning_rate: float,
    batch_size: int,
    seed: int,
    precision: str = "auto",
    layers: int | None = None,
) -> dict:
    """Fine-tune `encoder` (`training.model.encoder_path`: MiniLM by default; its first `layers`
    layers, None: all) with a head over `labels` on the rows `encode_rows(tokenizer)` gives;
    save model and tokenizer in `out_dir`; the training facts."""
    import datasets
    from transformers import AutoModelForTokenClassification, AutoTokenizer, set_seed

    from dateline.training.model import TRAIN_DTYPE, encoder_path

    encoder = encoder_path(encoder)
    set_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(encoder)
    rows = dict(encode_rows(tokenizer))
    rows.pop("items", None)  # which item each position reads: for applying the model, not training
    ds = datasets.Dataset.from_dict(rows)
    model = AutoModelForTokenClassification.from_pretrained(
        encoder,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={m: i for i, m in enumerate(labels)},
        dtype=TRAIN_DTYPE,
    )
    keep_layers(model, layers)
    if "token_type_ids" in rows and getattr(model.config, "type_vocab_size", 0) < 2:
        raise DatelineError("this encoder has no token types to mark the events with (use marking=words)", encoder)
    args = training_arguments(out_dir, epochs, learning_rate, batch_size, seed, precision)
    started = time.time()
    trainer = partial_label_trainer(model=model, args=args, train_dataset=ds, data_collator=MarkedCollator(tokenizer))
    trainer.train()
    out_dir.mkdir(parents=True, exist_ok=True)
    trainer.save_model(str(out_dir))
    tokenizer.save_pretrained(out_dir)
    return {
        "encoder": encoder,
        "layers": model.config.num_hidden_layers,
        "seed": seed,
        "epochs": epochs,
        "learning_rate": learning_rate,
        "training_precision": "bf16" if args.bf16 else "fp32",
        "train_seconds": round(time.time() - started, 1),
    }


def kept_layers(encoder: str | None, layers: int | None) -> int:
    """How many layers a model trained from `encoder` with `layers` keeps (what its meta
    records): the setting, or the encoder's depth where the setting is None or deeper."""
    from transformers import AutoConfig

    from dateline.training.model import encoder_path

    depth = AutoConfig.from_pretrained(encoder_path(encoder)).num_hidden_layers
    return depth if layers is None else min(layers, depth)


def keep_layers(model, layers: int | None) -> None:
    """Keep the encoder's first `layers` layers (None: all): a classifier that reads half of
    MiniLM's six costs half the time per sentence (docs/studies/16-records-speed.md); the saved
    config says how many, so the model loads as trained."""
    encoder = model.base_model.encoder
    if layers is None or layers >= len(encoder.layer):
        return
    if layers < 1:
        raise DatelineError(f"layers must be at least 1, not {layers}")
    encoder.layer = encoder.layer[:layers]
    model.config.num_hidden_layers = layers


def probabilities(
    model, tokenizer, encode_rows: Callable, items: list, n_labels: int, batch_size: int, workers: int = 1
) -> np.ndarray:
    """[n, n_labels] probabilities read at each item's marked positions, `batch_size` rows at a
    time; `encode_rows(items, tokenizer)` encodes the items into rows, its `items` saying which
    items each row's positions read. `workers` > 1: that many batches at once on threads, as
    the tagger's workers (each on one core where the caller set torch to one thread)."""
    collate = MarkedCollator(tokenizer)
    probs = np.zeros((len(items), n_labels), dtype=np.float32)
    if not items:
        return probs
    enc = encode_rows(items, tokenizer)
    members = enc.pop("items")
    del enc["labels"], enc["weight"]
    # rows of alike length batched together, so a batch pads little (a sentence's events share
    # a row, so rows, not items, differ in length); the answers are put back in item order
    order = sorted(range(len(members)), key=lambda r: len(enc["input_ids"][r]))

    def run(rows: list[int]) -> None:  # each batch writes its own items
        read = [j for r in rows for j in members[r]]
        batch = collate([{k: enc[k][r] for k in enc} for r in rows])
        with torch.inference_mode():  # thread-local: a worker thread must enter it itself
            probs[read] = torch.softmax(event_logits(model, dict(batch)).float(), dim=-1).numpy()

    run_batches(run, [order[i : i + batch_size] for i in range(0, len(order), batch_size)], workers)
    return probs


def trained_alike(model_dir: Path, meta_name: str, **settings) -> bool:
    """Whether `model_dir` holds a model whose meta file `meta_name` records these settings,
    so that a cross-validation can reuse it instead of training it again; a setting the meta
    does not record counts as different."""
    path = model_dir / meta_name
    if not path.is_file():
        return False
    meta = json.loads(path.read_text())
    return all(key in meta and meta[key] == value for key, value in settings.items())
