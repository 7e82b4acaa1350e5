"""One command line, model directories from before the namespace change, and the leaderboard's
provenance columns."""

import subprocess
import sys
from pathlib import Path

import pytest

from dateline.cli import JOBS, main
from dateline.errors import DatelineError
from dateline.eval.publish import append_leaderboard, commit_fields
from dateline.paths import PROJECT_ROOT
from tests.entry import tiny_model_dir


def test_dateline_help_lists_every_job_and_an_unknown_job_is_refused(capsys):
    assert main(["--help"]) == 0
    listed = capsys.readouterr().out
    assert all(f"  {job} " in listed for job in JOBS)
    assert main(["trian"]) == 2 and "no job 'trian'" in capsys.readouterr().err


def test_a_job_help_shows_its_settings_as_overrides():
    res = subprocess.run(
        [sys.executable, "-m", "dateline.cli", "predict", "--help"], capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert "dateline predict" in res.stdout and "== Settings (key=value" in res.stdout
    assert all(f"\n{key}:" in res.stdout for key in ("ckpt", "file", "format", "linking"))


def test_model_directories_from_before_the_change_load_or_say_how_to_bring_them_over(tmp_path: Path):
    from dateline.tagging.tagger import Tagger

    # 0.1 wrote these keys into every model directory; with their default values nothing changes
    old = tiny_model_dir(tmp_path / "old", auxiliary={}, context="sentence", o_bias=0.0, i_bias=0.0)
    tagger = Tagger(old, precision="fp32")
    assert tagger.entity_types == ["ACTOR", "EVENT"] and len(tagger.predict([["Police", "came"]])[0].tags) == 2
    aux = tiny_model_dir(tmp_path / "aux", auxiliary={"LOCATION": ["LOC_*"]})
    with pytest.raises(DatelineError, match="auxiliary types .* retrain it"):
        Tagger(aux)
    doc = tiny_model_dir(tmp_path / "doc", context="document")
    with pytest.raises(DatelineError, match="whole documents .* retrain it"):
        Tagger(doc)


def test_leaderboard_rows_carry_commit_and_dirty_and_stay_in_their_own_board(tmp_path: Path):
    assert commit_fields({"git": {"commit": "0123456789abcdef", "dirty": True}}) == {
        "commit": "0123456789",
        "dirty": "true",
    }
    assert commit_fields({"git": {"commit": None, "dirty": None}}) == {"commit": "", "dirty": ""}
    row = {"task": "t", "strict_f1": 0.5, "model": str(tmp_path / "m"), **commit_fields({"git": {"dirty": False}})}
    append_leaderboard(tmp_path / "board", [row])
    lines = (tmp_path / "board" / "leaderboard.csv").read_text().splitlines()
    assert lines[0].endswith(",commit,dirty") and lines[1].endswith(",false")
    # the project's own leaderboard takes no row of a model outside the project (a test's, a temp dir's)
    board = PROJECT_ROOT / "results" / "leaderboard.csv"
    before = board.read_bytes()
    append_leaderboard(PROJECT_ROOT / "results", [row])
    assert board.read_bytes() == before
