from dateline.data.document import Span
from dateline.data.labels import LabelScheme, bio_to_spans, contiguous_runs, resolve_spans, spans_to_bio


def test_scheme_mapping_and_fixed_label_order():
    s = LabelScheme.from_config("c", {"EVENT": ["ACTION_*", "NEG_ACTION_*"], "ACTOR": ["HUMAN_PART*"]})
    assert s.map("NEG_ACTION_STATE") == "EVENT" and s.map("HUMAN_PART") == "ACTOR"
    assert s.map("NON_HUMAN_PART") is None and s.map("LOC_GEO") is None
    assert s.bio_labels == ["O", "B-EVENT", "I-EVENT", "B-ACTOR", "I-ACTOR"]
    fine = LabelScheme.from_config("fine", ["ACTION_STATE", "LOC_GEO"])
    assert fine.map("LOC_GEO") == "LOC_GEO" and fine.map("LOC_FAC") is None


def test_bio_round_trip_and_strict_reading():
    spans = [Span(0, 2, "ACTOR"), Span(2, 3, "EVENT"), Span(5, 6, "ACTOR")]
    tags = spans_to_bio(7, spans)
    assert tags == ["B-ACTOR", "I-ACTOR", "B-EVENT", "O", "O", "B-ACTOR", "O"]
    assert bio_to_spans(tags) == spans
    assert bio_to_spans(["I-X", "I-X", "B-Y", "I-X"]) == [Span(2, 3, "Y")]


def test_runs_and_leftmost_longest():
    assert contiguous_runs([5, 1, 2, 4]) == [(1, 3), (4, 6)]
    kept = resolve_spans([Span(1, 2, "E"), Span(0, 3, "A"), Span(3, 4, "E"), Span(0, 3, "A")])
    assert kept == [Span(0, 3, "A"), Span(3, 4, "E")]


def test_dev_metric_scores_viterbi_paths_strictly():
    """The checkpoint is chosen on strict F1 of the Viterbi paths: a span the argmax would leave
    broken (I- after O) is decoded into a valid one, and a wrong type costs precision."""
    import numpy as np

    from dateline.training.train import strict_f1_metric

    labels = ["O", "B-EVENT", "I-EVENT", "B-LOC", "I-LOC"]
    logits = np.full((1, 3, 5), -9.0, dtype=np.float32)
    for word, label in enumerate(["B-LOC", "B-EVENT", "O"]):
        logits[0, word, labels.index(label)] = 9.0
    gold = np.array([[0, 1, 0]])
    scores = strict_f1_metric(labels)((logits, gold))
    assert (scores["precision"], scores["recall"]) == (0.5, 1.0)
    gold_all = np.array([[3, 1, 0]])
    assert strict_f1_metric(labels)((logits, gold_all))["f1"] == 1.0
    # padding (-100) is not scored
    assert strict_f1_metric(labels)((logits, np.array([[3, 1, -100]])))["f1"] == 1.0
