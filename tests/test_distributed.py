"""The same training entry under torchrun (2 CPU processes, gloo): DDP through the HF Trainer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# same global batch (2 x 8 vs 1 x 16), same order (sequential sampler), no dropout: the two
# runs differ only by how the loss is averaged across ranks and by float summation order
COMMON = [
    "model=tiny",
    "trainer.args.num_train_epochs=2",
    "trainer.args.train_sampling_strategy=sequential",
    "+model.config.hidden_dropout_prob=0.0",
    "+model.config.attention_probs_dropout_prob=0.0",
    "evaluate.enabled=false",
]
TOLERANCE = 0.01  # allowed difference in mean gold-label log-probability and in CRF loss per word


def dev_metrics(run: Path, corpus: Path) -> tuple[float, float]:
    """Mean log-probability of the gold tags (per word) and the CRF's negative log-likelihood of
    the gold sequences per word, for the saved model on the fixture dev documents, computed here
    (the Trainer's logged loss is scaled by the number of processes under DDP, so it is not
    comparable across process counts). Strict F1 on the fixture's 62 dev words is not compared:
    one span is 0.01 there, and Adam moves a CRF score whose gradient is near zero by a full
    step either way, so float summation order alone can flip a span of a barely trained model."""
    import numpy as np
    import torch

    from dateline.data.dataset import gold_sentences
    from dateline.data.labels import LabelScheme
    from dateline.tagging.tagger import Tagger
    from dateline.training.crf import LinearChainCRF
    from tests.corpora import documents, ecbplus

    tagger = Tagger(run / "model")
    words, gold = gold_sentences(documents(ecbplus(corpus), LabelScheme.from_config("ea", tagger.meta["types"]), "dev"))
    scores = tagger.scores(words)
    logp = np.mean([s[i, tagger.labels.index(t)] for s, g in zip(scores, gold) for i, t in enumerate(g)])
    crf = LinearChainCRF(tagger.labels)
    with torch.no_grad():
        for name, value in tagger.meta["crf"].items():
            getattr(crf, name).copy_(torch.tensor(value))
        nll = sum(
            float(crf.nll(torch.from_numpy(s)[None], torch.tensor([[tagger.labels.index(t) for t in g]])))
            for s, g in zip(scores, gold)
        )
    return float(logp), nll / sum(len(g) for g in gold)


@pytest.mark.slow
def test_two_process_ddp_matches_single_process(corpus_dir: Path, tmp_path: Path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    extra = [f"corpora={corpus_dir}", f"cache_dir={tmp_path / 'cache'}"]

    def launch(prefix: list[str], *overrides: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*prefix, "-m", "dateline.training.train", *COMMON, *extra, *overrides],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    single = launch(
        [sys.executable], "trainer.args.per_device_train_batch_size=16", f"hydra.run.dir={tmp_path / 'single'}"
    )
    assert single.returncode == 0, single.stderr[-2000:]
    torchrun = [str(Path(sys.executable).with_name("torchrun")), "--standalone", "--nproc_per_node=2"]
    ddp = launch(
        torchrun,
        "trainer.args.per_device_train_batch_size=8",
        "+trainer.args.ddp_backend=gloo",
        f"hydra.run.dir={tmp_path / 'ddp'}",
    )
    assert ddp.returncode == 0, ddp.stderr[-3000:]
    assert (tmp_path / "ddp" / "model" / "config.json").is_file()
    # the default trains a CRF: under DDP its scores are used inside forward like every weight
    (lp_single, crf_single), (lp_ddp, crf_ddp) = (dev_metrics(tmp_path / r, corpus_dir) for r in ("single", "ddp"))
    assert abs(lp_single - lp_ddp) <= TOLERANCE, (lp_single, lp_ddp)
    assert abs(crf_single - crf_ddp) <= TOLERANCE, (crf_single, crf_ddp)
