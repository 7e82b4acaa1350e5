"""The plain Hugging Face token-classification recipe, as a user would otherwise run it
(run_ner.py's method, written here): first-subword labels with `is_split_into_words`, one
sentence per example truncated to the model's length, dynamic padding, no length grouping,
fp32, the `Trainer` defaults; prediction with `pipeline("token-classification")`."""

from __future__ import annotations

from transformers import (
    AutoModelForTokenClassification,
    AutoTokenizer,
    DataCollatorForTokenClassification,
    Trainer,
    TrainingArguments,
)


def align(batch, tokenizer, label2id):
    enc = tokenizer(batch["words"], is_split_into_words=True, truncation=True)
    labels = []
    for i, tags in enumerate(batch["tags"]):
        previous, row = None, []
        for w in enc.word_ids(i):
            row.append(-100 if w is None or w == previous else label2id[tags[w]])
            previous = w
        labels.append(row)
    enc["labels"] = labels
    return enc


def train_recipe(
    encoder: str, train_rows, labels: list[str], out_dir: str, epochs: int, seed: int, learning_rate: float = 8e-5
):
    """Returns (model, tokenizer, seconds). Only epochs, seed, lr and output dir are set."""
    import time

    tokenizer = AutoTokenizer.from_pretrained(encoder)
    label2id = {label: i for i, label in enumerate(labels)}
    ds = train_rows.map(
        align,
        batched=True,
        remove_columns=train_rows.column_names,
        fn_kwargs={"tokenizer": tokenizer, "label2id": label2id},
    )
    model = AutoModelForTokenClassification.from_pretrained(
        encoder, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id=label2id
    )
    args = TrainingArguments(
        output_dir=out_dir,
        num_train_epochs=epochs,
        seed=seed,
        learning_rate=learning_rate,
        save_strategy="no",
        report_to=[],
        disable_tqdm=True,
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=ds,
        data_collator=DataCollatorForTokenClassification(tokenizer),
        processing_class=tokenizer,
    )
    started = time.time()
    trainer.train()
    return model, tokenizer, time.time() - started
