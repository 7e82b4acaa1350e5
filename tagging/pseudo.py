"""Distillation by pseudo-labels: a teacher tags the training topics' unlabeled sentences.

ECB+ labels only a fraction of each training document: 1,037 gold sentences and 1,086 non-gold
ones with annotated mentions, against 7,543 sentences with no annotation at all. A teacher (one
model directory or, better, an ensemble: `training/ensemble.py`) tags a seeded sample of those
unlabeled sentences; a student trained on the labeled rows plus these (`data.pseudo=<file>`,
`experiment=distilled`) learns the teacher's decisions from text it never saw labeled — the
sequence-level distillation of Kim & Rush (EMNLP 2016): the teacher's best tag sequences,
not its per-word probabilities, since the student's CRF scores whole sequences.

`dateline pseudo teacher=<model dir> out=<rows.jsonl[.gz]>` (`make pseudo`) writes one row per
sentence, `{"id", "tags"}`: the id names the training sentence, whose words the reader takes
from the corpus (`data/dataset.py: rows_dataset`), so the file holds no corpus text and can be
committed (`make distill-labels` remakes the default's). Beside it, `<rows>.meta.json` says
what made it: the teacher and its members' scores, the commit, the command, the sample and the
counts. Only training topics are read, so dev keeps choosing and test keeps scoring on text no
model was fitted to.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from dateline.cli import hydra_entry
from dateline.data.dataset import Corpus, labeled_sentences, meta_path, sentence_id, unannotated_types
from dateline.data.labels import LabelScheme
from dateline.errors import DatelineError
from dateline.io import write_json_atomic, write_text_atomic
from dateline.provenance import git_state
from dateline.runs import META_FILE
from dateline.tagging.tagger import Tagger


def unlabeled_sentences(data_cfg, scheme: LabelScheme) -> list[tuple[str, list[str]]]:
    """(row id, words) of every training sentence of the corpus `data_cfg` reads that carries
    no label of the teacher's: in ECB+, not gold and without an annotated mention (those are
    training rows already, `data.extra=annotated`); in a corpus that leaves some of the
    teacher's types unmarked (TimeML marks no ACTOR), every sentence."""
    out = []
    for doc in Corpus(data_cfg).documents(scheme, "train"):
        # a corpus that leaves a type of the teacher's unmarked labels none of its sentences fully
        flags = [False] * len(doc.sentences) if unannotated_types(doc, scheme) else labeled_sentences(doc, "annotated")
        for i, ((a, b), labeled) in enumerate(zip(doc.sentences, flags)):
            if not labeled and b > a:
                out.append((sentence_id(doc, i), doc.words[a:b]))
    return out


def article_sentences(path: Path) -> list[tuple[str, list[str]]]:
    """(row id, words) of every sentence of raw articles (`input=`: the user's unannotated ones)."""
    from dateline.data.articles import read_any

    return [(sentence_id(d, i), d.words[a:b]) for d in read_any(path) for i, (a, b) in enumerate(d.sentences) if b > a]


def pseudo_rows(teacher: Tagger, sentences: list[tuple[str, list[str]]], limit: int | None, seed: int) -> list[dict]:
    """The teacher's tags (`{"id", "tags"}`, no words) for a seeded sample of `limit` sentences
    (all when None), in corpus order."""
    chosen = list(range(len(sentences)))
    if limit is not None and limit < len(chosen):
        chosen = sorted(random.Random(seed).sample(chosen, limit))
    picked = [sentences[i] for i in chosen]
    preds = teacher.predict([words for _, words in picked])
    return [{"id": rid, "tags": p.tags} for (rid, _), p in zip(picked, preds)]


def write_pseudo(
    teacher_dir: Path,
    out: Path,
    data_cfg=None,
    limit: int | None = None,
    seed: int = 0,
    source: dict | None = None,
    articles: Path | None = None,
) -> dict:
    """Tag the unlabeled training sentences of the corpus `data_cfg` reads, or every sentence
    of the raw `articles`, and write the rows and their meta file. Rows of a corpus are
    `{"id", "tags"}`, and the meta's `source` (the data group and its overrides) tells the
    student where their words are (`data/dataset.py: rows_dataset`); rows of raw articles carry
    their words."""
    teacher = Tagger(teacher_dir)
    meta = teacher.meta
    if "types" not in meta:
        raise DatelineError("dateline.json has no label types: not a model trained by this harness", teacher_dir)
    scheme = LabelScheme.from_config(meta.get("labels", "teacher"), meta["types"])
    started = time.time()
    sentences = article_sentences(articles) if articles is not None else unlabeled_sentences(data_cfg, scheme)
    rows = pseudo_rows(teacher, sentences, limit, seed)
    if articles is not None:
        words = dict(sentences)
        rows = [{"id": r["id"], "words": words[r["id"]], "tags": r["tags"]} for r in rows]
    write_text_atomic(out, "".join(json.dumps(r) + "\n" for r in rows))
    spans = sum(t.startswith("B-") for r in rows for t in r["tags"])
    info = {
        "teacher": str(teacher_dir.resolve()),
        "teacher_members": teacher_scores(teacher_dir),
        "labels": meta.get("labels"),
        "git": git_state(),
        "command": " ".join(["dateline", "pseudo", *sys.argv[1:]]),
        **({"source": source} if source and articles is None else {}),
        **({"articles": str(articles)} if articles is not None else {}),
        "unlabeled_sentences": len(sentences),
        "rows": len(rows),
        "words": sum(len(r["tags"]) for r in rows),
        "spans": spans,
        "limit": limit,
        "seed": seed,
        "seconds": round(time.time() - started, 1),
    }
    write_json_atomic(meta_path(out), info)
    return info


def teacher_scores(teacher_dir: Path) -> list[dict]:
    """Each teacher model (an ensemble's members, or the model itself): its directory, the commit
    it was trained at and the strict F1 its run recorded per task, where its run directory says."""
    meta = json.loads((teacher_dir / META_FILE).read_text())
    models = [(teacher_dir / m).resolve() for m in meta.get("ensemble", [])] or [teacher_dir.resolve()]
    out = []
    for model in models:
        results = model.parent / "results.json"
        run = json.loads(results.read_text()) if results.is_file() else {}
        out.append(
            {
                "model": str(model),
                "git": run.get("evaluation", {}).get("git"),
                "strict_f1": {t: r["strict"]["micro"]["f1"] for t, r in run.get("results", {}).items()},
            }
        )
    return out


def data_source() -> dict:
    """The data group of this job and its data.* overrides: what a student recomposes to find
    the rows' words (the corpora folder is the student's own)."""
    from hydra.core.hydra_config import HydraConfig

    hydra = HydraConfig.get()
    overrides = [o for o in hydra.overrides.task if o.lstrip("+~").startswith("data.")]
    return {"group": hydra.runtime.choices.get("data", "ecbplus"), "overrides": overrides}


@hydra_entry("pseudo")
def main(cfg) -> None:
    if not cfg.teacher:
        raise DatelineError("pseudo needs teacher=<trained model or ensemble directory> (make pseudo TEACHER=…)")
    teacher, out = Path(cfg.teacher), Path(cfg.out)
    articles = Path(cfg.input) if cfg.get("input") else None
    info = write_pseudo(teacher, out, cfg.data, cfg.limit, cfg.seed, data_source(), articles)
    what = f"sentences of {articles}" if articles else f"unlabeled {cfg.data.name} training sentences"
    print(
        f"{info['rows']} of {info['unlabeled_sentences']} {what} tagged by {teacher} ({info['spans']} spans, {info['seconds']} s) -> {out}"
    )


if __name__ == "__main__":
    main()
