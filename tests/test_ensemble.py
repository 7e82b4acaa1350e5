"""An ensemble directory of two tiny models: averaged probabilities and CRF scores, evaluated and
compared like any model directory; members that do not fit together are refused."""

import json
from pathlib import Path

import numpy as np
import pytest

from dateline.errors import DatelineError
from dateline.training.ensemble import write_ensemble
from tests.entry import micro_f1_from_predictions, run, train_tiny


@pytest.mark.slow
def test_ensemble_averages_its_members(corpus_dir: Path, tmp_path: Path):
    from dateline.eval.compare import compare
    from dateline.tagging.tagger import Tagger

    a = train_tiny(corpus_dir, tmp_path / "a", "seed=1")
    b = train_tiny(corpus_dir, tmp_path / "b", "seed=2")
    ens = write_ensemble([a, b], tmp_path / "ens")
    meta = json.loads((ens / "dateline.json").read_text())
    assert meta["ensemble"] == ["../a/model", "../b/model"]  # relative: the folders move together
    crf_a, crf_b = (json.loads((m / "dateline.json").read_text())["crf"] for m in (a, b))
    assert np.allclose(meta["crf"]["transitions"], (np.array(crf_a["transitions"]) + crf_b["transitions"]) / 2)

    words = [["Police", "arrested", "the", "suspect", "in", "Geneva", "."], ["Talks", "resumed", "."]]
    ta, tb, te = (Tagger(m, precision="fp32") for m in (a, b, ens))
    assert te.entity_types == ta.entity_types and len(te.members) == 2
    for sa, sb, se in zip(ta.scores(words), tb.scores(words), te.scores(words)):
        assert np.allclose(np.exp(se), (np.exp(sa) + np.exp(sb)) / 2, atol=1e-5)
        assert not np.allclose(sa, sb)  # two different members, so the average is a real one
    assert [len(p.tags) for p in te.predict(words)] == [7, 3]

    out = tmp_path / "ens_eval"
    ev = run(
        "eval",
        f"ckpt={ens}",
        "tasks=[ecbplus_test]",
        f"corpora={corpus_dir}",
        "leaderboard_dir=null",
        f"hydra.run.dir={out}",
    )
    assert ev.returncode == 0, ev.stderr[-3000:]
    results = json.loads((out / "results.json").read_text())
    published = results["results"]["ecbplus_test"]["strict"]["micro"]["f1"]
    assert published == pytest.approx(
        micro_f1_from_predictions(out / "predictions" / "ecbplus_test.jsonl", {"EVENT", "ACTOR"})
    )
    assert "model-index:" in (ens / "README.md").read_text()
    # make compare lists an evaluated ensemble as a system of its own, named by its model
    systems = compare([out, a.parent])["systems"]
    assert sorted(s["system"] for s in systems) == [f"ckpt={ens}", "model=tiny trainer.args.num_train_epochs=1"]


@pytest.mark.slow
def test_members_that_do_not_fit_are_refused(corpus_dir: Path, tmp_path: Path):
    a = train_tiny(corpus_dir, tmp_path / "a", "seed=1")
    c = train_tiny(corpus_dir, tmp_path / "c", "labels=components")
    with pytest.raises(DatelineError, match="not one ensemble") as err:
        write_ensemble([a, c], tmp_path / "bad")
    assert str(c) in str(err.value)
    with pytest.raises(DatelineError, match="at least two"):
        write_ensemble([a], tmp_path / "bad")
    with pytest.raises(DatelineError, match="not a trained model directory"):
        write_ensemble([a, tmp_path], tmp_path / "bad")
    assert not (tmp_path / "bad").exists()
