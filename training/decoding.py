"""Span-consistent decoding: the best IOB2 sequence under the model's per-token scores.

Argmax can emit `O I-X` or `B-X I-Y`, which strict IOB2 scoring throws away. Viterbi over
log-probabilities with those transitions forbidden returns the most probable *valid* sequence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

NEG = np.float32(-1e9)  # the score of a forbidden start or transition


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
    return viterbi_many([log_probs], allowed, start, crf)[0]


def viterbi_many(
    sequences: Sequence[np.ndarray],
    allowed: np.ndarray,
    start: np.ndarray,
    crf: dict | None = None,
    chunk: int = 256,
) -> list[list[int]]:
    """`viterbi` for many sequences at once: sorted by length and stacked `chunk` at a time, so
    that each step of the recursion is one array operation over the whole chunk instead of a
    Python loop per sentence (the bench articles' 996 sentences: 0.165 -> 0.019 s). Same
    arithmetic and tie-breaking as one at a time; padding never reaches a real path."""
    trans = np.where(allowed, 0.0, NEG).astype(np.float32)
    first = np.zeros(len(start), dtype=np.float32)
    end = np.zeros(len(start), dtype=np.float32)
    if crf is not None:
        trans = trans + np.asarray(crf["transitions"], dtype=np.float32)
        first = np.asarray(crf["start"], dtype=np.float32)
        end = np.asarray(crf["end"], dtype=np.float32)
    out: list[list[int]] = [[] for _ in sequences]
    order = sorted((k for k, s in enumerate(sequences) if len(s)), key=lambda k: len(sequences[k]))
    for c in range(0, len(order), chunk):
        ids = order[c : c + chunk]
        for k, path in zip(ids, _viterbi_stack([sequences[k] for k in ids], trans, start, first, end)):
            out[k] = path
    return out


def _viterbi_stack(
    seqs: list[np.ndarray], trans: np.ndarray, start: np.ndarray, first: np.ndarray, end: np.ndarray
) -> list[list[int]]:
    """The recursion over `seqs` (sorted by length, shortest first) stacked into one array."""
    n, width, labels = len(seqs), len(seqs[-1]), len(start)
    lengths = np.array([len(s) for s in seqs])
    em = np.zeros((n, width, labels), dtype=np.float32)
    for r, s in enumerate(seqs):
        em[r, : len(s)] = s
    # a finished sequence keeps its score, and its back-pointers hand each label on unchanged
    back = np.broadcast_to(np.arange(labels), (n, width, labels)).copy()
    score = np.where(start, em[:, 0], NEG) + first
    for t in range(1, width):
        live = int(np.searchsorted(lengths, t, side="right"))  # rows live..n are longer than t
        cand = score[live:, :, None] + trans  # (rows, from, to)
        back[live:, t] = cand.argmax(1)
        score[live:] = cand.max(1) + em[live:, t]
    best = np.empty((n, width), dtype=np.int64)
    best[:, -1] = (score + end).argmax(1)
    rows = np.arange(n)
    for t in range(width - 1, 0, -1):
        best[:, t - 1] = back[rows, t, best[:, t]]
    return [best[r, : lengths[r]].tolist() for r in range(n)]


def crf_arrays(scores: dict | None) -> dict | None:
    """A CRF's scores as kept in dateline.json (lists) -> float32 arrays, converted once per
    model rather than once per sentence decoded."""
    return None if scores is None else {k: np.asarray(v, dtype=np.float32) for k, v in scores.items()}


def log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))
