"""The fast path (bf16 where native) is chosen automatically, recorded, and tags like fp32;
tagging a very long article stays within bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dateline.bench.synthetic import news_like_text
from dateline.errors import DatelineError
from dateline.training.bf16 import resolve
from tests.entry import ROOT, train_briefly


def test_auto_is_bf16_only_where_the_cpu_has_it():
    assert resolve("auto", "cpu", flags={"avx2", "amx_bf16"}) == "bf16"
    assert resolve("auto", "cpu", flags={"avx2", "avx512_bf16"}) == "bf16"
    assert resolve("auto", "cpu", flags={"avx2", "avx512f"}) == "fp32"
    assert resolve("fp32", "cpu", flags={"amx_bf16"}) == "fp32"
    assert resolve("bf16", "cpu", flags=set()) == "bf16"
    with pytest.raises(DatelineError, match="precision must be one of"):
        resolve("fp16", "cpu")


def test_half_precision_checkpoint_is_trained_in_fp32(tmp_path: Path):
    """transformers 5 loads a checkpoint in the dtype it was saved in; the optimizer must still
    get fp32 weights (bf16 comes from autocast), so a bf16 checkpoint is built in fp32."""
    import torch
    from transformers import BertConfig, BertModel

    from dateline.training.model import ModelSpec

    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32)
    BertModel(config).to(torch.bfloat16).save_pretrained(tmp_path)
    model = ModelSpec(name="half", tokenizer=str(tmp_path), pretrained=str(tmp_path), crf=True).build(
        ["O", "B-X", "I-X"]
    )
    assert {p.dtype for p in model.parameters()} == {torch.float32}


@pytest.fixture(scope="module")
def minilm_run(corpus_dir: Path, tmp_path_factory) -> Path:
    """The real MiniLM fine-tuned briefly on the fixture corpus through the training entry."""
    return train_briefly(corpus_dir, tmp_path_factory.mktemp("minilm") / "run")


@pytest.mark.slow
def test_precision_recorded_and_fast_path_agrees_with_fp32(minilm_run: Path):
    from dateline.training.bf16 import resolve as chosen

    training = json.loads((minilm_run / "results.json").read_text())["training"]
    assert training["precision"] == chosen("auto", "cpu")
    assert training["fast_dropout"] is True  # trainer.fast_dropout=auto on a CPU
    model = minilm_run / "model"
    assert json.loads((model / "dateline.json").read_text())["training_precision"] == training["precision"]

    assert_fast_path_agrees(model)


def assert_fast_path_agrees(model: Path) -> None:
    """The bf16 fast path tags >= 99% of the words of five news-like articles as fp32 does."""
    from dateline.bench.phases import precision_agreement
    from dateline.data.text import document_from_text

    docs = [document_from_text(f"d{i}", news_like_text(400, seed=i)) for i in range(5)]
    found = precision_agreement(model, docs)
    assert found["words"] > 2000 and found["tagged_by_fp32"] > 0  # the model tags something
    print(f"fast-vs-fp32 word agreement {found['agreement']:.4f} over {found['words']} words")
    assert found["agreement"] >= 0.99, found


PEAK_SCRIPT = """
import json, resource, sys, time
from dateline.data.text import document_from_text
from dateline.bench.synthetic import news_like_text
from dateline.tagging.tagger import Tagger
tagger = Tagger(sys.argv[1])
doc = document_from_text("long", news_like_text(int(sys.argv[2])))
pred = tagger.tag_documents([doc])[0]
print(json.dumps({"words": len(doc.tokens), "tags": len(pred.tags),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


@pytest.mark.slow
def test_100k_word_article_tags_in_bounded_memory(minilm_run: Path):
    res = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(minilm_run / "model"), "100000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["words"] >= 100_000 and out["tags"] == out["words"]  # every word tagged
    print(f"100k-word article: {out}")
    assert out["peak_rss_mib"] < 2048, out


def test_the_modality_and_linker_trainers_take_a_precision(tmp_path):
    """`precision=fp32` (configs/modality.yaml, linker.yaml) trains in fp32 even where bf16 is
    native; a name outside auto/bf16/fp32 is one clear error."""
    import pytest

    from dateline.errors import DatelineError
    from dateline.training.position_head import training_arguments

    assert training_arguments(tmp_path, 1, 1e-5, 2, 0, "fp32").bf16 is False
    with pytest.raises(DatelineError, match="precision must be one of"):
        training_arguments(tmp_path, 1, 1e-5, 2, 0, "fp16")
