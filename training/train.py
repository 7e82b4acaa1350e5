"""Training entry: `dateline train [overrides]` (Hydra). Linear on purpose, one named step each:
config -> data -> encoding -> model -> Trainer -> model directory + results.json.

What follows a run is done by a Hydra callback (configs/train.yaml, eval/callbacks.py), so
training never imports what applies or scores a model: the decoding biases are tuned on dev
(tagging/tune.py), then the model is evaluated.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import numpy as np
from hydra.core.hydra_config import HydraConfig
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf

from dateline.cli import hydra_entry
from dateline.errors import DatelineError
from dateline.io import write_json_atomic
from dateline.runs import COMPLETE, META_FILE, SPLITS_FILE
from dateline.training.init import resolve_init

log = logging.getLogger("dateline.train")


@hydra_entry("train")
def main(cfg: DictConfig) -> dict | float:
    return train(cfg)


def train(cfg: DictConfig) -> dict | float:
    """Train one tagger into the Hydra run directory; return the run record (or the sweeper's number)."""
    from transformers import set_seed

    run_dir = Path(HydraConfig.get().runtime.output_dir)
    if cfg.skip_if_done and (run_dir / COMPLETE).is_file() and (run_dir / "results.json").is_file():
        log.info("%s already holds a finished run; skipped", run_dir)
        return objective(cfg, json.loads((run_dir / "results.json").read_text()))
    set_seed(cfg.seed)
    corpus, also = training_corpora(cfg)
    scheme, spec = training_scheme(cfg, corpus), instantiate(cfg.model)
    spec.init = resolve_init(spec.init, spec.default_recipe, spec.name, Path(cfg.runs_root), cfg.corpora, cfg.cache_dir)
    data_summary = corpus.summary(scheme)
    write_json_atomic(run_dir / SPLITS_FILE, {"source": data_summary["split_source"], **data_summary.pop("ids")})
    tokenizer = spec.load_tokenizer()
    train_ds, dev_ds = encoded_splits(cfg, scheme, spec, tokenizer, corpus, also)
    device, precision = choose_device(cfg)
    model, fast_dropout = build_model(cfg, spec, scheme, device)
    trainer = make_trainer(cfg, spec, model, tokenizer, train_ds, dev_ds, run_dir, precision, device)
    started = time.time()
    resume = cfg.resume and any((run_dir / "checkpoints").glob("checkpoint-*"))
    train_out = trainer.train(resume_from_checkpoint=True if resume else None)
    dev = trainer.evaluate() if dev_ds is not None else None
    seconds = time.time() - started
    if not trainer.is_world_process_zero():
        return {}  # other DDP ranks: rank 0 writes the run directory
    save_model(cfg, trainer, tokenizer, spec, scheme, run_dir / "model", precision, corpus)
    results = run_record(cfg, trainer, train_out, dev, train_ds, seconds, precision, fast_dropout, spec, scheme)
    results["data"] = {**data_summary, "splits_file": SPLITS_FILE, "also": [c.name for c in also]}
    results["run"]["dir"] = str(run_dir)
    write_json_atomic(run_dir / "results.json", results)
    (run_dir / COMPLETE).touch()
    log.info("model saved to %s (dev strict F1 %s)", run_dir / "model", f"{dev['eval_f1']:.4f}" if dev else "n/a")
    return objective(cfg, results)


def training_corpora(cfg: DictConfig):
    """The corpus trained on (`cfg.data`) and the ones joined to it (`data.also`: data group
    names, or `{group: <name>, ...overrides}`), each composed against the same corpora folder."""
    from omegaconf import OmegaConf

    from dateline.data.dataset import Corpus
    from dateline.data.readers import data_group

    also = []
    for entry in cfg.data.get("also") or []:
        if isinstance(entry, str):
            also.append(Corpus(data_group(entry, [f"corpora={cfg.corpora}"])))
        elif "group" in entry:
            rest = {k: v for k, v in OmegaConf.to_container(entry, resolve=True).items() if k != "group"}
            also.append(Corpus(OmegaConf.merge(data_group(entry["group"], [f"corpora={cfg.corpora}"]), rest)))
        else:
            raise DatelineError(f"data.also entries are data group names or {{group: <name>, ...}}, not {entry}")
    return Corpus(cfg.data), also


def pseudo_files(data: dict) -> list[str]:
    """The files of extra rows a corpus brings (`pseudo`: a path, a list, or `teacher`: its
    `teacher_labels`)."""
    pseudo = data.get("pseudo") or []
    if pseudo == "teacher":
        pseudo = data.get("teacher_labels") or []
    return [pseudo] if isinstance(pseudo, str) else list(pseudo)


def training_scheme(cfg: DictConfig, corpus):
    """The label scheme of `cfg.labels`, or, for labels=from_data, the corpus's own labels."""
    from dateline.data.labels import known_types
    from dateline.paths import CONFIGS

    return corpus.scheme(instantiate(cfg.labels), known_types(sorted((CONFIGS / "labels").glob("*.yaml"))))


def encoded_splits(cfg: DictConfig, scheme, spec, tokenizer, corpus, also):
    """The training rows (plus more corpora's, `data.also`, and teachers' pseudo-labeled rows,
    `data.pseudo`) and the dev rows, cut into the model's windows; dev is None where the corpus
    has no dev split (experiment=final)."""
    import datasets

    from dateline.data.dataset import build_dataset, rows_dataset
    from dateline.training.encoding import encode_batch

    label2id = {label: i for i, label in enumerate(scheme.bio_labels)}

    def encoded(split: str):
        ds = build_dataset(corpus.cfg, scheme, split, None if split == "train" else "none", cfg.cache_dir)
        if split == "train":
            # more corpora's training rows (data.also), their unannotated types as partial labels
            more = [build_dataset(other.cfg, scheme, "train", None, cfg.cache_dir) for other in also]
            for source in [corpus, *also]:
                for path in pseudo_files(source.cfg):
                    more.append(rows_dataset(path, scheme.bio_labels, cfg.cache_dir, source.cfg, scheme, cfg.corpora))
            ds = datasets.concatenate_datasets([ds, *more]) if more else ds
            if not spec.crf and any(ds["unannotated"]):
                raise DatelineError(
                    "the training corpora leave some types unannotated (partial labels: O or one of those types), "
                    "which only the CRF's loss can learn from: set model.crf=true"
                )
        kwargs = dict(
            tokenizer=tokenizer, label2id=label2id, max_length=spec.max_length, stride=spec.stride, casing=spec.casing
        )
        return ds.map(
            encode_batch, batched=True, remove_columns=ds.column_names, desc=f"encode {split}", fn_kwargs=kwargs
        )

    # no dev set (experiment=final: dev topics join training): nothing can be chosen on dev, so
    # the last epoch is kept and decoding uses the biases of the config
    has_dev = "dev" in corpus.splits()
    if not has_dev and cfg.decoding.tune:
        raise DatelineError(
            f"corpus {corpus.name} has no dev split (data.reader.dev_topics is empty, or data.split.dev=0), so "
            "there is nothing to choose on: set decoding.tune=false (with decoding.o_bias/i_bias)"
        )
    train_ds = encoded("train")
    dev_ds = encoded("dev") if has_dev else None
    log.info("train: %d windows, %d labeled tokens", len(train_ds), int(np.sum(train_ds["n_labels"])))
    return train_ds, dev_ds


def choose_device(cfg: DictConfig) -> tuple[str, str]:
    """The device and the precision it trains in (bf16 autocast where native), recorded."""
    from dateline.training.bf16 import default_device, resolve

    for key, value in (cfg.logger.get("env") or {}).items():
        os.environ[key] = str(value)  # the trackers' integrations read their settings from the environment
    device = default_device()
    return device, resolve(cfg.trainer.precision, device)


def build_model(cfg: DictConfig, spec, scheme, device: str):
    """The token classifier (with its CRF while training), with cheaper dropout masks on a CPU."""
    from dateline.training.dropout import install, wanted

    model = spec.build(scheme.bio_labels)
    fast_dropout = wanted(cfg.trainer.fast_dropout, device)
    if fast_dropout:
        install(model)
    return model, fast_dropout


def make_trainer(cfg: DictConfig, spec, model, tokenizer, train_ds, dev_ds, run_dir: Path, precision: str, device: str):
    """The HF Trainer with the config's arguments; a CRF's scores get a parameter group of their own."""
    from transformers import DataCollatorForTokenClassification, Trainer

    from dateline.training.optim import parameter_groups

    has_dev = dev_ds is not None
    args = instantiate(
        cfg.trainer.args,
        output_dir=str(run_dir / "checkpoints"),
        seed=cfg.seed,
        data_seed=cfg.seed,
        bf16=precision == "bf16",
        use_cpu=device == "cpu",  # transformers asks for it to run bf16 autocast on a CPU
        report_to=list(cfg.logger.report_to),
        **({} if has_dev else dict(eval_strategy="no", load_best_model_at_end=False, metric_for_best_model=None)),
        num_train_epochs=epochs_for(cfg, len(train_ds)),
        _convert_="all",
    )
    crf = getattr(model, "crf", None)
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=dev_ds,
        data_collator=DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=8),
        processing_class=tokenizer,
        compute_metrics=strict_f1_metric(labels, crf) if has_dev else None,
    )
    if crf is not None:  # the Trainer's own optimizer class, our groups
        optimizer_cls, kwargs = trainer.get_optimizer_cls_and_kwargs(args, model)
        decay = set(trainer.get_decay_parameter_names(model))
        groups = parameter_groups(model, decay, args.weight_decay, spec.crf_learning_rate)
        trainer.optimizer_cls_and_kwargs = (optimizer_cls, {**kwargs, "params": groups})
    return trainer


