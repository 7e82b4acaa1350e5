"""Shared fixtures: a small ECB+-format corpus and Hydra configs composed as the entries do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir

from dateline.runs import register_resolvers
from tests.ecbplus_fixture import make_ecbplus

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# `make test` runs pytest under make: the jobs the tests start must not read the shell's FILE,
# OUT, DATA, ... as make shortcuts (dateline/make_vars.py); the tests that check those set it
os.environ.pop("MAKELEVEL", None)
register_resolvers()


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    return make_ecbplus(tmp_path_factory.mktemp("corpora"))


@pytest.fixture
def compose_cfg():
    """compose_cfg("train", ["model=tiny"]) -> the DictConfig the entry point would get."""

    def _compose(name: str, overrides: list[str] | None = None):
        with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
            return compose(config_name=name, overrides=overrides or [], return_hydra_config=False)

    return _compose
