"""`dateline annotate ckpt=<model> input=<raw articles> out=<dir> format=brat|labelstudio|doccano`
(`make annotate`): the model's spans as pre-annotations in the annotation tool's own import
format, so a user corrects rather than annotates from scratch, most useful articles first.

Articles are ranked by the model's uncertainty, least confident first: 1 - the geometric mean of
the probabilities of the tags it chose (the length-normalised confidence of its tag sequence,
"MNLP" in Shen et al., ICLR 2018, Deep Active Learning for Named Entity Recognition), so a long
article is not ranked uncertain only for being long. `limit=n` keeps the n least confident.
Written: `ranking.tsv` (rank, article id, uncertainty, spans), `annotate.json` (the model and
the counts), and per format:
- brat: `<id>.txt` (the text as given) and `<id>.ann` (each span with an AnnotatorNotes note of
  its confidence), `annotation.conf` with the labels;
- labelstudio: `tasks.json` (tasks with `predictions`, region and article scores) and
  `labeling_config.xml` (the interface those tasks need);
- doccano: `articles.jsonl` (`text`, `label`, and as metadata the rank, the uncertainty and each
  span's confidence).
The corrected export reads back with `data=brat|labelstudio|doccano` (data/readers/). Nothing is
half written: the folder is filled aside and moved into place whole.
"""

from __future__ import annotations

import json
import math
import shutil
import sys
import tempfile
from pathlib import Path

from dateline.cli import hydra_entry
from dateline.data.articles import read_any
from dateline.data.readers.brat import ann_text, annotation_conf
from dateline.data.readers.doccano import doccano_line
from dateline.data.readers.labelstudio import labeling_config, labelstudio_task
from dateline.errors import DatelineError
from dateline.io import write_json_atomic
from dateline.runs import latest_model

FORMATS = ("brat", "labelstudio", "doccano")


def pre_annotations(tagger, docs) -> list[dict]:
    """Per article: its spans (start, end, label, confidence) on characters and its uncertainty."""
    out = []
    for doc, pred in zip(docs, tagger.tag_documents(docs)):
        spans = [
            (c.start, c.end, c.label, conf) for c, conf in ((doc.to_char_span(s), conf) for s, conf in pred.spans())
        ]
        logs = [math.log(max(p, 1e-12)) for p in pred.confidence]
        uncertainty = 1.0 - math.exp(sum(logs) / len(logs)) if logs else 0.0
        out.append({"id": doc.id, "text": doc.text, "spans": spans, "uncertainty": uncertainty})
    return out


def ranked(items: list[dict], limit: int | None) -> list[dict]:
    """Least confident first (ties by id, so the order is stable); the first `limit`."""
    order = sorted(items, key=lambda a: (-a["uncertainty"], a["id"]))
    return order[:limit] if limit is not None else order


def safe_name(article_id: str) -> Path:
    """An article id as a relative file path (ids from folders may hold `/`; never `..`)."""
    path = Path(article_id)
    if path.is_absolute() or ".." in path.parts or not article_id.strip():
        raise DatelineError(f"article id {article_id!r} cannot name a file")
    return path


def write_format(folder: Path, fmt: str, items: list[dict], labels: list[str], model_version: str) -> None:
    if fmt == "brat":
        for a in items:
            name = safe_name(a["id"])
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name.with_suffix(".txt")).write_text(a["text"], encoding="utf-8", newline="")
            (folder / name.with_suffix(".ann")).write_text(ann_text(a["text"], a["spans"]), encoding="utf-8")
        (folder / "annotation.conf").write_text(annotation_conf(labels), encoding="utf-8")
    elif fmt == "labelstudio":
        tasks = [labelstudio_task(a["id"], a["text"], a["spans"], 1 - a["uncertainty"], model_version) for a in items]
        (folder / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
        (folder / "labeling_config.xml").write_text(labeling_config(labels), encoding="utf-8")
    else:
        lines = [doccano_line(a["id"], a["text"], a["spans"], a["uncertainty"], k) for k, a in enumerate(items, 1)]
        (folder / "articles.jsonl").write_text(
            "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8"
        )


def annotate(model_dir: Path, inputs: Path, out: Path, fmt: str, limit: int | None = None, overwrite=False) -> dict:
    from dateline.tagging.api import model_fingerprint
    from dateline.tagging.tagger import Tagger

    if fmt not in FORMATS:
        raise DatelineError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if limit is not None and int(limit) < 1:
        raise DatelineError(f"limit must be a positive number of articles, not {limit}")
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise DatelineError("the output folder is not empty (pass overwrite=true to replace it)", out)
    docs = read_any(inputs)
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise DatelineError(f"article id {dup!r} is given twice", inputs)
    tagger = Tagger(model_dir)
    items = ranked(pre_annotations(tagger, docs), None if limit is None else int(limit))
    labels = list(tagger.entity_types)
    version = f"dateline {model_dir.resolve()} ({model_fingerprint(model_dir)})"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        write_format(tmp, fmt, items, labels, version)
        rows = ["rank\tarticle_id\tuncertainty\tspans"]
        rows += [f"{k}\t{a['id']}\t{a['uncertainty']:.4f}\t{len(a['spans'])}" for k, a in enumerate(items, 1)]
        (tmp / "ranking.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        info = {
            "model": str(model_dir.resolve()),
            "model_fingerprint": model_fingerprint(model_dir),
            "input": str(inputs),
            "format": fmt,
            "articles": len(docs),
            "written": len(items),
            "spans": sum(len(a["spans"]) for a in items),
            "ranking": "least confident first: 1 - geometric mean of the chosen tags' probabilities",
            "command": " ".join(["dateline", "annotate", *sys.argv[1:]]),
        }
        write_json_atomic(tmp / "annotate.json", info)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return info


@hydra_entry("annotate")
def main(cfg) -> None:
    if not cfg.input or not cfg.out:
        raise DatelineError(
            "annotate needs input=<raw articles: folder of .txt or .jsonl> and out=<folder> (make annotate INPUT=… OUT=…)"
        )
    model = Path(cfg.ckpt) if cfg.ckpt else latest_model(Path(cfg.runs_root))
    info = annotate(model, Path(cfg.input), Path(cfg.out), cfg.format, cfg.limit, cfg.overwrite)
    print(
        f"{info['written']} of {info['articles']} articles pre-annotated ({info['spans']} spans, least confident first) -> {cfg.out}"
    )


if __name__ == "__main__":
    main()
