"""Dropout with cheaper random masks, for training on CPUs.

PyTorch's CPU dropout draws its mask with `bernoulli_`, one generator call per element; in a
MiniLM training step that is a fifth of the time (README "Speed", the profile). The masks
here come from `random_()` on 64-bit words, each word cut into four 15-bit numbers compared
with p: the same dropout (p to within 1/32768, scaled by 1/(1-p), drawn from the seeded
global generator) from a quarter of the generator calls. Attention dropout, which PyTorch
applies inside `scaled_dot_product_attention`, is done by `attention` below with the same
masks; without dropout (evaluation) that function hands over to SDPA unchanged.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from dateline.errors import DatelineError

ATTENTION = "dateline_sdpa"  # the name the attention function is registered under in transformers
CHOICES = ("auto", "true", "false")
BITS = 15
_LOW_BITS = (1 << BITS) - 1


def keep_mask(shape: torch.Size | tuple[int, ...], p: float, device: torch.device | str = "cpu") -> torch.Tensor:
    """A bool tensor of `shape`, each element True with probability 1 - p (to within 2**-15)."""
    n = math.prod(shape)
    words = torch.empty((n + 3) // 4, dtype=torch.int64, device=device).random_()
    bits = words.view(torch.int16)[:n].view(shape) & _LOW_BITS  # random_() leaves the top bit 0
    return bits >= round(p * (1 << BITS))


def fast_dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    """`torch.nn.functional.dropout` with the masks of `keep_mask`."""
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0
    scale = keep_mask(x.shape, p, x.device).to(x.dtype).mul_(1.0 / (1.0 - p))
    return x * scale


class FastDropout(nn.Dropout):
    """An `nn.Dropout` (same `p`, same place in the model) that draws its masks with `keep_mask`."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return fast_dropout(x, self.p, self.training)


def attention(module, query, key, value, attention_mask, dropout: float = 0.0, scaling=None, **kwargs):
    """Attention in transformers' interface: SDPA where there is no dropout; with dropout,
    softmax(QK^T * scaling + mask) with `keep_mask` dropout, times V. Takes SDPA's masks."""
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    if not module.training or dropout == 0.0:
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=0.0, scaling=scaling, **kwargs)
    scaling = query.size(-1) ** -0.5 if scaling is None else scaling
    scores = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        if attention_mask.dtype == torch.bool:
            scores = scores.masked_fill(~attention_mask, torch.finfo(scores.dtype).min)
        else:
            scores = scores + attention_mask
    probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(value.dtype)
    out = torch.matmul(fast_dropout(probs, dropout), value)
    return out.transpose(1, 2).contiguous(), None


def _register() -> None:
    from transformers import AttentionInterface
    from transformers.masking_utils import ALL_MASK_ATTENTION_FUNCTIONS, AttentionMaskInterface

    AttentionInterface.register(ATTENTION, attention)
    AttentionMaskInterface.register(ATTENTION, ALL_MASK_ATTENTION_FUNCTIONS["sdpa"])


def wanted(setting: str | bool, device: str) -> bool:
    """`trainer.fast_dropout`: "auto" -> on a CPU only (GPUs draw bernoulli masks fast and fuse
    attention dropout into their SDPA kernels); "true"/"false" as given. The saved model holds
    no trace of it: its config keeps no attention choice and dropout has no weights."""
    setting = str(setting).lower()
    if setting not in CHOICES:
        raise DatelineError(f"trainer.fast_dropout must be one of {', '.join(CHOICES)}, not {setting!r}")
    return device == "cpu" if setting == "auto" else setting == "true"


def install(model: nn.Module) -> int:
    """Swap every `nn.Dropout` of `model` for a `FastDropout` and, for models that run SDPA
    attention, the attention for `attention`. Returns how many dropout modules were swapped."""
    swapped = 0
    for parent in model.modules():
        for name, child in parent.named_children():
            if type(child) is nn.Dropout:
                setattr(parent, name, FastDropout(child.p, child.inplace).train(child.training))
                swapped += 1
    if getattr(model.config, "_attn_implementation", None) == "sdpa":
        _register()
        model.set_attn_implementation(ATTENTION)
    return swapped
