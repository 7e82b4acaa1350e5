"""A linear-chain CRF over the labeled words of each window (`model.crf=true`).

Cross-entropy scores each word alone; the CRF's loss scores whole tag sequences, with learned
transition scores between tags, so training sees the spans that Viterbi decoding will return
(Lafferty et al. 2001; the usual BERT-CRF tagger). Only first subwords carry labels, so the
sequence a window's CRF runs over is its labeled words in order (other subwords are skipped).
Transitions that strict IOB2 forbids (`O -> I-X`, `B-X -> I-Y`) are fixed far below any score,
in training as in decoding (`training.decoding.viterbi`).

The CRF lives on the model as `model.crf` while it trains (so checkpoints, the best-checkpoint
reload, resuming and DDP carry it; `attach_crf`); the trained scores are then written into the model directory's
`dateline.json` and the saved encoder stays a plain token classifier.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from dateline.training.decoding import allowed_transitions

FORBIDDEN = -1e4  # finite, so log-sum-exp keeps finite gradients


class LinearChainCRF(nn.Module):
    def __init__(self, labels: Sequence[str]):
        super().__init__()
        n = len(labels)
        self.transitions = nn.Parameter(torch.zeros(n, n))  # [from, to]
        self.start = nn.Parameter(torch.zeros(n))
        self.end = nn.Parameter(torch.zeros(n))
        self.register_buffer("allowed", torch.from_numpy(allowed_transitions(labels)), persistent=False)
        self.register_buffer("partial_sets", partial_sets(labels), persistent=False)

    def masked_transitions(self) -> torch.Tensor:
        return self.transitions.masked_fill(~self.allowed, FORBIDDEN)

    def nll(self, emissions: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Summed negative log-likelihood of the gold tags. emissions: (B, S, L) per subword;
        labels: (B, S), -100 where a subword is not scored (its word's later subwords, padding,
        words another window owns)."""
        keep = labels != -100
        rows = keep.any(1)
        emissions, labels, keep = emissions[rows].float(), labels[rows], keep[rows]
        if len(labels) == 0:
            return emissions.sum() * 0.0
        lengths = keep.sum(1)
        # the labeled positions first, in their order: one compact word sequence per window
        order = torch.argsort((~keep).to(torch.int8), dim=1, stable=True)[:, : int(lengths.max())]
        em = emissions.gather(1, order[..., None].expand(-1, -1, emissions.size(-1)))
        tags = labels.gather(1, order).clamp(min=0)
        mask = torch.arange(tags.size(1), device=tags.device)[None] < lengths[:, None]
        trans = self.masked_transitions()
        log_z = log_partition(self.start, trans, self.end, em, mask)
        if (labels >= em.size(-1)).any():  # partial labels: every sequence they allow counts
            allowed = self.allowed_tags(labels.gather(1, order))
            return (log_z - log_partition(self.start, trans, self.end, em.masked_fill(~allowed, FORBIDDEN), mask)).sum()

        gold = self.start[tags[:, 0]] + (em.gather(2, tags[..., None]).squeeze(-1) * mask).sum(1)
        gold = gold + (trans[tags[:, :-1], tags[:, 1:]] * mask[:, 1:]).sum(1)
        gold = gold + self.end[tags.gather(1, (lengths - 1)[:, None]).squeeze(1)]

        return (log_z - gold).sum()

    def allowed_tags(self, tags: torch.Tensor) -> torch.Tensor:
        """(B, T, L) tags each word may take: its own, or for a partial label (id >= L, see
        `training.encoding.partial_label`) O and B-/I- of the types its bit mask names."""
        n = self.transitions.size(0)
        exact = nn.functional.one_hot(tags.clamp(0, n - 1), n).bool()
        return torch.where((tags >= n)[..., None], self.partial_sets[(tags - n).clamp(min=0)], exact)

    def scores(self) -> dict[str, list]:
        """The trained scores, as written into `dateline.json` for the tagger."""
        return {
            "transitions": self.transitions.detach().float().tolist(),
            "start": self.start.detach().float().tolist(),
            "end": self.end.detach().float().tolist(),
        }


