"""A user's own annotated folder through the real entry points: trained and scored under a task
named after the corpus, its splits written, its labels carried into the model and its card;
fine-tuning from an earlier model; k-fold cross-validation and the learning curve."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from safetensors.torch import load_file

from tests.entry import run
from tests.user_fixture import make_articles, write_corpus


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    articles = make_articles(16, seed=1)
    root = tmp_path_factory.mktemp("own") / "my_news"
    return write_corpus("brat", root, {"train": articles[:12], "test": articles[12:]})


def tiny(folder: Path, cache: Path) -> list[str]:
    """Overrides every run here shares: a tiny model on the folder, no minimum of updates, scored
    only on the folder's own splits, no leaderboard row."""
    return [
        "data=brat",
        f"data.path={folder}",
        "model=tiny",
        "data.min_updates=0",
        f"cache_dir={cache}",
        "evaluate.overrides=['leaderboard_dir=null','tasks=[]']",
    ]


def train(folder: Path, run_dir: Path, *overrides: str):
    res = run(
        "train",
        *tiny(folder, run_dir.parent / "cache"),
        "trainer.args.num_train_epochs=2",
        f"hydra.run.dir={run_dir}",
        *overrides,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads((run_dir / "results.json").read_text())


def tiny_sweep(folder: Path, sweep: Path, *overrides: str, make: dict[str, str] | None = None) -> Path:
    """A Hydra multirun of one-epoch tiny models on the folder (cv folds, curve sizes), in `sweep`."""
    res = run(
        "sweep",
        *tiny(folder, sweep.parent / "cache"),
        "trainer.args.num_train_epochs=1",
        f"hydra.sweep.dir={sweep}",
        "hydra/launcher=basic",
        *overrides,
        timeout=900,
        make=make,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return sweep


@pytest.mark.slow
def test_a_brat_folder_trains_and_is_scored_under_its_own_name(folder, tmp_path):
    results = train(folder, tmp_path / "run")
    assert set(results["results"]) == {"my_news_dev", "my_news"}  # the test split, named after the folder
    assert results["results"]["my_news"]["n_documents"] == 4 and results["training"]["epochs"] == 2
    data = results["data"]
    assert data["splits"]["train"]["articles"] + data["splits"]["dev"]["articles"] == 12
    assert data["split_source"].startswith("given: test, train; dev seeded by article")
    splits = json.loads((tmp_path / "run" / "splits.json").read_text())
    assert sorted(splits["test"]) == sorted(p.stem for p in (folder / "test").glob("*.txt"))
    assert not set(splits["train"]) & set(splits["dev"])
    meta = json.loads((tmp_path / "run" / "model" / "dateline.json").read_text())
    assert list(meta["types"]) == ["EVENT", "ACTOR"] and meta["roles"] == {"event": "EVENT", "actor": "ACTOR"}
    assert meta["data"]["name"] == "my_news" and meta["data"]["reader"] == "brat"
    card = (tmp_path / "run" / "model" / "README.md").read_text()
    assert "EVENT and ACTOR in news" in card and str(folder.resolve()) in card


@pytest.mark.slow
def test_a_small_corpus_gets_at_least_min_updates(folder, tmp_path):
    results = train(folder, tmp_path / "run", "data.min_updates=30", "trainer.args.per_device_train_batch_size=8")
    windows = results["training"]["train_windows"]
    assert (
        results["training"]["epochs"] * -(-windows // 8) >= 30 > (results["training"]["epochs"] - 1) * -(-windows // 8)
    )


@pytest.mark.slow
def test_fine_tuning_from_a_model_keeps_the_rows_of_shared_labels(folder, tmp_path):
    first = tmp_path / "first"
    train(folder, first, "labels=events", "data.drop_labels=[ACTOR]")  # one type: EVENT
    second = tmp_path / "second"
    train(
        folder,
        second,
        f"model.init={first / 'model'}",
        "trainer.args.num_train_epochs=1",
        "trainer.args.learning_rate=1e-12",
    )
    meta = json.loads((second / "model" / "dateline.json").read_text())
    assert meta["init"] == str(first / "model") and list(meta["types"]) == ["EVENT", "ACTOR"]
    a, b = load_file(first / "model" / "model.safetensors"), load_file(second / "model" / "model.safetensors")
    old = json.loads((first / "model" / "config.json").read_text())["label2id"]
    new = json.loads((second / "model" / "config.json").read_text())["label2id"]
    for label in ("O", "B-EVENT", "I-EVENT"):  # learning rate ~0: the shared rows are the old ones
        assert (a["classifier.weight"][old[label]] - b["classifier.weight"][new[label]]).abs().max() < 1e-5
    key = next(k for k in a if "embeddings.word_embeddings" in k)
    assert (a[key] - b[key]).abs().max() < 1e-5  # the encoder is the first model's
    bad = run(
        "train",
        "data=brat",
        f"data.path={folder}",
        "model=tiny",
        f"model.init={tmp_path}",
        f"hydra.run.dir={tmp_path / 'x'}",
    )
    assert bad.returncode == 2 and "model.init must name a dateline model directory" in bad.stderr


@pytest.mark.slow
def test_cross_validation_by_article_scores_every_article_once(folder, tmp_path):
    # the sweep `make cv DATA=<folder> K=2` runs: one run per fold, from configs/sweep/cv.yaml
    sweep = tiny_sweep(folder, tmp_path / "cv", "+sweep=cv", make={"DATA": str(folder), "K": "2"})
    folds = sorted(json.loads(r.read_text())["config"]["data"]["split"]["fold"] for r in sweep.glob("*/results.json"))
    assert folds == [0, 1]
    done = run("cv", f"runs=[{sweep}]", f"out={tmp_path / 'pooled'}")
    assert done.returncode == 0, done.stderr[-3000:]
    (pooled,) = json.loads((tmp_path / "pooled" / "cv.json").read_text())
    assert pooled["articles"] == 16 and len(pooled["folds"]) == 2  # train and test parts pooled, each once
    assert (
        pooled["strict"]["micro"]["ci_low"] <= pooled["strict"]["micro"]["f1"] <= pooled["strict"]["micro"]["ci_high"]
    )


@pytest.mark.slow
def test_the_learning_curve_has_a_point_per_size_and_the_baseline(folder, tmp_path):
    # the sweep `make curve` runs, its sizes and seeds given in ARGS
    sweep = tiny_sweep(folder, tmp_path / "curve", "+sweep=curve", "data.split.train_limit=3,null", "seed=1,2")
    baseline = next(sweep.glob("*train_limit=3*")) / "model"
    done = run("curve", f"runs=[{sweep}]", f"out={tmp_path / 'out'}", f"baseline='{baseline}'")
    assert done.returncode == 0, done.stderr[-3000:]
    curve = json.loads((tmp_path / "out" / "curve.json").read_text())
    assert [p["train_articles"] for p in curve["points"]] == [3, 10] and all(len(p["f1"]) == 2 for p in curve["points"])
    assert curve["baseline"]["model"] == str(baseline) and (tmp_path / "out" / "curve.png").stat().st_size > 0
