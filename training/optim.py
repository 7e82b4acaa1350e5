"""The optimizer's parameter groups: the Trainer's weight-decay split, and the CRF's scores at
their own rate.

The Trainer has no hook to add a group to its own optimizer, so the entry point hands these
groups to the optimizer class the Trainer would have built (training/train.py). (Layer-wise
learning-rate decay was measured and dropped: docs/studies/07-tree-crf-and-layer-decay.md.)"""

from __future__ import annotations

from torch import nn


def parameter_groups(model: nn.Module, decay_names: set[str], weight_decay: float, crf_lr: float) -> list[dict]:
    """Groups for the trainable parameters: decayed, not decayed, and the CRF's scores, which start
    at zero and need to move by units, not by the encoder's 1e-4 steps, so they have their own
    rate. The scheduler scales every group's rate alike."""
    decayed, plain, crf = [], [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (crf if name.startswith("crf.") else decayed if name in decay_names else plain).append(p)
    groups = [{"params": decayed, "weight_decay": weight_decay}, {"params": plain, "weight_decay": 0.0}]
    if crf:
        groups.append({"params": crf, "weight_decay": 0.0, "lr": crf_lr})
    return [g for g in groups if g["params"]]
