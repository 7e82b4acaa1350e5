"""Fault suite (`pytest -m faults`): bad input gives one clear line and changes nothing; a run
killed mid-epoch resumes to the same metrics; the same seed gives the same metrics."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ecbplus_fixture import make_ecbplus

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.faults, pytest.mark.slow]  # they train tiny models
TINY = ["model=tiny", "trainer.args.num_train_epochs=3", "evaluate.enabled=false"]


def run(*args: str, module: str = "dateline.training.train", stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("HYDRA_FULL_ERROR", None)
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        input=stdin,
    )


def metrics(run_dir: Path) -> dict:
    rec = json.loads((run_dir / "results.json").read_text())
    evals = [h for h in rec["training"]["log_history"] if "eval_loss" in h]
    return {"dev": rec["results"]["ecbplus_dev"], "eval": [(h["epoch"], h["eval_loss"], h["eval_f1"]) for h in evals]}


def one_clear_line(res: subprocess.CompletedProcess, *needles: str) -> str:
    assert res.returncode != 0
    assert "Traceback" not in res.stderr, res.stderr[-2000:]
    line = [x for x in res.stderr.strip().splitlines() if x.strip()][-1]
    for needle in needles:
        assert needle in line, line
    return line


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("faults")
    corpus = make_ecbplus(tmp / "corpora")
    res = run(*TINY, f"corpora={corpus}", f"cache_dir={tmp / 'cache'}", f"hydra.run.dir={tmp / 'a'}")
    assert res.returncode == 0, res.stderr[-2000:]
    return corpus, tmp


def test_killed_run_resumes_to_same_metrics(trained):
    corpus, tmp = trained
    common = [*TINY, f"corpora={corpus}", f"cache_dir={tmp / 'cache'}", f"hydra.run.dir={tmp / 'killed'}"]
    killed = run("5", *common, module="tests.kill_at_step")  # 2 steps an epoch: step 5 is inside epoch 3
    assert killed.returncode == -9 and not (tmp / "killed" / ".complete").exists()
    assert sorted(p.name for p in (tmp / "killed" / "checkpoints").glob("checkpoint-*")), "no checkpoint to resume"
    resumed = run(*common, "resume=true")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert metrics(tmp / "killed") == metrics(tmp / "a")


def test_same_seed_same_metrics(trained):
    corpus, tmp = trained
    res = run(*TINY, f"corpora={corpus}", f"cache_dir={tmp / 'cache'}", f"hydra.run.dir={tmp / 'b'}")
    assert res.returncode == 0, res.stderr[-2000:]
    assert metrics(tmp / "b") == metrics(tmp / "a")
    cfg = json.loads((tmp / "b" / "results.json").read_text())["config"]
    assert cfg["trainer"]["args"]["full_determinism"] is True and cfg["seed"] == 42


def test_bad_inputs_give_one_clear_line(trained, tmp_path: Path):
    corpus, tmp = trained
    model = tmp / "a" / "model"
    board = tmp_path / "board"
    ev = ["tasks=[articles]", f"leaderboard_dir={board}", f"hydra.run.dir={tmp_path / 'ev'}", "model_card=false"]

    def articles(name: str, txt: bytes, ann: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "a.txt").write_bytes(txt)
        (folder / "a.ann").write_text(ann)
        return folder

    cases = {
        "offsets": (
            articles("off", b"Putin met Trump.", "T1\tACTOR 0 99\tPutin\n"),
            ["a.ann", "line 1", "outside the text"],
        ),
        "text": (articles("txt", b"Putin met Trump.", "T1\tACTOR 0 5\tPutsch\n"), ["a.ann", "does not match"]),
        "label": (
            articles("lab", b"Putin met Trump.", "T1\tACTR 0 5\tPutin\n"),
            ["a.ann", "line 1", "'ACTR'", "not in the label scheme"],
        ),
        "utf8": (
            articles("enc", "Putin in Moskau: Gr\u00fc\u00dfe".encode("latin-1"), ""),
            ["a.txt", "not UTF-8", "offset"],
        ),
    }
    for folder, needles in cases.values():
        res = run(f"ckpt={model}", f"articles={folder}", *ev, module="dateline.eval.evaluate")
        one_clear_line(res, *needles)
    assert not board.exists() and not (tmp_path / "ev" / "results.json").exists()

    # an empty article is refused too (a file emptied by mistake must not score as "nothing found")
    empty = articles("empty", b"   \n", "")
    one_clear_line(run(f"ckpt={model}", f"articles={empty}", *ev, module="dateline.eval.evaluate"), "a.txt", "empty")

    one_clear_line(
        run(f"ckpt={tmp / 'nope'}", "tasks=[ecbplus_test]", f"corpora={corpus}", module="dateline.eval.evaluate"),
        "nope",
        "does not exist",
    )
    one_clear_line(
        run(f"ckpt={tmp / 'a'}", "tasks=[ecbplus_test]", f"corpora={corpus}", module="dateline.eval.evaluate"),
        "no model here",
    )
    one_clear_line(run(f"corpora={tmp_path / 'missing'}", *TINY), "ECB+ not found")
    bad_xml = make_ecbplus(tmp_path / "badxml", topics=(1, 2, 36))
    next((bad_xml / "ecbplus" / "ECB+" / "1").glob("*.xml")).write_text("<Document><token")
    one_clear_line(
        run(f"corpora={bad_xml}", *TINY, f"cache_dir={tmp_path / 'c'}", f"hydra.run.dir={tmp_path / 'r'}"),
        "malformed XML",
        ".xml",
    )
    assert not (tmp_path / "r" / ".complete").exists()
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text('{"id": "a", "text": "Putin met Trump."}\nnot json\n')
    one_clear_line(
        run(f"ckpt={model}", f"file={jsonl}", module="dateline.tagging.predict"), "docs.jsonl", "line 2", "not JSON"
    )
    typo = run("model=tiny", "trainer.args.num_train_epoch=3")
    assert typo.returncode != 0 and "num_train_epoch" in typo.stderr and "Traceback" not in typo.stderr
    unknown = run("model=tinyy")
    assert unknown.returncode != 0 and "tinyy" in unknown.stderr and "Traceback" not in unknown.stderr


def test_model_and_task_labels_must_meet(trained, tmp_path: Path):
    corpus, tmp = trained
    folder = tmp_path / "loc"
    folder.mkdir()
    (folder / "a.txt").write_text("Moscow and Paris.")
    (folder / "a.ann").write_text("T1\tLOCATION 0 6\tMoscow\n")
    res = run(
        f"ckpt={tmp / 'a' / 'model'}",
        "tasks=[articles]",
        f"articles={folder}",
        f"leaderboard_dir={tmp_path / 'b'}",
        f"hydra.run.dir={tmp_path / 'ev'}",
        module="dateline.eval.evaluate",
    )
    one_clear_line(res, "EVENT, ACTOR", "LOCATION", "do not match")
