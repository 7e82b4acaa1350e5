"""Training entry: `python -m training.train [overrides]` (Hydra). Linear on purpose:
config -> data -> encoding -> model -> Trainer -> model directory + results.json."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import hydra
import numpy as np
from hydra.core.hydra_config import HydraConfig
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf

from data.corpora import PROJECT_ROOT
from data.errors import DatelineError, reported_as_one_line
from data.io import write_json_atomic
from training.run_dir import COMPLETE, register_resolvers

register_resolvers()
log = logging.getLogger("dateline.train")


def strict_f1_metric(labels: list[str], crf=None, hidden: tuple[str, ...] = ()):
    """compute_metrics for the Trainer: strict IOB2 micro-F1 (seqeval) after Viterbi decoding
    (with the CRF's current scores when the model trains one), `hidden` (auxiliary) types read
    as `O`, so the checkpoint chosen on dev is the one the tagger will reproduce."""
    from seqeval.metrics import f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    from data.labels import hide_types
    from training.decoding import allowed_start, allowed_transitions, crf_arrays, log_softmax, viterbi_many
    from training.encoding import IGNORE

    allowed, start = allowed_transitions(labels), allowed_start(labels)
    shown = hide_types(labels, hidden)

    def compute(eval_pred) -> dict[str, float]:
        logits, label_ids = eval_pred
        scores = crf_arrays(crf.scores()) if crf is not None else None
        labeled = [li != IGNORE for li in label_ids]
        kept = [(lg[m], li[m]) for lg, li, m in zip(logits, label_ids, labeled) if m.any()]
        paths = viterbi_many([log_softmax(lg.astype(np.float32)) for lg, _ in kept], allowed, start, scores)
        gold = [[shown[i] for i in li] for _, li in kept]
        pred = [[shown[i] for i in best] for best in paths]
        kw = dict(mode="strict", scheme=IOB2, zero_division=0)
        return {
            "precision": precision_score(gold, pred, **kw),
            "recall": recall_score(gold, pred, **kw),
            "f1": f1_score(gold, pred, **kw),
        }

    return compute


@hydra.main(version_base="1.3", config_path=str(PROJECT_ROOT / "configs"), config_name="train")
def main(cfg: DictConfig) -> dict:
    with reported_as_one_line():
        return _run(cfg)


def _run(cfg: DictConfig) -> dict:
    import datasets
    from transformers import DataCollatorForTokenClassification, Trainer, set_seed

    from data.augment import augment
    from data.dataset import build_dataset, has_dev_split, rows_dataset, split_options
    from training.dropout import install as install_fast_dropout
    from training.dropout import wanted as wanted_fast_dropout
    from training.encoding import encode_batch
    from training.model import META_FILE
    from training.optim import parameter_groups
    from training.precision import default_device
    from training.precision import resolve as resolve_precision

    run_dir = Path(HydraConfig.get().runtime.output_dir)
    if cfg.skip_if_done and (run_dir / COMPLETE).is_file() and (run_dir / "results.json").is_file():
        done = json.loads((run_dir / "results.json").read_text())
        log.info("%s already holds a finished run; skipped", run_dir)
        return objective(cfg, done)
    set_seed(cfg.seed)
    scheme = instantiate(cfg.labels)
    spec = instantiate(cfg.model)
    labels = scheme.bio_labels
    label2id = {label: i for i, label in enumerate(labels)}
    tokenizer = spec.load_tokenizer()

    def encoded(split: str, extra: str):
        ds = build_dataset(
            cfg.corpora, scheme, split, cfg.data.context, extra, cache_dir=cfg.cache_dir, **split_options(cfg.data)
        )
        if split == "train" and cfg.data.get("pseudo"):
            ds = datasets.concatenate_datasets([ds, rows_dataset(cfg.data.pseudo, labels, cfg.cache_dir)])
        if split == "train":
            ds = augment(ds, cfg.data.augment.types, cfg.data.augment.copies, cfg.data.augment.rate, cfg.seed)
        return ds.map(
            encode_batch,
            batched=True,
            remove_columns=ds.column_names,
            desc=f"encode {split}",
            fn_kwargs=dict(
                tokenizer=tokenizer,
                label2id=label2id,
                max_length=spec.max_length,
                casing=spec.casing,
                stride=spec.stride,
            ),
        )

    # data.dev_topics=[] (experiment=final): the dev topics join the training data, so nothing is
    # chosen during training: the last epoch is kept and decoding uses the biases of the config
    has_dev = has_dev_split(cfg.data)
    if not has_dev and (cfg.decoding.tune or cfg.averaging.enabled):
        raise DatelineError(
            "data.dev_topics is empty, so there is no dev set to choose on: "
            "set decoding.tune=false (with decoding.o_bias/i_bias) and averaging.enabled=false"
        )
    train_ds = encoded("train", cfg.data.extra)
    dev_ds = encoded("dev", "none") if has_dev else None
    gold_tokens = int(np.sum(train_ds["n_labels"]))
    log.info("train: %d windows, %d labeled tokens; dev: %d windows", len(train_ds), gold_tokens, len(dev_ds or []))

    for key, value in (cfg.logger.get("env") or {}).items():
        os.environ[key] = str(value)  # the trackers' integrations read their settings from the environment
    device = default_device()
    precision = resolve_precision(cfg.trainer.precision, device)
    adapt_seconds = 0.0
    if cfg.adapt.enabled:
        from training.adapt import adapted_encoder

        adapt_started = time.time()
        spec.pretrained = adapted_encoder(cfg, spec, scheme, precision, device)
        adapt_seconds = time.time() - adapt_started
        set_seed(cfg.seed)  # the classifier head is drawn from the run's seed, as without adaptation
    model = spec.build(labels)
    fast_dropout = wanted_fast_dropout(cfg.trainer.fast_dropout, device)
    if fast_dropout:
        install_fast_dropout(model)
    args = instantiate(
        cfg.trainer.args,
        output_dir=str(run_dir / "checkpoints"),
        seed=cfg.seed,
        data_seed=cfg.seed,
        bf16=precision == "bf16",
        use_cpu=device == "cpu",  # transformers asks for it to run bf16 autocast on a CPU
        report_to=list(cfg.logger.report_to),
        **({} if has_dev else dict(eval_strategy="no", load_best_model_at_end=False, metric_for_best_model=None)),
        _convert_="all",
    )
    crf = getattr(model, "crf", None)
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=dev_ds,
        data_collator=DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=8),
        processing_class=tokenizer,
        compute_metrics=strict_f1_metric(labels, crf, scheme.auxiliary) if has_dev else None,
    )
    if crf is not None or spec.layer_lr_decay != 1.0:  # the Trainer's own optimizer, our groups
        optimizer_cls, kwargs = trainer.get_optimizer_cls_and_kwargs(args, model)
        groups = parameter_groups(
            model,
            set(trainer.get_decay_parameter_names(model)),
            args.weight_decay,
            args.learning_rate,
            spec.crf_learning_rate,
            spec.layer_lr_decay,
            model.config.num_hidden_layers,
        )
        trainer.optimizer_cls_and_kwargs = (optimizer_cls, {**kwargs, "params": groups})
    averaging = None
    if cfg.averaging.enabled:
        from training.averaging import EpochWeightAverage

        averaging = EpochWeightAverage(cfg.averaging.start_epoch)
        trainer.add_callback(averaging)
    resume = cfg.resume and any((run_dir / "checkpoints").glob("checkpoint-*"))
    started = time.time()
    train_out = trainer.train(resume_from_checkpoint=True if resume else None)
    dev = trainer.evaluate() if has_dev else None
    chosen = "best_checkpoint" if has_dev else "last_epoch"
    averaged = averaging.averaged_state(model) if averaging else None
    if averaged is not None:
        best = {k: v.clone() for k, v in model.state_dict().items()}
        model.load_state_dict(averaged)
        dev_avg = trainer.evaluate()
        log.info("dev strict F1: best checkpoint %.4f, epoch average %.4f", dev["eval_f1"], dev_avg["eval_f1"])
        if dev_avg["eval_f1"] > dev["eval_f1"]:
            dev, chosen = dev_avg, f"average_of_epochs_{cfg.averaging.start_epoch}+"
        else:
            model.load_state_dict(best)
    train_seconds = time.time() - started

    model_dir = run_dir / "model"
    if crf is not None:
        del model.crf  # its scores go into dateline.json; the saved encoder is a plain token classifier
    trainer.save_model(str(model_dir))
    meta = {
        "labels": scheme.name,
        "types": dict(scheme.reported().types),
        "auxiliary": {t: list(scheme.types[t]) for t in scheme.auxiliary},
        "context": cfg.data.context,
        "max_length": spec.max_length,
        "casing": spec.casing,
        "stride": spec.stride,
        "encoder": spec.name,
        "seed": cfg.seed,
        "training_precision": precision,
    }
    if crf is not None:
        meta["crf"] = crf.scores()
    if not trainer.is_world_process_zero():
        return {}  # other DDP ranks: rank 0 writes the run directory
    tokenizer.save_pretrained(model_dir)
    (model_dir / META_FILE).write_text(json.dumps(meta, indent=2))
    if cfg.decoding.tune:
        meta.update(tune_decoding(cfg, model_dir, scheme))
    else:
        meta.update(o_bias=float(cfg.decoding.o_bias), i_bias=float(cfg.decoding.i_bias))
    (model_dir / META_FILE).write_text(json.dumps(meta, indent=2))
    results = {
        "run": {"dir": str(run_dir), "kind": "train", "seed": cfg.seed, "model": spec.name, "labels": scheme.name},
        "config": OmegaConf.to_container(cfg, resolve=True),
        "training": {
            "seconds": round(train_seconds, 2),
            "precision": precision,
            "fast_dropout": fast_dropout,
            "adapt_seconds": round(adapt_seconds, 2),
            "train_windows": len(train_ds),
            "gold_tokens": gold_tokens,
            "train_subwords": int(np.sum(train_ds["length"])),
            "gold_tokens_per_second": round(gold_tokens * args.num_train_epochs / train_seconds, 1),
            "train_loss": train_out.training_loss,
            "best_checkpoint": trainer.state.best_model_checkpoint,
            "chosen_weights": chosen,
            "log_history": trainer.state.log_history,
        },
        "results": {},
    }
    if dev is not None:
        micro = {k: dev[f"eval_{k}"] for k in ("precision", "recall", "f1")}
        results["results"][f"{cfg.data.name}_dev"] = {"strict": {"micro": micro}}
    write_json_atomic(run_dir / "results.json", results)
    (run_dir / COMPLETE).touch()
    log.info("model saved to %s (dev strict F1 %s)", model_dir, f"{dev['eval_f1']:.4f}" if dev else "n/a, no dev set")
    return objective(cfg, results)


def tune_decoding(cfg: DictConfig, model_dir: Path, scheme) -> dict:
    """Pick the decoding biases on the dev gold sentences with the saved model, as the tagger
    will run it; recorded in the model directory."""
    from data.dataset import gold_sentences, load_split, split_options
    from training.tagger import Tagger, tune_biases

    words, gold = gold_sentences(load_split(cfg.corpora, scheme.reported(), "dev", **split_options(cfg.data)))
    best, f1 = tune_biases(Tagger(model_dir), words, gold, dict(cfg.decoding.grid))
    log.info("decoding biases tuned on dev: %s (dev strict F1 %.4f)", best, f1)
    return {**best, "decoding_dev_f1": f1}


def objective(cfg: DictConfig, results: dict):
    """The run record, or the number a sweeper maximises."""
    if cfg.objective == "dev_f1":
        dev = results["results"].get(f"{cfg.data.name}_dev")
        if dev is None:
            raise DatelineError("objective=dev_f1 needs a dev set (data.dev_topics is empty)")
        return float(dev["strict"]["micro"]["f1"])
    return results


if __name__ == "__main__":
    main()
