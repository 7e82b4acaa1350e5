import pytest

from data.document import Span
from data.errors import DatelineError
from data.labels import LabelScheme, bio_to_spans, contiguous_runs, hide_types, resolve_spans, spans_to_bio


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


def test_auxiliary_types_are_trained_but_not_reported():
    s = LabelScheme.from_config(
        "a", {"EVENT": ["ACTION_*"], "ACTOR": ["HUMAN_PART*"], "LOCATION": ["LOC_*"]}, ["LOCATION"]
    )
    assert s.map("LOC_GEO") == "LOCATION" and s.bio_labels[-2:] == ["B-LOCATION", "I-LOCATION"]
    assert s.entity_types == ["EVENT", "ACTOR"] and list(s.reported().types) == ["EVENT", "ACTOR"]
    assert s.reported().map("LOC_GEO") is None
    assert hide_types(s.bio_labels, s.auxiliary) == ["O", "B-EVENT", "I-EVENT", "B-ACTOR", "I-ACTOR", "O", "O"]
    for wrong in (["PLACE"], ["EVENT", "ACTOR", "LOCATION"]):
        with pytest.raises(DatelineError, match="auxiliary types must be some, not all"):
            LabelScheme.from_config(
                "a", {"EVENT": ["ACTION_*"], "ACTOR": ["HUMAN_PART*"], "LOCATION": ["LOC_*"]}, wrong
            )


def test_dev_metric_reads_auxiliary_types_as_o():
    """The checkpoint is chosen on the reported types only: a spurious auxiliary span costs
    nothing once its type is hidden."""
    import numpy as np

    from training.train import strict_f1_metric

    labels = ["O", "B-EVENT", "I-EVENT", "B-LOC", "I-LOC"]
    logits = np.full((1, 3, 5), -9.0, dtype=np.float32)
    for word, label in enumerate(["B-LOC", "B-EVENT", "O"]):
        logits[0, word, labels.index(label)] = 9.0
    gold = np.array([[0, 1, 0]])
    assert strict_f1_metric(labels)((logits, gold))["precision"] == 0.5
    assert strict_f1_metric(labels, hidden=("LOC",))((logits, gold))["precision"] == 1.0
