import numpy as np

from dateline.eval.metrics import strict_scores
from dateline.training.decoding import allowed_start, allowed_transitions, viterbi


def test_strict_iob2_golden_case():
    # gold B-X I-X, predicted I-X I-X: in strict IOB2 mode the prediction opens no span
    scores = strict_scores([["B-X", "I-X"]], [["I-X", "I-X"]], ["X"])
    assert scores["micro"]["f1"] == 0.0 and scores["X"]["f1"] == 0.0


def test_per_type_micro_macro():
    gold = [["B-EVENT", "O", "B-ACTOR", "I-ACTOR"], ["B-EVENT"]]
    pred = [["B-EVENT", "O", "B-ACTOR", "O"], ["B-EVENT"]]
    s = strict_scores(gold, pred, ["EVENT", "ACTOR", "TIME"])
    assert s["EVENT"]["f1"] == 1.0 and s["ACTOR"]["f1"] == 0.0 and s["TIME"]["support"] == 0
    assert s["micro"]["precision"] == s["micro"]["recall"] == 2 / 3
    assert s["macro"]["f1"] == 0.5


def test_viterbi_returns_valid_iob2():
    labels = ["O", "B-X", "I-X", "B-Y", "I-Y"]
    logp = np.log(
        np.array(
            [
                [0.1, 0.1, 0.6, 0.1, 0.1],  # argmax I-X at the start: invalid
                [0.1, 0.1, 0.2, 0.1, 0.5],
            ]
        )
    )  # argmax I-Y after X: invalid
    best = [labels[i] for i in viterbi(logp, allowed_transitions(labels), allowed_start(labels))]
    # argmax would say I-X I-Y; the best valid path (0.1 x 0.5) opens the Y span it continues
    assert best == ["B-Y", "I-Y"]
