"""The learned linker at work: roles of (event, ACTOR) pairs in their sentences, from a model
directory that `dateline linker` trained (training/linker.py says what it learnt and how)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from dateline.errors import DatelineError
from dateline.training.linker import META, ROLES, Pair, encode
from dateline.training.position_head import probabilities


class Linker:
    """A trained linker model directory: role probabilities of event–candidate pairs."""

    def __init__(self, model_dir: str | Path, batch_size: int = 64):
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        self.model_dir = Path(model_dir)
        if not (self.model_dir / META).is_file():
            raise DatelineError(f"not a linker model directory (no {META}; `dateline linker` writes one)", model_dir)
        self.meta = json.loads((self.model_dir / META).read_text())
        self.batch_size = batch_size
        # pairs carry a rule's role: the position rule's (True), the syntax rule's ("syntax"), none (False)
        self.hint = self.meta.get("rule_hint", False)
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_dir)
        self.model = AutoModelForTokenClassification.from_pretrained(self.model_dir).eval()

    def probabilities(self, pairs: list[Pair]) -> np.ndarray:
        """An [n, 3] array of role probabilities (ROLES order) per pair."""
        return probabilities(self.model, self.tokenizer, encode, pairs, len(ROLES), self.batch_size)

    def roles(self, pairs: list[Pair]) -> list[tuple[str, float]]:
        """The most probable role of each pair, with its probability."""
        return [(ROLES[int(p.argmax())], float(p.max())) for p in self.probabilities(pairs)]
