"""Runs grouped into systems, mean ± std over seeds, and a real sweep on the tiny model."""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from dateline.eval.compare import compare, find_runs, write_comparison
from tests.entry import run

ROOT = Path(__file__).resolve().parents[1]


def fake_run(root: Path, name: str, lr: float, seed: int, f1: float, event: float, secs: float) -> Path:
    run = root / name
    run.mkdir(parents=True)
    entry = lambda f: {"precision": f, "recall": f, "f1": f, "ci_low": f, "ci_high": f, "support": 10}  # noqa: E731
    record = {
        "config": {
            "seed": seed,
            "corpora": f"/x/{name}",
            "trainer": {"args": {"learning_rate": lr}},
            "model": {"name": "tiny"},
        },
        "training": {"seconds": secs},
        "results": {
            "ecbplus_test": {
                "strict": {"micro": entry(f1), "EVENT": entry(event)},
                "partial": {"micro": entry(f1 + 0.1)},
            }
        },
    }
    (run / "results.json").write_text(json.dumps(record))
    return run


def test_grouping_mean_std_by_hand(tmp_path: Path):
    fake_run(tmp_path, "a1", 1e-3, 1, 0.50, 0.6, 10)
    fake_run(tmp_path, "a2", 1e-3, 2, 0.60, 0.8, 30)
    fake_run(tmp_path, "b1", 5e-4, 1, 0.70, 0.7, 20)
    fake_run(tmp_path, "b2", 5e-4, 2, 0.72, 0.7, 20)
    fake_run(tmp_path, "b3", 5e-4, 3, 0.74, 0.7, 20)
    result = compare(find_runs([str(tmp_path)]))
    assert result["differing"] == ["trainer.args.learning_rate"]
    by = {s["system"]: s for s in result["systems"]}
    a, b = by["trainer.args.learning_rate=0.001"], by["trainer.args.learning_rate=0.0005"]
    assert a["seeds"] == [1, 2] and b["seeds"] == [1, 2, 3]
    mean, std = a["tasks"]["ecbplus_test"]["strict.micro.f1"]
    assert mean == pytest.approx(0.55) and std == pytest.approx(0.0707106781, abs=1e-9)  # sqrt(0.005)
    mean, std = b["tasks"]["ecbplus_test"]["strict.micro.f1"]
    assert mean == pytest.approx(0.72) and std == pytest.approx(0.02)
    assert a["tasks"]["ecbplus_test"]["partial.micro.f1"][0] == pytest.approx(0.65)
    assert a["tasks"]["ecbplus_test"]["strict.EVENT.f1"] == pytest.approx((0.7, statistics.stdev([0.6, 0.8])))
    assert a["train_seconds"] == pytest.approx((20.0, statistics.stdev([10, 30])))
    write_comparison([str(tmp_path)], tmp_path / "out")
    md = (tmp_path / "out" / "compare.md").read_text()
    assert "0.5500 ± 0.0707" in md and "0.7200 ± 0.0200" in md
    assert (tmp_path / "out" / "compare.csv").read_text().count("\n") == 3


def test_by_commit_splits_one_config_into_before_and_after(tmp_path: Path):
    for name, seed, f1, commit in (("a1", 1, 0.5, "aaaaaaa1"), ("a2", 2, 0.6, "aaaaaaa1"), ("b1", 1, 0.7, "bbbbbbb2")):
        run = fake_run(tmp_path, name, 1e-3, seed, f1, f1, 10)
        record = json.loads((run / "results.json").read_text())
        record["evaluation"] = {"git": {"commit": commit, "dirty": False}}
        (run / "results.json").write_text(json.dumps(record))
    merged = compare(find_runs([str(tmp_path)]))["systems"]
    assert len(merged) == 1 and merged[0]["seeds"] == [1, 1, 2]
    split = {s["system"]: s for s in compare(find_runs([str(tmp_path)]), by_commit=True)["systems"]}
    assert sorted(split) == ["commit=aaaaaaa", "commit=bbbbbbb"]
    assert split["commit=aaaaaaa"]["seeds"] == [1, 2]
    assert split["commit=bbbbbbb"]["tasks"]["ecbplus_test"]["strict.micro.f1"][0] == pytest.approx(0.7)


def test_ignored_keys_join_runs_that_differ_only_there(tmp_path: Path):
    fake_run(tmp_path, "a1", 1e-3, 1, 0.5, 0.5, 10)
    fake_run(tmp_path, "a2", 5e-4, 2, 0.7, 0.7, 10)  # differs only in a key the user says is inert
    assert len(compare(find_runs([str(tmp_path)]))["systems"]) == 2
    (joined,) = compare(find_runs([str(tmp_path)]), ignore=("trainer.args",))["systems"]
    assert joined["seeds"] == [1, 2] and joined["tasks"]["ecbplus_test"]["strict.micro.f1"][0] == pytest.approx(0.6)
    result, _ = write_comparison([str(tmp_path)], tmp_path / "out", ignore=("trainer.args",))
    assert result["ignored_keys"] == ["trainer.args"]


