"""Train the tiny model on the fixture corpus and evaluate it, through the real entry points."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.entry import micro_f1_from_predictions, run, train_tiny

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_train_then_eval_tiny(corpus_dir: Path, tmp_path: Path):
    run_dir = tmp_path / "run"
    common = [f"corpora={corpus_dir}", f"hydra.run.dir={run_dir}"]
    train = run(
        "train",
        "model=tiny",
        "trainer.args.num_train_epochs=2",
        f"cache_dir={tmp_path / 'cache'}",
        'evaluate.overrides=["tasks=[ecbplus_test]","leaderboard_dir=null"]',
        *common,
    )
    assert train.returncode == 0, train.stderr[-3000:]
    model_dir = run_dir / "model"
    assert (run_dir / ".hydra" / "config.yaml").is_file() and (run_dir / ".complete").is_file()
    # training ended by evaluating its model in the run directory (the Hydra callback)
    assert "partial" in json.loads((run_dir / "results.json").read_text())["results"]["ecbplus_test"]
    meta = json.loads((model_dir / "dateline.json").read_text())
    assert meta["labels"] == "events_actors" and {"o_bias", "i_bias", "decoding_dev_f1"} <= set(meta)
    # the evaluation after training ran with the biases tuned on dev (callback order)
    evaluated = json.loads((run_dir / "results.json").read_text())["evaluation"]["model_meta"]
    assert (evaluated["o_bias"], evaluated["i_bias"]) == (meta["o_bias"], meta["i_bias"])

    articles = tmp_path / "articles"
    articles.mkdir()
    text = "Police arrested the suspect on Monday .\nThe minister said talks would resume in Geneva .\n"
    (articles / "a.txt").write_text(text)
    (articles / "a.ann").write_text("T1\tACTOR 0 6\tPolice\nT2\tEVENT 7 15\tarrested\nT3\tLOCATION 80 86\tGeneva\n")
    ev = run(
        "eval",
        f"ckpt={model_dir}",
        "tasks=[ecbplus_test,articles]",
        f"articles={articles}",
        f"leaderboard_dir={tmp_path / 'board'}",
        *common,
    )
    assert ev.returncode == 0, ev.stderr[-3000:]
    results = json.loads((run_dir / "results.json").read_text())
    art = results["results"]["articles"]
    assert art["strict"]["LOCATION"]["trained"] is False and art["strict"]["micro"]["support"] == 2
    for schema in ("strict", "exact", "partial", "type"):
        assert {"precision", "recall", "f1", "ci_low", "ci_high"} <= set(art[schema]["micro"])
    assert (run_dir / "report.html").is_file() and (run_dir / "plots" / "articles_confusion.png").is_file()
    board = (tmp_path / "board" / "leaderboard.csv").read_text().splitlines()
    assert len(board) == 3 and board[0].startswith("date,model")
    assert "model-index:" in (model_dir / "README.md").read_text()
    strict = results["results"]["ecbplus_test"]["strict"]
    for key in ("EVENT", "ACTOR", "micro", "macro"):
        assert set(strict[key]) >= {"precision", "recall", "f1"}
    # the published micro-F1 is the one the saved predictions give
    recomputed = micro_f1_from_predictions(run_dir / "predictions" / "ecbplus_test.jsonl", {"EVENT", "ACTOR"})
    assert strict["micro"]["f1"] == pytest.approx(recomputed) and strict["micro"]["support"] > 0
    assert "ecbplus_dev" in results["results"] and results["versions"]["ecbplus_test"] == 1
    assert results["evaluation"]["git"]["commit"] and results["training"]["gold_tokens"] > 0
    assert strict["micro"]["f1"] == pytest.approx(results["results"]["ecbplus_test"]["seqeval_strict"]["micro"]["f1"])
    lines = (run_dir / "predictions" / "ecbplus_test.jsonl").read_text().splitlines()
    assert len(lines) == 3 and all("pred" in json.loads(line) for line in lines)

    from transformers import pipeline

    # the saved model is a plain token classifier: the stock pipeline loads it and labels every token
    sentence = "Police arrested the suspect on Monday ."
    out = pipeline("token-classification", model=str(model_dir))(sentence, ignore_labels=[])
    labels = set(json.loads((model_dir / "config.json").read_text())["label2id"])
    assert len(out) >= len(sentence.split()) and {o["entity"] for o in out} <= labels
    assert {"Police", "arrested", "Monday"} <= {sentence[o["start"] : o["end"]] for o in out}


@pytest.mark.slow
def test_resume_and_unique_run_dirs(corpus_dir: Path, tmp_path: Path):
    """Two runs started at once get distinct directories; a run resumes from its checkpoint."""
    cmd = [
        sys.executable,
        "-m",
        "dateline.training.train",
        "model=tiny",
        "trainer.args.num_train_epochs=1",
        f"corpora={corpus_dir}",
        f"cache_dir={tmp_path / 'cache'}",
        f"hydra.run.dir={tmp_path}/runs/" + "${run_suffix:}",
        "evaluate.enabled=false",
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read()[-2000:]
    runs = sorted((tmp_path / "runs").iterdir())
    assert len(runs) == 2 and all((r / "model" / "config.json").is_file() for r in runs)

    first = json.loads((runs[0] / "results.json").read_text())["training"]["log_history"]
    again = run(
        "train",
        "model=tiny",
        "trainer.args.num_train_epochs=2",
        f"corpora={corpus_dir}",
        f"cache_dir={tmp_path / 'cache'}",
        f"hydra.run.dir={runs[0]}",
        "resume=true",
        "evaluate.enabled=false",
    )
    assert again.returncode == 0, again.stderr[-2000:]
    history = json.loads((runs[0] / "results.json").read_text())["training"]["log_history"]
    evals = [h for h in history if "eval_loss" in h and "train_runtime" not in h]
    assert [h["epoch"] for h in evals][:2] == [1, 2]
    # epoch 1 came from the checkpoint, not from training again: the same numbers as the first run
    assert evals[0]["eval_loss"] == next(h["eval_loss"] for h in first if "eval_loss" in h)


def test_missing_corpus_is_one_clear_line(tmp_path: Path):
    res = run("train", "model=tiny", f"corpora={tmp_path / 'none'}", f"hydra.run.dir={tmp_path / 'run'}")
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "ECB+ not found" in last and "make data" in last


@pytest.mark.slow
def test_final_trains_on_train_and_dev_with_the_choices_made(corpus_dir: Path, tmp_path: Path):
    """experiment=final: the dev topic joins the training data, the last epoch is kept and the
    decoding biases come from the config (there is no dev set left to choose on)."""
    common = [
        "model=tiny",
        "trainer.args.num_train_epochs=1",
        f"corpora={corpus_dir}",
        f"cache_dir={tmp_path / 'cache'}",
        "evaluate.enabled=false",
    ]
    base = run("train", *common, f"hydra.run.dir={tmp_path / 'base'}")
    final = run("train", "experiment=final", "decoding.i_bias=0.5", *common, f"hydra.run.dir={tmp_path / 'final'}")
    assert base.returncode == 0 and final.returncode == 0, final.stderr[-3000:]
    base_res, final_res = (json.loads((tmp_path / d / "results.json").read_text()) for d in ("base", "final"))
    assert "ecbplus_dev" in base_res["results"] and "ecbplus_dev" not in final_res["results"]
    # the fixture's dev topic (2) adds its labeled sentences to training
    assert final_res["training"]["gold_tokens"] > base_res["training"]["gold_tokens"]
    assert final_res["training"]["chosen_weights"] == "last_epoch"
    meta = json.loads((tmp_path / "final" / "model" / "dateline.json").read_text())
    assert meta["i_bias"] == 0.5 and meta["o_bias"] == 0.0  # from the config, not tuned


def test_no_dev_set_with_dev_choices_is_one_clear_line(corpus_dir: Path, tmp_path: Path):
    res = run("train", "model=tiny", "data.reader.dev_topics=[]", f"corpora={corpus_dir}", f"hydra.run.dir={tmp_path}")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    last = res.stderr.strip().splitlines()[-1]
    assert "has no dev split" in last and "decoding.tune=false" in last


@pytest.mark.slow
def test_crf_run_keeps_its_scores_for_the_tagger(corpus_dir: Path, tmp_path: Path):
    """model.crf=true: the CRF trains with the model (checkpoints carry it), its learned scores
    go into dateline.json, the saved encoder is a plain token classifier, and the tagger decodes
    with those scores."""
    import numpy as np
    from safetensors import safe_open

    from dateline.tagging.tagger import Tagger
    from dateline.training.decoding import crf_arrays

    run_dir = tmp_path / "crf"
    train_tiny(corpus_dir, run_dir, "model.crf=true", epochs=2)
    crf = json.loads((run_dir / "model" / "dateline.json").read_text())["crf"]
    # the scores left zero: allowed transitions learnt at the CRF's rate, forbidden ones stayed 0
    assert max(abs(v) for row in crf["transitions"] for v in row) > 1e-3
    with safe_open(str(run_dir / "model" / "model.safetensors"), "pt") as f:
        assert not [k for k in f.keys() if k.startswith("crf.")]
    checkpoint = sorted((run_dir / "checkpoints").glob("checkpoint-*"))[-1]
    with safe_open(str(checkpoint / "model.safetensors"), "pt") as f:
        assert {"crf.transitions", "crf.start", "crf.end"} <= set(f.keys())

    tagger = Tagger(run_dir / "model", precision="fp32")
    assert {k: v.tolist() for k, v in tagger.crf.items()} == {k: np.float32(v).tolist() for k, v in crf.items()}
    words = [["Police", "arrested", "the", "suspect", "in", "Geneva", "."]]
    tags = tagger.predict(words)[0].tags
    assert len(tags) == len(words[0]) and all(t == "O" or t[:2] in ("B-", "I-") for t in tags)
    # decoding follows the CRF's scores: a start score far above the rest decides the first tag
    first = tagger.labels.index("B-EVENT")
    tagger.crf = crf_arrays({**crf, "start": [1e3 if i == first else 0.0 for i in range(len(tagger.labels))]})
    assert tagger.predict(words)[0].tags[0] == "B-EVENT"
