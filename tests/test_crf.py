"""The CRF loss against brute force over every tag sequence, and Viterbi with its scores."""

import itertools

import numpy as np
import torch

from dateline.training.crf import FORBIDDEN, LinearChainCRF, log_partition
from dateline.training.decoding import allowed_start, allowed_transitions, viterbi, viterbi_many

LABELS = ["O", "B-EVENT", "I-EVENT", "B-ACTOR", "I-ACTOR"]


def crf_with_random_scores(seed: int = 0) -> LinearChainCRF:
    torch.manual_seed(seed)
    crf = LinearChainCRF(LABELS)
    with torch.no_grad():
        for p in crf.parameters():
            p.normal_()
    return crf


def path_score(crf: LinearChainCRF, em: torch.Tensor, tags: tuple[int, ...]) -> float:
    trans = crf.masked_transitions()
    score = crf.start[tags[0]] + em[0, tags[0]] + crf.end[tags[-1]]
    for t in range(1, len(tags)):
        score = score + trans[tags[t - 1], tags[t]] + em[t, tags[t]]
    return float(score.detach())


def test_nll_is_log_partition_minus_gold_score_by_brute_force():
    crf = crf_with_random_scores()
    torch.manual_seed(1)
    emissions = torch.randn(2, 6, len(LABELS))
    # row 0: words at subwords 1, 2, 4 (3 and 5 are later subwords, 0 is [CLS]); row 1: 2 words
    labels = torch.tensor([[-100, 1, 2, -100, 0, -100], [-100, 3, -100, 4, -100, -100]])
    expected = 0.0
    for row in range(2):
        pos = [i for i in range(6) if labels[row, i] != -100]
        em = emissions[row, pos]
        gold = tuple(int(labels[row, i]) for i in pos)
        every = [path_score(crf, em, tags) for tags in itertools.product(range(len(LABELS)), repeat=len(pos))]
        expected += float(torch.logsumexp(torch.tensor(every), 0)) - path_score(crf, em, gold)
    assert abs(crf.nll(emissions, labels).item() - expected) < 1e-4


def test_log_partition_by_brute_force_for_every_length_up_to_six():
    """Lengths 1..6 in one batch: the tree pads T-1 to a power of two with identities."""
    crf = crf_with_random_scores(2)
    torch.manual_seed(3)
    em = torch.randn(6, 6, len(LABELS))
    mask = torch.arange(6)[None] < torch.arange(1, 7)[:, None]
    got = log_partition(crf.start, crf.masked_transitions(), crf.end, em, mask)
    for row in range(6):
        every = [path_score(crf, em[row], tags) for tags in itertools.product(range(len(LABELS)), repeat=row + 1)]
        assert abs(got[row].item() - float(torch.logsumexp(torch.tensor(every), 0))) < 1e-4


def test_log_partition_matches_the_forward_recursion_on_long_windows():
    """Against the textbook forward recursion (T sequential steps), values and gradients."""
    crf = crf_with_random_scores(4)
    em = torch.randn(4, 37, len(LABELS), requires_grad=True)
    mask = torch.arange(37)[None] < torch.tensor([37, 20, 9, 1])[:, None]
    trans = crf.masked_transitions()
    alpha = crf.start + em[:, 0]
    for t in range(1, 37):
        step = torch.logsumexp(alpha[:, :, None] + trans[None], dim=1) + em[:, t]
        alpha = torch.where(mask[:, t, None], step, alpha)
    expected = torch.logsumexp(alpha + crf.end, dim=1)
    (grad_expected,) = torch.autograd.grad(expected.sum(), em)
    got = log_partition(crf.start, trans, crf.end, em, mask)
    (grad_got,) = torch.autograd.grad(got.sum(), em)
    assert torch.allclose(got, expected, atol=1e-4)
    assert torch.allclose(grad_got, grad_expected, atol=1e-5)
    assert grad_got[2, 9:].abs().max() == 0  # words past a window's length get no gradient


def test_rows_without_labels_add_nothing_and_gradients_reach_every_score():
    crf = crf_with_random_scores()
    emissions = torch.randn(3, 4, len(LABELS), requires_grad=True)
    labels = torch.tensor([[-100, 3, 4, 0], [-100] * 4, [-100, 1, 0, -100]])
    both = crf.nll(emissions, labels)
    alone = crf.nll(emissions[[0, 2]], labels[[0, 2]])
    assert abs(both.item() - alone.item()) < 1e-5
    both.backward()
    assert emissions.grad[1].abs().sum() == 0 and emissions.grad[0].abs().sum() > 0
    assert crf.transitions.grad.abs().sum() > 0 and crf.start.grad.abs().sum() > 0


