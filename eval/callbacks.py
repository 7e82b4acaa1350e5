"""The Hydra callback that finishes a training job: tune the decoding biases on dev, then
evaluate the model with them.

Wired in `configs/train.yaml` (`hydra.callbacks`), so `make train` and every job of a sweep
end with tuned decoding and an evaluation in the run directory, while the training code never
imports `tagging` or `eval`. The two steps are one callback so that their order is code.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from hydra.core.utils import JobReturn, JobStatus
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, open_dict

from dateline.tagging.tune import tune_finished_run

log = logging.getLogger("dateline.eval")


class AfterTraining(Callback):
    def on_job_end(self, config: DictConfig, job_return: JobReturn, **kwargs: Any) -> None:
        """Tune first: the evaluation scores the decoding the model will be used with."""
        tune_finished_run(config, job_return)
        evaluate_finished_run(config, job_return)


def evaluate_finished_run(config: DictConfig, job_return: JobReturn) -> None:
    """Evaluate the model a completed training job saved, in its run directory (once)."""
    settings = config.get("evaluate") or {}
    if not settings.get("enabled", True) or job_return.status != JobStatus.COMPLETED:
        return
    run_dir = Path(config.hydra.runtime.output_dir)
    if not (run_dir / "model").is_dir() or not (run_dir / "results.json").is_file():
        return  # not a finished run (or not DDP rank 0)
    if any("partial" in r for r in json.loads((run_dir / "results.json").read_text()).get("results", {}).values()):
        return  # already evaluated (a finished job met again when a sweep is re-run)
    from hydra import compose

    from dateline.errors import DatelineError, reported_as_one_line
    from dateline.eval.evaluate import evaluate_model

    quote = lambda v: "'" + str(v).replace("\\", "\\\\").replace("'", "\\'") + "'"  # noqa: E731
    overrides = [
        f"ckpt={quote(run_dir / 'model')}",
        f"corpora={quote(config.corpora)}",
        *settings.get("overrides", []),
    ]
    with reported_as_one_line():
        try:
            cfg = compose(config_name="eval", overrides=overrides)
        except Exception as e:  # a bad override: say which, as one line
            raise DatelineError(f"evaluation config: {e}") from None
        with open_dict(cfg):
            cfg.data = config.data  # the run's own corpus: its test split is scored too
        record = evaluate_model(cfg, run_dir)
    logger = config.get("logger") or {}
    if logger.get("report_to"):
        from dateline.eval.tracking import log_evaluation

        log_evaluation(record, run_dir, list(logger.report_to), dict(logger.get("env") or {}))
    micro = {t: round(r["strict"]["micro"]["f1"], 4) for t, r in record["results"].items() if "partial" in r}
    log.info("evaluated %s: strict micro-F1 %s", run_dir, micro)
