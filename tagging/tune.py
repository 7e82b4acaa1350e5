"""Decoding biases chosen on dev, with the saved model run exactly as the tagger will run it.

Run by the Hydra callback that ends a training job (`eval/callbacks.py`, before the evaluation): the
`O` penalty and `I-` bonus (`Tagger.decode`) that maximise strict F1 on the dev gold sentences
are written into the model directory's `dateline.json`. Running after training, not inside it,
keeps training free of the code that applies a model; a model directory that already holds its
biases (a finished run met again by a re-run sweep, or `decoding.tune=false`) is left as it is.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from hydra.core.utils import JobReturn, JobStatus
from omegaconf import DictConfig

from dateline.io import write_json_atomic
from dateline.runs import META_FILE

log = logging.getLogger("dateline.train")


def dev_gold(cfg: DictConfig, model_dir: Path) -> tuple[list[list[str]], list[list[str]]]:
    """The dev gold sentences (words, IOB2 tags) of `cfg.data`, labeled with the model's scheme."""
    from dateline.data.dataset import Corpus, gold_sentences
    from dateline.data.labels import LabelScheme

    meta = json.loads((model_dir / META_FILE).read_text())
    scheme = LabelScheme.from_config(meta["labels"], meta["types"])
    return gold_sentences(Corpus(cfg.data).documents(scheme, "dev"))


def tune_decoding(cfg: DictConfig, model_dir: Path) -> dict:
    """Pick the decoding biases on the dev gold sentences; record them in the model directory."""
    from dateline.tagging.tagger import Tagger, tune_biases

    words, gold = dev_gold(cfg, model_dir)
    best, f1 = tune_biases(Tagger(model_dir), words, gold, dict(cfg.decoding.grid))
    meta = json.loads((model_dir / META_FILE).read_text())
    log.info("decoding biases tuned on dev: %s (dev strict F1 %.4f)", best, f1)
    meta.update(best, decoding_dev_f1=f1)
    write_json_atomic(model_dir / META_FILE, meta)
    return meta


def tune_finished_run(config: DictConfig, job_return: JobReturn) -> None:
    """Tune the model a completed training job saved (on rank 0), unless it holds its biases."""
    if job_return.status != JobStatus.COMPLETED or int(os.environ.get("RANK", "0")) != 0:
        return
    model_dir = Path(config.hydra.runtime.output_dir) / "model"
    meta = model_dir / META_FILE
    if not meta.is_file() or "o_bias" in json.loads(meta.read_text()):
        return  # not a finished run, or its biases are set already
    from dateline.errors import reported_as_one_line

    with reported_as_one_line():
        tune_decoding(config, model_dir)
