"""Classifiers read at one position of a marked sequence: the modality classifier reads the
event's first subword (training/modality.py), the linker the candidate participant's
(training/linker.py). A token-classification head on the encoder, read at that one position
(`event_index` in the encoded rows), trained by the HF `Trainer` with a partial-label loss
(cross-entropy when one label is allowed), and applied in batches.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch


def encode_marked(
    tokenizer, marked: list[tuple[list[str], int]], labels: list[list[float]], weights: list[float], max_length: int
) -> dict:
    """Token ids of each marked word sequence, the position of the subword to read (the first
    of word `index` in each (words, index)), the allowed labels as 0/1 vectors and weights."""
    enc = tokenizer([m for m, _ in marked], is_split_into_words=True, truncation=True, max_length=max_length)
    positions = []
    for i, (_, word) in enumerate(marked):
        word_ids = enc.word_ids(i)
        positions.append(next((j for j, w in enumerate(word_ids) if w == word), 0))
    enc["event_index"] = positions
    enc["labels"] = labels
    enc["weight"] = weights
    return enc


def event_logits(model, inputs: dict) -> torch.Tensor:
    """The logits read at each example's marked position (`event_index`)."""
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
) -> dict:
    """Fine-tune `encoder` (`training.model.encoder_path`: MiniLM by default) with a head over `labels` on the rows
    `encode_rows(tokenizer)` gives; save model and tokenizer in `out_dir`; the training facts."""
    import datasets
    from transformers import AutoModelForTokenClassification, AutoTokenizer, DataCollatorWithPadding, set_seed

    from dateline.training.model import TRAIN_DTYPE, encoder_path

    encoder = encoder_path(encoder)
    set_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(encoder)
    ds = datasets.Dataset.from_dict(dict(encode_rows(tokenizer)))
    model = AutoModelForTokenClassification.from_pretrained(
        encoder,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={m: i for i, m in enumerate(labels)},
        dtype=TRAIN_DTYPE,
    )
    args = training_arguments(out_dir, epochs, learning_rate, batch_size, seed, precision)
    started = time.time()
    trainer = partial_label_trainer(
        model=model, args=args, train_dataset=ds, data_collator=DataCollatorWithPadding(tokenizer)
    )
    trainer.train()
    out_dir.mkdir(parents=True, exist_ok=True)
    trainer.save_model(str(out_dir))
    tokenizer.save_pretrained(out_dir)
    return {
        "encoder": encoder,
        "seed": seed,
        "epochs": epochs,
        "learning_rate": learning_rate,
        "training_precision": "bf16" if args.bf16 else "fp32",
        "train_seconds": round(time.time() - started, 1),
    }


def probabilities(model, tokenizer, encode_rows: Callable, items: list, n_labels: int, batch_size: int) -> np.ndarray:
    """[n, n_labels] probabilities read at each item's marked position, `batch_size` at a time;
    `encode_rows(chunk, tokenizer)` encodes a chunk of items."""
    from transformers import DataCollatorWithPadding

    collate = DataCollatorWithPadding(tokenizer)
    # longest first, so a batch pads to lengths alike (the answers are put back in order)
    order = sorted(range(len(items)), key=lambda i: -len(items[i].words))
    out = []
    for i in range(0, len(items), batch_size):
        chunk = [items[k] for k in order[i : i + batch_size]]
        enc = encode_rows(chunk, tokenizer)
        del enc["labels"], enc["weight"]
        batch = collate([{k: enc[k][j] for k in enc} for j in range(len(chunk))])
        with torch.inference_mode():
            out.append(torch.softmax(event_logits(model, dict(batch)).float(), dim=-1).numpy())
    if not out:
        return np.zeros((0, n_labels))
    probs = np.empty((len(items), n_labels), dtype=np.float32)
    probs[order] = np.concatenate(out)
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