def epochs_for(cfg: DictConfig, windows: int) -> float:
    """The configured epochs, raised where a small corpus would get fewer optimizer updates than
    `data.min_updates` (a user's few dozen articles: 8 epochs of 40 articles is about a hundred
    updates, too few to learn from; Study 15 measured the gain)."""
    import math

    epochs = float(cfg.trainer.args.num_train_epochs)
    wanted = int(cfg.data.get("min_updates") or 0)
    args = cfg.trainer.args
    batch = int(args.per_device_train_batch_size) * int(args.get("gradient_accumulation_steps", 1))
    batch *= int(os.environ.get("WORLD_SIZE", "1"))
    per_epoch = max(1, math.ceil(windows / batch))
    if wanted and epochs * per_epoch < wanted:
        raised = math.ceil(wanted / per_epoch)
        log.info("%d windows: %s epochs raised to %d (data.min_updates=%d)", windows, epochs, raised, wanted)
        return float(raised)
    return epochs


def strict_f1_metric(labels: list[str], crf=None):
    """compute_metrics for the Trainer: strict IOB2 micro-F1 (seqeval) after Viterbi decoding
    (with the CRF's current scores when the model trains one), so the checkpoint chosen on dev
    is the one the tagger will reproduce."""
    from seqeval.metrics import f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    from dateline.training.decoding import allowed_start, allowed_transitions, crf_arrays, log_softmax, viterbi_many
    from dateline.training.encoding import IGNORE

    allowed, start = allowed_transitions(labels), allowed_start(labels)

    def compute(eval_pred) -> dict[str, float]:
        logits, label_ids = eval_pred
        scores = crf_arrays(crf.scores()) if crf is not None else None
        labeled = [li != IGNORE for li in label_ids]
        kept = [(lg[m], li[m]) for lg, li, m in zip(logits, label_ids, labeled) if m.any()]
        paths = viterbi_many([log_softmax(lg.astype(np.float32)) for lg, _ in kept], allowed, start, scores)
        # a partial label (a type the corpus does not annotate) is scored as O
        gold = [[labels[i] if i < len(labels) else "O" for i in li] for _, li in kept]
        pred = [[labels[i] for i in best] for best in paths]
        kw = dict(mode="strict", scheme=IOB2, zero_division=0)
        return {
            "precision": precision_score(gold, pred, **kw),
            "recall": recall_score(gold, pred, **kw),
            "f1": f1_score(gold, pred, **kw),
        }

    return compute


