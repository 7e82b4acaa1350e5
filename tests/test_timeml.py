"""TempEval-3: the TimeML and TE3-Platinum readers, the fixed dev split, the official TE3
figures, and a tagger trained on TimeML and scored on TE3-Platinum end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.data.labels import LabelScheme
from dateline.data.readers import timeml
from dateline.errors import DatelineError
from dateline.eval.te3 import te3_scores
from tests.corpora import documents
from tests.corpora import timeml as timeml_data
from tests.timeml_fixture import TML, make_tempeval3

EVENTS = LabelScheme.from_config("events", {"EVENT": ["EVENT_*"]})
CLASSES = LabelScheme.from_config("timeml_class", {c: [f"EVENT_{c}"] for c in timeml.CLASSES})


@pytest.fixture(scope="module")
def te3_root(tmp_path_factory) -> Path:
    return make_tempeval3(tmp_path_factory.mktemp("corpora"))


def test_tml_events_keep_their_exact_text_class_and_first_instance(te3_root: Path):
    doc = timeml.read_tml(timeml.tml_files(te3_root)[0])
    events = doc.meta["events"]
    assert [e["class"] for e in events.values()] == ["REPORTING", "OCCURRENCE", "OCCURRENCE", "OCCURRENCE", "STATE"]
    assert [doc.text[doc.tokens[e["tokens"][0]].start : doc.tokens[e["tokens"][-1]].end] for e in events.values()] == [
        "said",
        "collapsed",
        "resume",
        "cease-fire",
        "war",
    ]
    assert "& would" in doc.text  # entities decoded, the text as written
    assert events["e2"]["polarity"] == "NEG" and events["e3"]["modality"] == "would"
    assert events["e4"]["tense"] == "NONE"  # the first MAKEINSTANCE of an event
    assert events["e5"]["tense"] is None and events["e5"]["polarity"] is None  # no MAKEINSTANCE: unknown
    tags = [m.tag for m in doc.meta["mentions"]]
    assert "TIMEX3_DATE" in tags and not any(t.startswith("SIGNAL") for t in tags)
    assert len(doc.sentences) == 2


def test_dev_is_every_tenth_document_and_test_is_platinum(te3_root: Path):
    train = documents(timeml_data(te3_root, 3), EVENTS, "train")
    dev = documents(timeml_data(te3_root, 3), EVENTS, "dev")
    names = [p.stem for p in timeml.tml_files(te3_root)]
    assert [d.id for d in dev] == names[2::3] and len(train) + len(dev) == 10
    (test,) = documents(timeml_data(te3_root), CLASSES, "test")
    assert test.words == ["Rebels", "attacked", "the", "town", "Police", "said", "so"]
    assert test.sentences == [(0, 4), (4, 7)] and test.text.splitlines() == [
        "Rebels attacked the town",
        "Police said so",
    ]
    assert [(s.start, s.end, s.label) for s in test.spans] == [(1, 2, "OCCURRENCE"), (5, 6, "REPORTING")]
    assert {s.label for s in dev[0].spans} == {"EVENT"} and len(dev[0].spans) == 5


def test_broken_tml_is_refused_naming_the_file(tmp_path: Path):
    root = make_tempeval3(tmp_path, n_docs=1)
    bad = timeml.tml_files(root)[0]
    bad.write_text(TML.replace("</TEXT>", ""))
    with pytest.raises(DatelineError, match="not well-formed TimeML") as err:
        timeml.read_tml(bad)
    assert str(bad) in str(err.value)
    with pytest.raises(DatelineError, match="TempEval-3 not found"):
        timeml.tml_files(tmp_path / "nowhere")


def test_te3_figures_follow_the_official_definitions():
    gold = [(0, 4, "OCCURRENCE"), (10, 15, "REPORTING"), (20, 25, "STATE"), (30, 34, "OCCURRENCE")]
    pred = [
        (0, 4, "OCCURRENCE"),  # strict, class right
        (10, 18, "REPORTING"),  # relaxed only, class right
        (20, 25, "OCCURRENCE"),  # strict, class wrong
        (40, 44, "OCCURRENCE"),  # spurious
    ]
    found = te3_scores([(gold, pred)], with_class=True)
    assert found["relaxed"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75}
    assert found["strict"]["precision"] == 0.5 and found["strict"]["recall"] == 0.5
    assert found["class"]["accuracy"] == pytest.approx(2 / 3)
    assert found["class"]["f1"] == pytest.approx(2 / 3 * 0.75)
    # one predicted event over two gold ones is paired once: the second gold event is missed
    merged = te3_scores([([(0, 4, "E"), (5, 9, "E")], [(0, 9, "E")])], with_class=False)
    assert merged["relaxed"]["recall"] == 0.5 and merged["relaxed"]["precision"] == 1.0
    assert merged["class"] is None


@pytest.mark.slow
def test_a_timeml_tagger_is_scored_on_te3_platinum(te3_root: Path, tmp_path: Path):
    from tests.entry import run, train_tiny

    model = train_tiny(te3_root, tmp_path / "run", "experiment=tempeval3", "data.reader.dev_every=5", epochs=2)
    ev = run(
        "eval",
        f"ckpt={model}",
        f"corpora={te3_root}",
        "tasks=[te3_platinum]",
        f"hydra.run.dir={tmp_path / 'ev'}",
        "leaderboard_dir=null",
    )
    assert ev.returncode == 0, ev.stderr[-3000:]
    result = json.loads((tmp_path / "ev" / "results.json").read_text())["results"]["te3_platinum"]
    assert result["official"]["n_gold"] == 2 and result["n_gold_spans"] == 2
    assert result["official"]["class"] is None  # an events model: no class figure
    rows = [
        json.loads(line) for line in (tmp_path / "ev" / "predictions" / "te3_platinum.jsonl").read_text().splitlines()
    ]
    assert all(p[2] == "EVENT" for r in rows for p in r["pred"])  # only events are scored


@pytest.mark.slow
def test_joint_training_takes_timeml_rows_with_actor_unknown(tmp_path: Path):
    """data=ecbplus_tbaq adds TBAQ's training sentences to ECB+'s; ACTOR, which TimeML never
    marks, is a partial label there, which only the CRF's loss can learn from."""
    from dateline.data.dataset import build_dataset, unannotated_types
    from tests.ecbplus_fixture import make_ecbplus
    from tests.entry import run, train_tiny

    root = make_tempeval3(make_ecbplus(tmp_path / "corpora"))
    scheme = LabelScheme.from_config("events_actors", {"EVENT": ["ACTION_*", "EVENT_*"], "ACTOR": ["HUMAN_PART*"]})
    (doc,) = documents(timeml_data(root), scheme, "dev")
    assert unannotated_types(doc, scheme) == ["ACTOR"] and unannotated_types(doc, EVENTS) == []
    tbaq_rows = build_dataset(timeml_data(root), scheme, "train")
    assert set(tbaq_rows["unannotated"][0]) == {"ACTOR"} and len(tbaq_rows) == 9 * 2

    alone = train_tiny(root, tmp_path / "alone", "model.crf=true")
    joint = train_tiny(root, tmp_path / "joint", "data=ecbplus_tbaq", "model.crf=true")
    windows = [json.loads((m.parent / "results.json").read_text())["training"]["train_windows"] for m in (alone, joint)]
    assert windows[1] == windows[0] + len(tbaq_rows)

    refused = run(
        "train",
        "model=tiny",
        "data=ecbplus_tbaq",
        "model.crf=false",
        f"corpora={root}",
        f"cache_dir={tmp_path / 'cache'}",
        f"hydra.run.dir={tmp_path / 'refused'}",
    )
    assert refused.returncode != 0 and "model.crf=true" in refused.stderr


