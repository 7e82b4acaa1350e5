"""Evaluation scores into the experiment tracker the training run used (`logger=mlflow` or
`logger=tensorboard`), beside the training curves the Trainer logged there."""

from __future__ import annotations

import os
from pathlib import Path


def flat_metrics(record: dict) -> dict[str, float]:
    out = {}
    for task, res in record["results"].items():
        for schema in ("strict", "exact", "partial", "type"):
            for label, m in res.get(schema, {}).items():
                if m.get("trained", True):
                    out[f"{task}/{schema}/{label}/f1"] = m["f1"]
    return out


def log_evaluation(record: dict, run_dir: Path, report_to: list[str], env: dict) -> None:
    metrics = flat_metrics(record)
    if "mlflow" in report_to:
        import mlflow

        mlflow.set_tracking_uri(env.get("MLFLOW_TRACKING_URI") or os.environ.get("MLFLOW_TRACKING_URI"))
        mlflow.set_experiment(env.get("MLFLOW_EXPERIMENT_NAME", "dateline"))
        with mlflow.start_run(run_name=f"{run_dir.name}/eval"):
            mlflow.log_params({"run_dir": str(run_dir), "model_dir": record["evaluation"]["model_dir"]})
            mlflow.log_metrics({k.replace("/", "."): v for k, v in metrics.items()})
    if "tensorboard" in report_to:
        from torch.utils.tensorboard import SummaryWriter

        writer = SummaryWriter(log_dir=env.get("TENSORBOARD_LOGGING_DIR") or str(run_dir / "tensorboard"))
        for key, value in metrics.items():
            writer.add_scalar(f"eval/{key}", value, 0)
        writer.close()