def test_one_label_file_read_from_two_checkouts_is_one_system(tmp_path: Path):
    """data.pseudo names files: the same file from another worktree is the same system, another
    file is another."""
    for name, seed, files in (
        ("a1", 1, ["/repo/data/pseudo/t.jsonl.gz"]),
        ("a2", 2, ["/worktree/data/pseudo/t.jsonl.gz"]),
        ("b1", 1, ["/repo/data/pseudo/u.jsonl.gz"]),
    ):
        run = fake_run(tmp_path, name, 1e-3, seed, 0.5, 0.5, 10)
        record = json.loads((run / "results.json").read_text())
        record["config"]["data"] = {"pseudo": files}
        (run / "results.json").write_text(json.dumps(record))
    by = {s["system"]: s["seeds"] for s in compare(find_runs([str(tmp_path)]))["systems"]}
    assert by == {'data.pseudo=["t.jsonl.gz"]': [1, 2], 'data.pseudo=["u.jsonl.gz"]': [1]}


def test_keys_added_to_the_config_later_do_not_name_systems():
    from dateline.eval.compare import naming_keys

    old = [{"lr": 1, "extra": "none"}, {"lr": 1, "extra": "all"}]
    new = [{"lr": 1, "extra": "all", "precision": "auto", "adapt": False}, {"lr": 1, "extra": "all", "adapt": True}]
    new[1]["precision"] = "auto"
    assert naming_keys(old + new) == ["adapt", "extra"]
    # where only the added key tells two systems apart, it names them
    assert naming_keys([{"lr": 1}, {"lr": 1, "precision": "auto"}]) == ["precision"]


@pytest.mark.slow
def test_sweep_then_compare(corpus_dir: Path, tmp_path: Path):
    sweep = tmp_path / "sweep"
    cmd = [
        sys.executable,
        "-m",
        "dateline.training.train",
        "--multirun",
        "model=tiny",
        "seed=1,2",
        "trainer.args.learning_rate=0.001,0.0005",
        "trainer.args.num_train_epochs=1",
        f"corpora={corpus_dir}",
        f"cache_dir={tmp_path / 'cache'}",
        f"hydra.sweep.dir={sweep}",
        "skip_if_done=true",
        'evaluate.overrides=["tasks=[ecbplus_test]","leaderboard_dir=null"]',
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr[-3000:]
    runs = sorted(p.parent for p in sweep.glob("*/results.json"))
    assert len(runs) == 4 and all((r / "predictions" / "ecbplus_test.jsonl").is_file() for r in runs)
    # re-running the sweep skips the finished combinations
    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0 and (again.stdout + again.stderr).count("already holds a finished run") == 4
    out = tmp_path / "cmp"
    cli = run("compare", f"runs=['{sweep}']", f"out={out}", "baseline='trainer.args.learning_rate=0.001'")
    assert cli.returncode == 0, cli.stderr[-3000:]
    result = json.loads((out / "compare.json").read_text())
    assert len(result["systems"]) == 2 and result["differing"] == ["trainer.args.learning_rate"]
    for system in result["systems"]:
        f1s = [
            json.loads((Path(r) / "results.json").read_text())["results"]["ecbplus_test"]["strict"]["micro"]["f1"]
            for r in system["runs"]
        ]
        mean, std = system["tasks"]["ecbplus_test"]["strict.micro.f1"]
        assert (
            len(f1s) == 2
            and mean == pytest.approx(statistics.fmean(f1s))
            and std == pytest.approx(statistics.stdev(f1s))
        )
    sig = result["significance"]
    assert len(sig) == 1 and 0 < sig[0]["p_value"] <= 1 and sig[0]["ci_low"] <= sig[0]["delta_f1"] <= sig[0]["ci_high"]
    # both verdicts kept: on documents (runs held fixed) and over runs and documents
    assert sig[0]["significant"] == (sig[0]["verdict"] == "yes")
    assert sig[0]["significant_documents"] == (
        sig[0]["p_value"] < 0.05 and not sig[0]["ci_low"] <= 0 <= sig[0]["ci_high"]
    )


def test_systems_are_named_by_their_overrides(tmp_path: Path):
    def with_overrides(run: Path, *overrides: str) -> None:
        (run / ".hydra").mkdir()
        (run / ".hydra" / "overrides.yaml").write_text("".join(f"- {o}\n" for o in overrides))

    for name, lr, seed, exp in [("a1", 1e-3, 1, "a"), ("a2", 1e-3, 2, "a"), ("b1", 5e-4, 1, "b"), ("c1", 2e-4, 1, "a")]:
        run = fake_run(tmp_path, name, lr, seed, 0.5, 0.5, 10)
        with_overrides(run, "skip_if_done=True", f"experiment={exp}", "model=tiny", f"seed={seed}")
    names = sorted(s["system"] for s in compare(find_runs([str(tmp_path)]))["systems"])
    # shared overrides (model=tiny) and run settings leave the names; where two systems were
    # started the same way (experiment=a) the config value that differs tells them apart
    assert names == [
        "experiment=a [trainer.args.learning_rate=0.0002]",
        "experiment=a [trainer.args.learning_rate=0.001]",
        "experiment=b",
    ]
    # a run without the record: every system named by its config values, as before
    (tmp_path / "b1" / ".hydra" / "overrides.yaml").unlink()
    names = sorted(s["system"] for s in compare(find_runs([str(tmp_path)]))["systems"])
    assert names[0].startswith("trainer.args.learning_rate=")
