"""Masked-LM adaptation: the encoder is adapted once on the training topics, cached, and reused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.entry import run


def train(corpus_dir: Path, run_dir: Path, cache: Path):
    return run(
        "training.train",
        "experiment=adapted",
        "adapt.epochs=1",
        "trainer.args.num_train_epochs=1",
        "decoding.tune=false",
        "evaluate.enabled=false",
        f"corpora={corpus_dir}",
        f"cache_dir={cache}",
        f"hydra.run.dir={run_dir}",
    )


@pytest.mark.slow
def test_adapted_encoder_is_built_once_and_changes_the_encoder(corpus_dir: Path, tmp_path: Path):
    import torch
    from safetensors.torch import load_file

    from training.model import minilm_path

    first = train(corpus_dir, tmp_path / "a", tmp_path / "cache")
    assert first.returncode == 0, first.stderr[-3000:]
    cached = list((tmp_path / "cache" / "adapted").iterdir())
    assert len(cached) == 1 and (cached[0] / "config.json").is_file()
    second = train(corpus_dir, tmp_path / "b", tmp_path / "cache")
    assert second.returncode == 0, second.stderr[-3000:]
    assert "adapted encoder from cache" in second.stdout + second.stderr
    assert len(list((tmp_path / "cache" / "adapted").iterdir())) == 1

    key = "bert.encoder.layer.0.attention.self.query.weight"
    original = load_file(Path(minilm_path()) / "model.safetensors")
    original = original.get(key, original.get(key.removeprefix("bert.")))
    adapted = load_file(cached[0] / "model.safetensors")[key]
    assert not torch.equal(original, adapted)  # the masked-LM steps moved the encoder
    record = json.loads((tmp_path / "a" / "results.json").read_text())
    assert record["config"]["adapt"]["enabled"] and record["training"]["adapt_seconds"] > 0
