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
from dateline.data.dataset import (
    labeled_sentences,
    load_split,
    meta_path,
    sentence_id,
    split_options,
    unannotated_types,
)
from dateline.data.labels import LabelScheme
from dateline.errors import DatelineError
from dateline.io import write_json_atomic, write_text_atomic
from dateline.provenance import git_state
from dateline.runs import META_FILE
from dateline.tagging.tagger import Tagger


def unlabeled_sentences(corpora: str | Path, scheme: LabelScheme, **split) -> list[tuple[str, list[str]]]:
    """(row id, words) of every training sentence that carries no label of the teacher's: in
    ECB+, not gold and without an annotated mention (those are training rows already,
    `data.extra=annotated`); in a corpus that leaves some of the teacher's types unmarked
    (TimeML marks no ACTOR), every sentence. `split`: the reading options of a data group
    (`split_options`; ECB+'s training topics when empty)."""
    out = []
    for doc in load_split(corpora, scheme, "train", **split):
        # a corpus that leaves a type of the teacher's unmarked labels none of its sentences fully
        flags = [False] * len(doc.sentences) if unannotated_types(doc, scheme) else labeled_sentences(doc, "annotated")
        for i, ((a, b), labeled) in enumerate(zip(doc.sentences, flags)):
            if not labeled and b > a:
                out.append((sentence_id(doc, i), doc.words[a:b]))
    return out


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
    corpora: str | Path,
    limit: int | None = None,
    seed: int = 0,
    split: dict | None = None,
) -> dict:
    """Tag the unlabeled training sentences of the corpus `split` reads (ECB+ when None) and
    write the rows and their meta file; the meta's `source` tells the student where the rows'
    words are (`data/dataset.py: rows_dataset`)."""
    teacher = Tagger(teacher_dir)
    meta = teacher.meta
    if "types" not in meta:
        raise DatelineError("dateline.json has no label types: not a model trained by this harness", teacher_dir)
    scheme = LabelScheme.from_config(meta.get("labels", "teacher"), meta["types"])
    started = time.time()
    split = split or {}
    sentences = unlabeled_sentences(corpora, scheme, **split)
    rows = pseudo_rows(teacher, sentences, limit, seed)
    write_text_atomic(out, "".join(json.dumps(r) + "\n" for r in rows))
    spans = sum(t.startswith("B-") for r in rows for t in r["tags"])
    info = {
        "teacher": str(teacher_dir.resolve()),
        "teacher_members": teacher_scores(teacher_dir),
        "labels": meta.get("labels"),
        "git": git_state(),
        "command": " ".join(["dateline", "pseudo", *sys.argv[1:]]),
        "source": {k: list(v) if isinstance(v, tuple) else v for k, v in split.items()},
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


@hydra_entry("pseudo")
def main(cfg) -> None:
    if not cfg.teacher:
        raise DatelineError("pseudo needs teacher=<trained model or ensemble directory>")
    teacher, out = Path(cfg.teacher), Path(cfg.out)
    info = write_pseudo(teacher, out, cfg.corpora, cfg.limit, cfg.seed, split_options(cfg.data))
    print(
        f"{info['rows']} of {info['unlabeled_sentences']} unlabeled {cfg.data.name} training sentences tagged by "
        f"{teacher} ({info['spans']} spans, {info['seconds']} s) -> {out}"
    )


if __name__ == "__main__":
    main()
