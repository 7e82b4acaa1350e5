"""Weight averaging over the last epochs (in the spirit of SWA, Izmailov et al. 2018): the mean
of the weights at the end of each epoch from `start_epoch` on. It costs one copy of the weights
and one extra dev evaluation; the training entry keeps it only if it beats the best single
checkpoint on dev, so the choice is made on dev like every other."""

from __future__ import annotations

import torch
from transformers import TrainerCallback


class EpochWeightAverage(TrainerCallback):
    def __init__(self, start_epoch: int):
        self.start_epoch = start_epoch
        self.mean: dict[str, torch.Tensor] | None = None
        self.count = 0

    def on_epoch_end(self, args, state, control, model=None, **kwargs):
        if model is None or state.epoch is None or round(state.epoch) < self.start_epoch:
            return
        weights = {k: v.detach().float().clone() for k, v in model.state_dict().items() if v.is_floating_point()}
        self.count += 1
        if self.mean is None:
            self.mean = weights
        else:
            for k, v in weights.items():
                self.mean[k] += (v - self.mean[k]) / self.count

    def averaged_state(self, model) -> dict[str, torch.Tensor] | None:
        if self.mean is None or self.count < 2:
            return None
        state = model.state_dict()
        return {k: (self.mean[k].to(v.dtype) if k in self.mean else v) for k, v in state.items()}
