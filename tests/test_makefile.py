"""Every make target that runs a job hands it a command the shell can split and overrides Hydra
can parse, whatever paths the make variables carry (`make -n`: nothing runs)."""

import shlex
import subprocess

import pytest
from hydra.core.override_parser.overrides_parser import OverridesParser

from tests.entry import ROOT

ODD = "runs/sweeps/study/experiment=default,seed=1/model"  # '=' and ',' as sweep run folders have
CALLS = [
    ["train", "EXP=recipe", "ARGS=seed=3 model=tiny", f"RESUME={ODD}"],
    ["eval", f"CKPT={ODD}", "ARTICLES=my articles"],
    ["predict", f"CKPT={ODD}", "FILE=a b.txt", "FORMAT=records", "MODALITY=runs/modality/x"],
    ["tag", "INPUT=in dir", "OUT=out", f"CKPT={ODD}"],
    ["compare", f"RUNS=ecbplus_study8 {ODD}", "BASELINE=experiment=recipe", "BY_COMMIT=1"],
    ["ensemble", f"MODELS={ODD} runs/train/b/model", "ENSEMBLE=runs/ensembles/e"],
    ["pseudo", f"TEACHER={ODD}", "LIMIT=30"],
    ["sweep", "ARGS=seed=1,2 model=minilm,tiny", "SWEEP=mine"],
    ["eval-records", f"CKPT={ODD}", "LINKING=nearest"],
    ["modality", "ARGS=seeds=[0,1]"],
]


@pytest.mark.parametrize("call", CALLS, ids=[c[0] for c in CALLS])
def test_make_targets_build_commands_the_shell_and_hydra_take(call):
    dry = subprocess.run(["make", "-n", "-W", "pyproject.toml", *call], cwd=ROOT, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.replace("\\\n", " ").splitlines()  # a recipe's continued lines, joined
    line = [x for x in lines if "bin/dateline" in x or "bin/torchrun" in x][-1]
    words = shlex.split(line)  # raises on an unterminated quote
    overrides = [w for w in words if "=" in w and not w.startswith("--")]
    OverridesParser.create().parse_overrides(overrides)  # raises on an override Hydra cannot read
    for var in call[1:]:
        value = var.split("=", 1)[1]
        if value.startswith(("runs/", "a b", "in dir", "my art")):
            assert any(value in w or value.split()[0] in w for w in words), (value, words)


@pytest.mark.parametrize(
    "call, experiments",
    [
        (["train"], ["experiment=distilled"]),  # the CPU default (Study 13)
        (["train", "EXP=recipe"], ["experiment=recipe"]),
        (["train", "ARGS=experiment=default seed=3"], ["experiment=default"]),
        (["sweep", "ARGS=seed=1,2"], ["experiment=distilled"]),
        (["sweep", "ARGS=experiment=default,recipe seed=1"], ["experiment=default,recipe"]),
    ],
)
def test_make_train_and_sweep_default_to_the_distilled_student_unless_an_experiment_is_named(call, experiments):
    dry = subprocess.run(["make", "-n", "-W", "pyproject.toml", *call], cwd=ROOT, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    line = [x for x in dry.stdout.replace("\\\n", " ").splitlines() if "bin/dateline" in x][-1]
    assert [w for w in shlex.split(line) if w.startswith("experiment=")] == experiments