def partial_sets(labels: Sequence[str]) -> torch.Tensor:
    """(2^K, L): for each bit mask over the K types, O plus B-/I- of the types it names."""
    types = [label[2:] for label in labels if label.startswith("B-")]
    sets = torch.zeros(1 << len(types), len(labels), dtype=torch.bool)
    sets[:, list(labels).index("O")] = True
    for mask in range(1 << len(types)):
        for k, t in enumerate(types):
            if mask >> k & 1:
                sets[mask, list(labels).index(f"B-{t}")] = sets[mask, list(labels).index(f"I-{t}")] = True
    return sets


def log_partition(
    start: torch.Tensor, trans: torch.Tensor, end: torch.Tensor, em: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    """log Z of each window (B,): the log-sum of the scores of every tag sequence.

    Word k > 0 is the matrix M_k[i, j] = trans[i, j] + em[k, j] (an identity past the window's
    length), and log Z the log-space product start+em[0] . M_1 ... M_{T-1} . end, taken pairwise
    in a tree: log2(T) rounds of a few batched operations instead of the forward recursion's T
    rounds of ~10 tiny kernels each. On a GPU those launches made the CRF 23% of a MiniLM
    training run; on an H200 the loss with its gradient went from 12.7 to 2.9 ms for 32 windows
    of 40 words (README "Speed", GPU). On 2 CPU cores both forms take the same time (within 10%).
    The cost per word is L^3 rather than L^2: negligible beside an encoder for a few dozen tags."""
    batch, length, n = em.shape
    eye = torch.full((n, n), FORBIDDEN, dtype=em.dtype, device=em.device).fill_diagonal_(0.0)
    if length == 1:
        steps = eye.expand(batch, 1, n, n)
    else:
        steps = torch.where(mask[:, 1:, None, None], trans + em[:, 1:, None, :], eye)  # (B, T-1, L, L)
    while steps.size(1) > 1:  # multiply neighbours: (A . B)[i, j] = logsumexp_k A[i, k] + B[k, j]
        count = steps.size(1)
        pairs = steps[:, : count - count % 2].view(batch, -1, 2, n, n)
        product = torch.logsumexp(pairs[:, :, 0, :, :, None] + pairs[:, :, 1, None, :, :], dim=3)
        steps = torch.cat([product, steps[:, count - 1 :]], dim=1) if count % 2 else product
    paths = (start + em[:, 0])[:, :, None] + steps[:, 0] + end  # (B, first tag, last tag)
    return torch.logsumexp(paths.flatten(1), dim=1)


def attach_crf(model: nn.Module, labels: Sequence[str]) -> LinearChainCRF:
    """Put a CRF on `model` (as `model.crf`) whose loss replaces cross-entropy inside the model's
    own forward call — so DDP sees the CRF's scores used in forward like every other weight.
    The loss is per labeled word (over `num_items_in_batch` when the Trainer passes it), so its
    scale, gradient accumulation and DDP averaging follow the cross-entropy it replaces."""
    crf = LinearChainCRF(labels)
    model.crf = crf
    pending: dict = {}

    def take_labels(module, args, kwargs):
        pending["labels"] = kwargs.pop("labels", None)
        pending["count"] = kwargs.get("num_items_in_batch")
        return args, kwargs

    def crf_loss(module, args, kwargs, output):
        labels, count = pending.pop("labels", None), pending.pop("count", None)
        if labels is not None:
            count = count if count is not None else (labels != -100).sum()
            output.loss = crf.nll(output.logits, labels) / count
        return output

    model.register_forward_pre_hook(take_labels, with_kwargs=True)
    model.register_forward_hook(crf_loss, with_kwargs=True)
    return crf
