"""Evaluation entry: `python -m eval.evaluate ckpt=<model dir> [overrides]` (Hydra).

model dir -> tagger -> every configured task -> strict span scores -> results.json (+ per-document
predictions), merged into an existing results.json of the same run directory.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf

from data.errors import DatelineError, reported_as_one_line
from data.io import write_json_atomic, write_text_atomic
from data.labels import LabelScheme, spans_to_bio
from eval.metrics import strict_scores
from eval.provenance import provenance
from training.run_dir import COMPLETE, register_resolvers

register_resolvers()
log = logging.getLogger("dateline.eval")


def latest_model(runs_root: Path) -> Path:
    """The model of the most recent finished training run."""
    done = sorted(runs_root.glob("**/" + COMPLETE), key=lambda p: p.stat().st_mtime)
    done = [p.parent / "model" for p in done if (p.parent / "model").is_dir()]
    if not done:
        raise DatelineError(
            "no finished training run found; train one with `make train` or pass CKPT=<model dir>", runs_root
        )
    return done[-1]


def model_scheme(tagger, fallback: LabelScheme) -> LabelScheme:
    """The label scheme the model was trained with (recorded in its directory)."""
    types = tagger.meta.get("types")
    return LabelScheme.from_config(tagger.meta.get("labels", "model"), types) if types else fallback


def run_task(task, tagger, scheme: LabelScheme, out_dir: Path) -> dict:
    docs = task.documents(scheme)
    preds = tagger.tag_documents(docs, only_gold=True)
    gold_seqs, pred_seqs, rows = [], [], []
    for doc, pred in zip(docs, preds):
        gold_bio = spans_to_bio(len(doc.tokens), doc.spans)
        for (a, b), is_gold in zip(doc.sentences, doc.gold):
            if is_gold:
                gold_seqs.append(gold_bio[a:b])
                pred_seqs.append(pred.tags[a:b])
        scored = [(a, b) for (a, b), g in zip(doc.sentences, doc.gold) if g]
        inside = {i for a, b in scored for i in range(a, b)}
        rows.append(
            {
                "doc_id": doc.id,
                "scored_sentences": scored,
                "gold": [[s.start, s.end, s.label, doc.span_text(s)] for s in doc.spans if s.start in inside],
                "pred": [
                    [s.start, s.end, s.label, doc.span_text(s), round(c, 4)]
                    for s, c in pred.spans()
                    if s.start in inside
                ],
            }
        )
    write_text_atomic(out_dir / "predictions" / f"{task.name}.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    scores = strict_scores(gold_seqs, pred_seqs, scheme.entity_types)
    return {
        "strict": scores,
        "n_documents": len(docs),
        "n_sentences": len(gold_seqs),
        "n_tokens": sum(map(len, gold_seqs)),
    }


@hydra.main(version_base="1.3", config_path="../configs", config_name="eval")
def main(cfg: DictConfig) -> dict:
    with reported_as_one_line():
        return _run(cfg)


def _run(cfg: DictConfig) -> dict:
    from training.tagger import Tagger

    started = time.time()
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    ckpt = Path(cfg.ckpt) if cfg.ckpt else latest_model(Path(cfg.runs_root))
    tagger = Tagger(ckpt, batch_size=cfg.batch_size, decoding=cfg.decoding)
    scheme = model_scheme(tagger, instantiate(cfg.labels))
    results, versions, hashes = {}, {}, {}
    for tcfg in cfg.tasks.values():
        task = instantiate(tcfg, corpora=cfg.corpora, _convert_="all")
        log.info("task %s (v%s)", task.name, task.version)
        results[task.name] = run_task(task, tagger, scheme, out_dir)
        versions[task.name], hashes[task.name] = task.version, task.fingerprint()
        micro = results[task.name]["strict"]["micro"]
        log.info("%s strict micro P %.4f R %.4f F1 %.4f", task.name, micro["precision"], micro["recall"], micro["f1"])
    path = out_dir / "results.json"
    record = json.loads(path.read_text()) if path.is_file() else {}
    record.setdefault("results", {}).update(results)
    record["versions"] = {**record.get("versions", {}), **versions}
    record["data_fingerprints"] = {**record.get("data_fingerprints", {}), **hashes}
    record["evaluation"] = {
        "model_dir": str(ckpt),
        "config": OmegaConf.to_container(cfg, resolve=True),
        **provenance(started, tagger.device),
    }
    write_json_atomic(path, record)
    log.info("results written to %s", path)
    return record


if __name__ == "__main__":
    main()
