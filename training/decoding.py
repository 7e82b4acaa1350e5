"""Span-consistent decoding: the best IOB2 sequence under the model's per-token scores.

Argmax can emit `O I-X` or `B-X I-Y`, which strict IOB2 scoring throws away. Viterbi over
log-probabilities with those transitions forbidden returns the most probable *valid* sequence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def allowed_transitions(labels: Sequence[str]) -> np.ndarray:
    """allowed[i, j]: may label j follow label i? Also row -1 semantics via `allowed_start`."""
    n = len(labels)
    allowed = np.ones((n, n), dtype=bool)
    for j, to in enumerate(labels):
        if to.startswith("I-"):
            for i, frm in enumerate(labels):
                allowed[i, j] = frm[2:] == to[2:] and frm[:2] in ("B-", "I-")
    return allowed


def allowed_start(labels: Sequence[str]) -> np.ndarray:
    return np.array([not label.startswith("I-") for label in labels])


def viterbi(log_probs: np.ndarray, allowed: np.ndarray, start: np.ndarray, crf: dict | None = None) -> list[int]:
    """log_probs: (T, L). Returns the best label ids with only allowed transitions; `crf` (the
    scores a CRF-trained model keeps in dateline.json: transitions, start, end) adds its learned
    scores to the path."""
    if len(log_probs) == 0:
        return []
    neg = np.float32(-1e9)
    trans = np.where(allowed, 0.0, neg).astype(np.float32)
    score = np.where(start, log_probs[0], neg)
    end = np.zeros(log_probs.shape[1], dtype=np.float32)
    if crf is not None:
        trans = trans + np.asarray(crf["transitions"], dtype=np.float32)
        score = score + np.asarray(crf["start"], dtype=np.float32)
        end = np.asarray(crf["end"], dtype=np.float32)
    back = np.zeros(log_probs.shape, dtype=np.int64)
    for t in range(1, len(log_probs)):
        cand = score[:, None] + trans  # (from, to)
        back[t] = cand.argmax(0)
        score = cand.max(0) + log_probs[t]
    best = [int((score + end).argmax())]
    for t in range(len(log_probs) - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return best[::-1]


def crf_arrays(scores: dict | None) -> dict | None:
    """A CRF's scores as kept in dateline.json (lists) -> float32 arrays, converted once per
    model rather than once per sentence decoded."""
    return None if scores is None else {k: np.asarray(v, dtype=np.float32) for k, v in scores.items()}


def log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))