def test_timeml_instances_give_modes_and_files_with_corrupt_polarity_are_left_out(tmp_path: Path):
    from dateline.training.modality import NOT_NEGATED, modes_of_timeml, timeml_examples

    assert modes_of_timeml({"polarity": "NEG", "tense": "FUTURE"}) == ("negated",)
    assert modes_of_timeml({"polarity": "POS", "tense": "FUTURE"}) == ("planned",)
    assert modes_of_timeml({"polarity": "POS", "tense": "NONE", "modality": "Might"}) == ("uncertain",)
    assert modes_of_timeml({"polarity": "POS", "tense": "PAST", "modality": "would"}) == NOT_NEGATED
    assert modes_of_timeml({"polarity": "POS", "tense": "PRESENT"}) == NOT_NEGATED  # not thereby asserted
    assert modes_of_timeml({"polarity": None, "tense": None}) is None
    root = make_tempeval3(tmp_path, n_docs=4)  # all four in the training split
    corrupt = root / "tempeval3" / timeml.TBAQ / "AQUAINT" / "doc01.tml"
    corrupt.write_text(TML.replace('polarity="POS"', 'polarity="NEG"').format(name="doc01"))
    examples = timeml_examples(root, limit=None)
    assert {x.source.split("@")[0] for x in examples} == {"doc00", "doc02", "doc03"}
    negated = [x for x in examples if x.allowed == ("negated",)]
    assert len(negated) == 3 and all(x.words[x.start : x.end] == ("collapsed",) for x in negated)
    assert len(examples) == 3 * 4  # said, collapsed, resume, cease-fire; war has no instance
    assert len(timeml_examples(root, limit=2)) == 3 + 2  # every single-mode event, 2 partial ones


def test_the_modality_study_scores_te3_platinum_polarity(te3_root: Path):
    """scripts/modality_platinum.py: Platinum's events with their polarity, and negated P/R/F1 of
    the fold models' averaged probabilities (modes in MODES order: asserted, negated, ...)."""
    import importlib.util

    import numpy as np

    from dateline.paths import PROJECT_ROOT

    spec = importlib.util.spec_from_file_location(
        "modality_platinum", PROJECT_ROOT / "scripts" / "modality_platinum.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    events, negated = script.platinum_events(te3_root)
    assert len(events) == len(negated) > 0 and all(len(e) == 3 for e in events)
    gold = [True, False, False, True]
    negated_first = np.array([[0.2, 0.8, 0, 0], [0.7, 0.3, 0, 0], [0.3, 0.6, 0.1, 0], [0.6, 0.4, 0, 0]])
    other = np.array([[0.4, 0.6, 0, 0], [0.9, 0.1, 0, 0], [0.5, 0.4, 0.1, 0], [0.2, 0.7, 0.1, 0]])
    pol = script.polarity(gold, [negated_first, other])  # averaged: negated, asserted, negated, negated
    assert pol["negated"]["tp"] == 2 and pol["negated"]["pred"] == 3 and pol["negated"]["gold"] == 2
    assert pol["accuracy"] == 0.75 and pol["n"] == 4