def save_model(cfg: DictConfig, trainer, tokenizer, spec, scheme, model_dir: Path, precision: str, corpus) -> None:
    """A plain token classifier (`save_pretrained` + tokenizer) and `dateline.json`: label scheme,
    reading options, the CRF's scores; decoding biases come later (tagging/tune.py) or from the
    config when there is no dev set to tune them on."""
    crf = getattr(trainer.model, "crf", None)
    if crf is not None:
        del trainer.model.crf  # its scores go into dateline.json; the saved encoder stays plain
    trainer.save_model(str(model_dir))
    tokenizer.save_pretrained(model_dir)
    meta = {
        "labels": scheme.name,
        "types": dict(scheme.types),
        "roles": scheme.roles,
        "data": {"name": corpus.name, "reader": corpus.reader.name, "describe": corpus.reader.describe()},
        **({"init": str(spec.init)} if spec.init else {}),
        "max_length": spec.max_length,
        "casing": spec.casing,
        "stride": spec.stride,
        "encoder": spec.name,
        "experiment": HydraConfig.get().runtime.choices.get("experiment"),
        "seed": cfg.seed,
        "training_precision": precision,
        **({"crf": crf.scores()} if crf is not None else {}),
        **({} if cfg.decoding.tune else {"o_bias": float(cfg.decoding.o_bias), "i_bias": float(cfg.decoding.i_bias)}),
    }
    write_json_atomic(model_dir / META_FILE, meta)


def run_record(cfg, trainer, train_out, dev, train_ds, seconds, precision, fast_dropout, spec, scheme) -> dict:
    """results.json of a training run: the resolved config, how training went, dev scores."""
    gold_tokens = int(np.sum(train_ds["n_labels"]))
    results = {
        "run": {"kind": "train", "seed": cfg.seed, "model": spec.name, "labels": scheme.name},
        "config": OmegaConf.to_container(cfg, resolve=True),
        "training": {
            "seconds": round(seconds, 2),
            "precision": precision,
            "fast_dropout": fast_dropout,
            "train_windows": len(train_ds),
            "epochs": trainer.args.num_train_epochs,
            "gold_tokens": gold_tokens,
            "train_subwords": int(np.sum(train_ds["length"])),
            "gold_tokens_per_second": round(gold_tokens * trainer.args.num_train_epochs / seconds, 1),
            "train_loss": train_out.training_loss,
            "best_checkpoint": trainer.state.best_model_checkpoint,
            "chosen_weights": "best_checkpoint" if dev is not None else "last_epoch",
            "log_history": trainer.state.log_history,
        },
        "results": {},
    }
    if dev is not None:
        micro = {k: dev[f"eval_{k}"] for k in ("precision", "recall", "f1")}
        results["results"][f"{cfg.data.name}_dev"] = {"strict": {"micro": micro}}
    return results


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