def test_forbidden_transitions_stay_forbidden():
    crf = crf_with_random_scores()
    trans = crf.masked_transitions()
    assert trans[LABELS.index("O"), LABELS.index("I-ACTOR")].item() == FORBIDDEN
    assert trans[LABELS.index("B-EVENT"), LABELS.index("I-ACTOR")].item() == FORBIDDEN
    assert trans[LABELS.index("B-ACTOR"), LABELS.index("I-ACTOR")].item() != FORBIDDEN


def test_viterbi_with_crf_scores_finds_the_best_valid_path():
    crf = crf_with_random_scores(3)
    scores = crf.scores()
    allowed, start = allowed_transitions(LABELS), allowed_start(LABELS)
    rng = np.random.default_rng(0)
    for _ in range(5):
        em = rng.normal(size=(4, len(LABELS))).astype(np.float32)
        assert tuple(viterbi(em, allowed, start, scores)) == best_valid_path(crf, em)


def best_valid_path(crf: LinearChainCRF, em: np.ndarray) -> tuple[int, ...]:
    allowed, start = allowed_transitions(LABELS), allowed_start(LABELS)
    valid = [
        tags
        for tags in itertools.product(range(len(LABELS)), repeat=len(em))
        if start[tags[0]] and all(allowed[a, b] for a, b in zip(tags, tags[1:]))
    ]
    return max(valid, key=lambda tags: path_score(crf, torch.from_numpy(em), tags))


def test_viterbi_many_decodes_a_mixed_length_batch_like_brute_force():
    """Sequences of lengths 0-5 in one call, in an order that is not sorted, across two chunks:
    padding and finished rows must not change any path."""
    crf = crf_with_random_scores(4)
    rng = np.random.default_rng(1)
    lengths = [3, 0, 5, 1, 4, 2, 5, 1, 0, 3]
    seqs = [rng.normal(size=(n, len(LABELS))).astype(np.float32) for n in lengths]
    paths = viterbi_many(seqs, allowed_transitions(LABELS), allowed_start(LABELS), crf.scores(), chunk=4)
    assert [len(p) for p in paths] == lengths
    for em, path in zip(seqs, paths):
        if len(em):
            assert tuple(path) == best_valid_path(crf, em)


def test_viterbi_many_equals_one_at_a_time_on_long_sequences():
    allowed, start = allowed_transitions(LABELS), allowed_start(LABELS)
    rng = np.random.default_rng(2)
    seqs = [rng.normal(size=(n, len(LABELS))).astype(np.float32) for n in rng.integers(1, 120, size=40)]
    scores = crf_with_random_scores(5).scores()
    assert viterbi_many(seqs, allowed, start, scores, chunk=16) == [viterbi(s, allowed, start, scores) for s in seqs]


def test_partial_labels_sum_over_every_sequence_they_allow_by_brute_force():
    """A word of a corpus that does not annotate ACTOR (id len(LABELS) + bit of ACTOR) may be
    O, B-ACTOR or I-ACTOR: the loss is -log of the probability mass of all such sequences."""
    from dateline.training.encoding import partial_label

    crf = crf_with_random_scores(3)
    label2id = {label: i for i, label in enumerate(LABELS)}
    o_or_actor = partial_label(["ACTOR"], label2id)
    assert o_or_actor == len(LABELS) + 2 and partial_label([], label2id) == 0  # ACTOR is the 2nd type
    torch.manual_seed(4)
    emissions = torch.randn(2, 5, len(LABELS))
    labels = torch.tensor(
        [[-100, o_or_actor, 1, o_or_actor, o_or_actor], [-100, 3, 4, 0, -100]]  # row 1: exact labels
    )
    allowed = {o_or_actor: {0, 3, 4}}
    expected = 0.0
    for row in range(2):
        pos = [i for i in range(5) if labels[row, i] != -100]
        em = emissions[row, pos]
        sets = [allowed.get(int(labels[row, i]), {int(labels[row, i])}) for i in pos]
        every = itertools.product(range(len(LABELS)), repeat=len(pos))
        scores = [path_score(crf, em, tags) for tags in every]
        kept = [path_score(crf, em, tags) for tags in itertools.product(*sets)]
        expected += float(torch.logsumexp(torch.tensor(scores), 0) - torch.logsumexp(torch.tensor(kept), 0))
    assert abs(float(crf.nll(emissions, labels).detach()) - expected) < 1e-3
    # "O or ACTOR" holds the all-O reading among others: its loss is below that reading's alone
    exact = labels.clone()
    exact[exact == o_or_actor] = 0
    assert float(crf.nll(emissions, labels).detach()) < float(crf.nll(emissions, exact).detach())
