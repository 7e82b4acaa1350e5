"""Evaluation entry: `dateline eval ckpt=<model dir> [overrides]` (Hydra).

model dir -> tagger -> every configured task -> spans on characters -> strict / exact / partial /
type scores with bootstrap CIs (+ seqeval strict IOB2 on token corpora) -> results.json,
per-document predictions, errors, report, leaderboard row. An existing results.json in the
output directory (a training run's) is updated, not replaced.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from pathlib import Path

import numpy as np
from hydra.core.hydra_config import HydraConfig
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf

from dateline.cli import hydra_entry
from dateline.data.document import Document
from dateline.data.labels import LabelScheme, spans_to_bio
from dateline.errors import DatelineError
from dateline.eval.metrics import strict_scores
from dateline.eval.spans import doc_counts, match, score
from dateline.eval.tasks import fingerprint
from dateline.io import write_json_atomic, write_text_atomic
from dateline.provenance import provenance
from dateline.runs import latest_model

log = logging.getLogger("dateline.eval")
CONTEXT_CHARS = 60


class LabelsDoNotMatch(DatelineError):
    """A task whose gold labels share none with the model's: nothing to score (the run's
    evaluation passes over it, saying so, e.g. ECB+ test for a model of a user's own labels)."""


def eval_tasks(cfg: DictConfig) -> list:
    """The configured tasks (`articles` only where a folder is named), and the test split of
    the corpus the model was trained on where the config carries it (`data`, set by the
    evaluation that follows training): its task (`data.task`, by default the corpus's name)
    takes the place of a configured one of that name, so a run's own test topics or test
    articles are what is scored."""
    from dateline.data.dataset import Corpus
    from dateline.eval.tasks import CorpusTask

    configured = [t for k, t in (cfg.get("tasks") or {}).items() if k != "articles" or cfg.get("articles")]
    tasks = {t.name: t for t in (instantiate(t, _convert_="all") for t in configured if t is not None)}
    data = cfg.get("data")
    if data is not None and "test" in Corpus(data).splits():
        own = CorpusTask(
            name=str(data.get("task") or data.name),
            data=data,
            split="test",
            token_based=bool(data.get("token_based", False)),
            official=tasks[data.task].official if data.get("task") in tasks else None,
        )
        tasks = {own.name: own, **{k: v for k, v in tasks.items() if k != own.name}}
    return list(tasks.values())


def model_scheme(tagger, fallback: LabelScheme) -> LabelScheme:
    """The label scheme the model was trained with (recorded in its directory)."""
    types = tagger.meta.get("types")
    return LabelScheme.from_config(tagger.meta.get("labels", "model"), types) if types else fallback


def in_scope(start: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= start < b for a, b in ranges)


def span_record(doc: Document, span: tuple[int, int, str] | None) -> dict | None:
    return (
        None
        if span is None
        else {"start": span[0], "end": span[1], "label": span[2], "text": doc.text[span[0] : span[1]]}
    )


def error_record(task: str, doc: Document, pair) -> dict:
    span = pair.gold or pair.pred
    a, b = min(x[0] for x in (pair.gold, pair.pred) if x), max(x[1] for x in (pair.gold, pair.pred) if x)
    return {
        "task": task,
        "doc_id": doc.id,
        "kind": {"missed": "false_negative", "spurious": "false_positive"}.get(pair.kind, pair.kind + "_error"),
        "gold": span_record(doc, pair.gold),
        "pred": span_record(doc, pair.pred),
        "start": span[0],
        "context": doc.text[max(0, a - CONTEXT_CHARS) : a]
        + "[["
        + doc.text[a:b]
        + "]]"
        + doc.text[b : b + CONTEXT_CHARS],
    }


