"""The optimizer's parameter groups: the Trainer's weight-decay split, the CRF's scores at their
own rate, and optionally a learning rate that shrinks layer by layer towards the embeddings.

The Trainer has no hook to add a group to its own optimizer, so the entry point hands these
groups to the optimizer class the Trainer would have built (training/train.py)."""

from __future__ import annotations

import re

from torch import nn

_LAYER = re.compile(r"\.layers?\.(\d+)\.")


def depth(name: str, num_layers: int) -> int:
    """Where a parameter sits from the input: 0 the embeddings, i + 1 encoder layer i, and
    num_layers + 1 everything above the encoder (classifier head, pooler)."""
    found = _LAYER.search(name)
    if found:
        return int(found.group(1)) + 1
    return 0 if ".embeddings." in f".{name}" else num_layers + 1


def parameter_groups(
    model: nn.Module,
    decay_names: set[str],
    weight_decay: float,
    learning_rate: float,
    crf_lr: float,
    layer_decay: float = 1.0,
    num_layers: int = 0,
) -> list[dict]:
    """Groups for the trainable parameters. With `layer_decay` < 1, a parameter at `depth` d
    learns at learning_rate x layer_decay^(num_layers + 1 - d): the head at the full rate, the
    pretrained layers less the closer they are to the input (layer-wise learning-rate decay).
    The CRF's scores start at zero and need to move by units, not by the encoder's 1e-4 steps,
    so they have their own rate. The scheduler scales every group's rate alike."""
    groups: dict[tuple[int, bool], list] = {}
    crf = []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if name.startswith("crf."):
            crf.append(p)
            continue
        d = depth(name, num_layers) if layer_decay != 1.0 else num_layers + 1
        groups.setdefault((d, name in decay_names), []).append(p)
    out = [
        {
            "params": params,
            "weight_decay": weight_decay if decayed else 0.0,
            **({"lr": learning_rate * layer_decay ** (num_layers + 1 - d)} if layer_decay != 1.0 else {}),
        }
        for (d, decayed), params in sorted(groups.items(), key=lambda kv: (kv[0][0], not kv[0][1]))
    ]
    if crf:
        out.append({"params": crf, "weight_decay": 0.0, "lr": crf_lr})
    return out
