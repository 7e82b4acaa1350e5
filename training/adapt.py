"""In-domain masked-LM adaptation: before fine-tuning, the encoder reads the text of the
training topics (every sentence, no labels) with the masked-LM objective, so it meets the
names and style of the news it will tag. `adapt.enabled=true` (experiment=adapted).

The adapted encoder is cached under `cache_dir/adapted/<key>`, the key hashing the encoder,
the corpus files, the topic split and the settings, so every seed of a sweep shares one
(its own `adapt.seed`, fixed, keeps the fine-tuning seeds comparable).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path

import torch
from omegaconf import DictConfig, OmegaConf

from data.corpora import data_fingerprint
from data.dataset import load_split
from data.ecbplus import corpus_files
from training.model import TRAIN_DTYPE

log = logging.getLogger("dateline.adapt")


class MaskedPositionsLM(torch.nn.Module):
    """A masked-LM whose vocabulary projection runs on the masked positions only (15% of
    them): the same loss as `BertForMaskedLM`, at a sixth of its output-layer cost."""

    def __init__(self, mlm):
        super().__init__()
        self.encoder, self.head = mlm.base_model, mlm.cls

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None):
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        masked = labels != -100
        logits = self.head(hidden[masked])
        return {"loss": torch.nn.functional.cross_entropy(logits.float(), labels[masked])}


def cache_key(cfg: DictConfig, pretrained: str) -> str:
    files = corpus_files(Path(cfg.corpora))
    blob = {
        "encoder": pretrained,
        "data": data_fingerprint(files),
        "dev": list(cfg.data.dev_topics),
        "test": list(cfg.data.test_topics),
        "adapt": OmegaConf.to_container(cfg.adapt, resolve=True),
        "code": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(blob, sort_keys=True).encode()).hexdigest()[:16]


def train_sentences(cfg: DictConfig, scheme) -> list[list[str]]:
    """Every sentence of the training topics as words (labels unused)."""
    docs = load_split(cfg.corpora, scheme, "train", cfg.data.dev_topics, cfg.data.test_topics)
    return [doc.words[a:b] for doc in docs for a, b in doc.sentences if b > a]


def adapted_encoder(cfg: DictConfig, spec, scheme, precision: str, device: str) -> str:
    """Path of the encoder adapted to the training topics' text (built once, then cached)."""
    from datasets import Dataset
    from transformers import AutoModelForMaskedLM, DataCollatorForLanguageModeling, Trainer, TrainingArguments

    out = Path(cfg.cache_dir) / "adapted" / cache_key(cfg, spec.pretrained)
    if (out / "config.json").is_file():
        log.info("adapted encoder from cache: %s", out)
        return str(out)
    tokenizer = spec.load_tokenizer()
    sentences = train_sentences(cfg, scheme)
    rows = Dataset.from_dict({"words": sentences}).map(
        lambda b: tokenizer(b["words"], is_split_into_words=True, truncation=True, max_length=spec.max_length),
        batched=True,
        remove_columns=["words"],
    )
    log.info("masked-LM adaptation on %d training-topic sentences", len(rows))
    model = AutoModelForMaskedLM.from_pretrained(spec.pretrained, dtype=TRAIN_DTYPE)
    work = out.with_name(f"{out.name}.partial-{os.getpid()}")
    args = TrainingArguments(
        output_dir=str(work / "checkpoints"),
        num_train_epochs=cfg.adapt.epochs,
        learning_rate=cfg.adapt.learning_rate,
        per_device_train_batch_size=cfg.adapt.batch_size,
        warmup_steps=0.1,
        weight_decay=0.01,
        train_sampling_strategy="group_by_length",
        save_strategy="no",
        logging_strategy="epoch",
        report_to=[],
        seed=cfg.adapt.seed,
        bf16=precision == "bf16",
        use_cpu=device == "cpu",
    )
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=cfg.adapt.mlm_probability)
    Trainer(model=MaskedPositionsLM(model), args=args, train_dataset=rows, data_collator=collator).train()
    model.save_pretrained(work / "model")
    tokenizer.save_pretrained(work / "model")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        (work / "model").rename(out)  # whole or not at all: a killed run leaves only `.partial-*`
    except OSError:
        log.info("another process cached the same adapted encoder first; using it")
    shutil.rmtree(work, ignore_errors=True)
    return str(out)