def run_task(task, tagger, scheme: LabelScheme, out_dir: Path, n_boot: int = 1000) -> tuple[dict, list[dict]]:
    """Tag the task's documents, score them, write predictions and errors; return (scores, docs view)."""
    docs = task.documents(scheme)
    preds = tagger.tag_documents(docs, only_gold=True)
    task_types = {s.label for d in docs for s in d.char_spans()}
    if task_types and not task_types & set(scheme.entity_types):
        raise LabelsDoNotMatch(
            f"the model's labels ({', '.join(scheme.entity_types)}) do not match the labels of task {task.name} "
            f"({', '.join(sorted(task_types))}): nothing could be scored"
        )
    gold_types = sorted(task_types - set(scheme.entity_types))
    types = list(scheme.entity_types) + gold_types
    scored = task.scored_types(scheme)
    counts, doc_of_unit, rows, errors, gold_seqs, pred_seqs, correct = [], [], [], [], [], [], []
    for doc, pred in zip(docs, preds):
        ranges = doc.scored_ranges()
        gold = [(s.start, s.end, s.label) for s in doc.char_spans() if in_scope(s.start, ranges)]
        predicted = [(doc.to_char_span(s), c) for s, c in pred.spans()]
        predicted = [
            ((c.start, c.end, c.label), conf)
            for c, conf in predicted
            if in_scope(c.start, ranges) and (scored is None or c.label in scored)
        ]
        pairs = match(gold, [p for p, _ in predicted])
        by_range = [[] for _ in ranges]  # bootstrap units: the scored sentences of the document
        for p in pairs:
            start = (p.gold or p.pred)[0]
            by_range[next(i for i, (a, b) in enumerate(ranges) if a <= start < b)].append(p)
        counts += [doc_counts(unit, types) for unit in by_range]
        doc_of_unit += [len(rows)] * len(by_range)
        errors += [error_record(task.name, doc, p) for p in pairs if p.kind != "correct"]
        correct.append(Counter((p.gold[2], p.pred[2]) for p in pairs if p.kind == "correct"))
        rows.append(
            {
                "doc_id": doc.id,
                "scored": ranges,
                "gold": [list(g) for g in gold],
                "pred": [[*p, round(conf, 4)] for p, conf in predicted],
            }
        )
        if task.token_based:
            bio = spans_to_bio(len(doc.tokens), doc.spans)
            for (a, b), is_gold in zip(doc.sentences, doc.gold):
                if is_gold:
                    gold_seqs.append(bio[a:b])
                    pred_seqs.append(pred.tags[a:b])
    units = np.stack(counts) if counts else np.zeros((0, 4, len(types), 4))
    result = score(units, np.array(doc_of_unit, dtype=int), types, scheme.entity_types, n_boot)
    if task.token_based:
        result["seqeval_strict"] = strict_scores(gold_seqs, pred_seqs, scheme.entity_types)
    official = task.official_scorer()
    if official is not None:
        result["official"] = official(rows, task_types)
    result["n_documents"] = len(docs)
    result["n_gold_spans"] = sum(len(r["gold"]) for r in rows)
    write_text_atomic(out_dir / "predictions" / f"{task.name}.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    write_text_atomic(out_dir / "errors" / f"{task.name}.jsonl", "".join(json.dumps(e) + "\n" for e in errors))
    return result, [{"doc": d, "rows": r, "correct": c} for d, r, c in zip(docs, rows, correct)]


@hydra_entry("eval")
def main(cfg: DictConfig) -> dict:
    return evaluate_model(cfg, Path(HydraConfig.get().runtime.output_dir))


def evaluate_model(cfg: DictConfig, out_dir: Path) -> dict:
    """Everything `make eval` does, writing into `out_dir` (a training run's directory when
    called after training)."""
    from dateline.eval.publish import publish
    from dateline.tagging.tagger import Tagger

    started = time.time()
    ckpt = Path(cfg.ckpt) if cfg.ckpt else latest_model(Path(cfg.runs_root))
    tagger = Tagger(ckpt, batch_size=cfg.batch_size, decoding=cfg.decoding, precision=cfg.precision)
    for bias in ("o_bias", "i_bias"):
        if cfg.get(bias) is not None:
            setattr(tagger, bias, float(cfg[bias]))  # override the value tuned on dev
    scheme = model_scheme(tagger, instantiate(cfg.labels))
    results, versions, hashes, views, skipped = {}, {}, {}, {}, {}
    for task in eval_tasks(cfg):
        log.info("task %s (v%s)", task.name, task.version)
        try:
            results[task.name], views[task.name] = run_task(task, tagger, scheme, out_dir, cfg.bootstrap)
        except LabelsDoNotMatch as e:
            if not cfg.get("skip_unmatched", True):
                raise
            log.warning("%s", e)
            skipped[task.name] = str(e)
            continue
        versions[task.name], hashes[task.name] = task.version, fingerprint(task)
        m = results[task.name]["strict"]["micro"]
        log.info(
            "%s strict micro P %.4f R %.4f F1 %.4f [%.4f, %.4f]",
            task.name,
            m["precision"],
            m["recall"],
            m["f1"],
            m["ci_low"],
            m["ci_high"],
        )
    if skipped and not results:  # nothing the model tags is in any task: not a run to publish
        raise DatelineError(next(iter(skipped.values())))
    path = out_dir / "results.json"
    record = json.loads(path.read_text()) if path.is_file() else {}
    record.setdefault("results", {}).update(results)
    record["versions"] = {**record.get("versions", {}), **versions}
    record["data_fingerprints"] = {**record.get("data_fingerprints", {}), **hashes}
    record["evaluation"] = {
        "model_dir": str(ckpt),
        "skipped_tasks": skipped,
        "model_meta": tagger.meta,
        "precision": tagger.precision,
        "config": OmegaConf.to_container(cfg, resolve=True),
        **provenance(started, tagger.device),
    }
    write_json_atomic(path, record)
    publish(record, views, out_dir, ckpt, scheme, cfg)
    log.info("results written to %s", path)
    return record


if __name__ == "__main__":
    main()
