"""The modality classifier at work: modes of events in their sentences, from a model directory
that `dateline modality` trained (training/modality.py says what it learnt and how)."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import numpy as np
import torch

from dateline.errors import DatelineError
from dateline.runs import MODALITY_META as META
from dateline.training.bf16 import resolve as resolve_precision
from dateline.training.modality import MODES, Example, encode
from dateline.training.position_head import probabilities


class ModalityClassifier:
    """A trained modality model directory: modes and probabilities of events in their sentences."""

    def __init__(self, model_dir: str | Path, batch_size: int = 64, precision: str = "auto", workers: int = 1):
        """`workers`: batches at once on threads, as the event tagger's (`Tagger`)."""
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        self.model_dir = Path(model_dir)
        if not (self.model_dir / META).is_file():
            raise DatelineError(
                f"not a modality model directory (no {META}; `dateline modality` writes one)", model_dir
            )
        self.meta = json.loads((self.model_dir / META).read_text())
        self.batch_size, self.workers = batch_size, workers
        # read as it was trained (older models: one event a row, or events between `<<` and `>>`)
        self.reading = self.meta.get("reading", "event")
        self.marking = self.meta.get("marking", "words")
        # an ensemble (`dateline modality seeds=[0,1,2]`): members' probabilities are averaged
        self.members = [
            ModalityClassifier(self.model_dir / m, batch_size, precision, workers) for m in self.meta.get("members", [])
        ]
        # as the tagger: a bf16 copy where bf16 is native (`precision=fp32` for the reference path)
        self.precision = resolve_precision(precision, "cpu")
        if not self.members:
            self.tokenizer = AutoTokenizer.from_pretrained(self.model_dir)
            model = AutoModelForTokenClassification.from_pretrained(self.model_dir).eval()
            self.model = model.to(dtype=torch.bfloat16) if self.precision == "bf16" else model

    def probabilities(self, events: list[tuple[list[str], int, int]]) -> np.ndarray:
        """(words, start, end) per event -> an [n, 4] array of mode probabilities (MODES order)."""
        if self.members:
            return np.mean([m.probabilities(events) for m in self.members], axis=0)
        examples = [Example(tuple(w), a, b) for w, a, b in events]
        encode_rows = partial(encode, reading=self.reading, marking=self.marking)
        return probabilities(
            self.model, self.tokenizer, encode_rows, examples, len(MODES), self.batch_size, self.workers
        )

    def classify(self, events: list[tuple[list[str], int, int]]) -> list[tuple[str, float]]:
        probs = self.probabilities(events)
        return [(MODES[int(p.argmax())], float(p.max())) for p in probs]
