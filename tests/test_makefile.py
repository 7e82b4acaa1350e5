"""The Makefile only names jobs and passes ARGS; its shortcuts (CKPT=, FILE=, RUNS=, ...) reach a
job through the environment make gives it, read by the job's config (`${make:CKPT}`), exactly as
typed whatever they hold (dateline/make_vars.py)."""

import os
import shlex
import subprocess

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import OmegaConf

from dateline.paths import CONFIGS
from tests.entry import ROOT

ODD = "runs/sweeps/study/experiment=default,seed=1/my model"  # '=', ',' and a space


def job_commands(*call: str) -> list[list[str]]:
    """The words of each job command `make -n <call>` would run (nothing runs)."""
    dry = subprocess.run(["make", "-n", "-W", "pyproject.toml", *call], cwd=ROOT, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.replace("\\\n", " ").splitlines()  # a recipe's continued lines, joined
    return [shlex.split(x) for x in lines if "bin/dateline" in x or "bin/torchrun" in x]


def dry_run(*call: str) -> list[str]:
    """The words of the last job command `make -n <call>` would run."""
    return job_commands(*call)[-1]


CALLS = [
    (["eval", f"CKPT={ODD}", "ARTICLES=my articles"], ["eval"]),
    (["predict", f"CKPT={ODD}", "FILE=a b.txt", "FORMAT=records"], ["predict"]),
    (["annotate", "INPUT=in dir", "OUT=out", "LIMIT=3"], ["annotate"]),
    (["compare", f"RUNS=ecbplus_study8 {ODD}", "BASELINE=experiment=recipe", "BY_COMMIT=1"], ["compare"]),
    (["ensemble", f"MODELS={ODD} runs/train/b/model"], ["ensemble"]),
    (["pseudo", f"TEACHER={ODD}"], ["pseudo"]),
    (["eval-records", f"CKPT={ODD}", "LINKING=nearest"], ["eval-records"]),
    (["modality", "ARGS=seeds=[0,1] 'out=a b'"], ["modality", "seeds=[0,1]", "out=a b"]),
    (["tag", "NPROC=1", "INPUT=in dir", "OUT=out"], ["tag"]),
    (["train", "EXP=recipe", f"RESUME={ODD}"], ["train", "experiment=recipe", "resume=true"]),
    (
        ["sweep", "ARGS=seed=1,2 model=minilm,tiny", "SWEEP=mine"],
        ["sweep", "experiment=distilled", "skip_if_done=true", "resume=true", "seed=1,2", "model=minilm,tiny"],
    ),
]


@pytest.mark.parametrize("call, job", CALLS, ids=[c[0][0] for c in CALLS])
def test_a_target_runs_its_job_with_args_only(call, job):
    """The shortcuts' values are not on the command line, only the job and ARGS (which Hydra parses)."""
    words = dry_run(*call)
    assert words[0].endswith("bin/dateline") and words[1:] == job, words
    OverridesParser.create().parse_overrides([w for w in words[2:] if "=" in w])


def test_make_cv_and_curve_sweep_the_users_corpus_then_pool_it():
    jobs = [words[1:] for words in job_commands("cv", "DATA=x")]
    assert jobs == [["sweep", "experiment=distilled", "data=brat", "+sweep=cv"], ["cv"]]
    jobs = [words[1:] for words in job_commands("curve", "DATA=x", "READER=conll")]
    assert jobs == [["sweep", "experiment=distilled", "data=conll", "+sweep=curve"], ["curve"]]


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
    assert [w for w in dry_run(*call) if w.startswith("experiment=")] == experiments


# (job config, make variable, value given, config key, what the key holds then)
SHORTCUTS = [
    ("predict", "CKPT", ODD, "ckpt", ODD),
    ("predict", "FILE", "a b=c,d.txt", "file", "a b=c,d.txt"),
    ("predict", "FORMAT", "records", "format", "records"),
    ("predict", "OUT", "my out", "out", "my out"),
    ("tag", "INPUT", "in dir", "input", "in dir"),
    ("tag", "LINKING", "position", "linking", "position"),
    ("annotate", "LIMIT", "30", "limit", 30),
    ("eval", "ARTICLES", "my articles", "articles", "my articles"),
    ("eval_records", "LINKER", ODD, "linker", ODD),
    ("compare", "RUNS", f"study8 {ODD.split()[0]}", "runs", ["study8", ODD.split()[0]]),
    ("compare", "BY_COMMIT", "1", "by_commit", 1),
    ("compare", "BASELINE", "experiment=recipe", "baseline", "experiment=recipe"),
    ("ensemble", "MODELS", "a/model b/model", "models", ["a/model", "b/model"]),
    ("pseudo", "TEACHER", ODD, "teacher", ODD),
    ("pseudo", "PSEUDO", "rows.jsonl", "out", "rows.jsonl"),
    ("curve", "CKPT", ODD, "baseline", ODD),
    ("cv", "DATA", "corpora/my news/", "out", f"{ROOT}/runs/cv/my news/pooled"),
    ("cv", "SWEEP", "mine", "runs", [f"{ROOT}/runs/cv/mine"]),
]


def composed(job: str, overrides: list[str] | None = None, hydra: bool = False):
    with initialize_config_dir(str(CONFIGS), version_base="1.3"):
        return compose(job, overrides=overrides or [], return_hydra_config=hydra)


@pytest.mark.parametrize("job, var, value, key, expected", SHORTCUTS, ids=[f"{s[0]}-{s[1]}" for s in SHORTCUTS])
def test_a_shortcut_reaches_its_setting_as_typed_only_under_make(monkeypatch, job, var, value, key, expected):
    monkeypatch.setenv(var, value)
    monkeypatch.delenv("MAKELEVEL", raising=False)
    default = OmegaConf.to_container(composed(job), resolve=True)[key]
    assert default != expected  # a variable in the shell, not given to make: not read
    monkeypatch.setenv("MAKELEVEL", "1")
    assert OmegaConf.to_container(composed(job), resolve=True)[key] == expected
    monkeypatch.setenv(var, "")  # `make eval CKPT=`: as if not given
    assert OmegaConf.to_container(composed(job), resolve=True)[key] == default


def test_resume_and_sweep_ids_name_the_run_folders(monkeypatch):
    monkeypatch.setenv("MAKELEVEL", "1")
    monkeypatch.setenv("RESUME", ODD)
    monkeypatch.setenv("SWEEP", "mine")
    cfg = composed("train", hydra=True)
    assert cfg.hydra.run.dir == ODD and cfg.hydra.sweep.dir == f"{ROOT}/runs/sweeps/mine"
    monkeypatch.setenv("DATA", "corpora/my news")
    monkeypatch.setenv("K", "3")
    cfg = composed("train", ["data=brat", "+sweep=cv"], hydra=True)
    assert cfg.data.path == "corpora/my news" and cfg.data.split.folds == 3
    assert cfg.hydra.sweep.dir == f"{ROOT}/runs/cv/mine" and cfg.hydra.sweeper.params["data.split.fold"] == "range(0,3)"


def test_make_hands_a_value_to_the_job_as_typed(tmp_path):
    """Through make itself: the job reports the odd path it was given, unaltered."""
    odd = tmp_path / "x y" / "a=1,b"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS")}
    done = subprocess.run(
        ["make", "compare", f"RUNS={odd}", f"COMPARE_OUT={tmp_path / 'out'}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and f"no results.json under {odd}" in done.stderr
    done = subprocess.run(["make", "tag", "NPROC=1"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "make tag INPUT=… OUT=…" in done.stderr
