"""`dateline predict ckpt=<model dir> file=<article.txt|.jsonl>` (or text on stdin): events and
actors in raw articles, as JSON (start, end, label, text, confidence per span, offsets into the
text exactly as given) and as a highlighted rendering in the terminal and a standalone HTML page.

`format=records` writes event records instead (tagging/records.py), one JSON line per event:
its text and offsets, mode, actors and recipients, sentence, article id and confidence; the
HTML page draws the links. They need a modality model (`dateline modality`): `modality=`, by
default the latest under runs/."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dateline.cli import hydra_entry
from dateline.data.articles import read_any
from dateline.data.document import Document
from dateline.data.text import document_from_text
from dateline.errors import DatelineError
from dateline.io import write_json_atomic, write_text_atomic
from dateline.tagging.html import page, records_html, render_spans

FORMATS = ("text", "json", "records")
ANSI = {"EVENT": "43", "ACTOR": "46", "LOCATION": "42", "TIME": "45", "OBJECT": "44"}


def terminal(result: dict, color: bool = True) -> str:
    text, pos, parts = result["text"], 0, []
    for s in result["spans"]:
        parts.append(text[pos : s["start"]])
        chunk = f"{text[s['start'] : s['end']]}[{s['label']}]"
        parts.append(f"\x1b[30;{ANSI.get(s['label'], '47')}m{chunk}\x1b[0m" if color else chunk)
        pos = s["end"]
    parts.append(text[pos:])
    return "".join(parts)


def html_page(results: list[dict]) -> str:
    body = []
    for r in results:
        spans = [(s["start"], s["end"], s["label"], s["confidence"]) for s in r["spans"]]
        body.append(
            f"<h2>{r['id']}</h2><div class='text'>{render_spans(r['text'], spans, side='pred', doc_key=r['id'])}</div>"
        )
    return page("dateline predictions", "\n".join(body))


def read_input(file: str | None) -> tuple[str, list[Document]]:
    """The documents to tag and the name their output files take: a file or folder, or stdin."""
    if file:
        return Path(file).stem, read_any(Path(file))
    text = sys.stdin.read()
    if not text.strip():
        raise DatelineError("no text on standard input (pass file=<article.txt>)")
    return "stdin", [document_from_text("stdin", text)]


@hydra_entry("predict")
def main(cfg) -> None:
    from dateline.tagging.api import ArticleTagger

    if cfg.format not in FORMATS:
        raise DatelineError(f"format must be one of {', '.join(FORMATS)}, not {cfg.format!r}")
    records = cfg.format == "records"
    tagger = ArticleTagger(
        cfg.ckpt,
        "records" if records else "spans",
        cfg.modality,
        cfg.linking,
        cfg.precision,
        runs_root=cfg.runs_root,
        linker=cfg.get("linker"),
    )
    name, docs = read_input(cfg.file)
    out = Path(cfg.out) if cfg.out else None
    results = tagger.tag_documents(docs)
    if records:
        lines = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for r in results for rec in r["records"])
        if out:
            write_text_atomic(out / f"{name}.records.jsonl", lines)
            write_text_atomic(out / f"{name}.records.html", records_html(results))
        print(lines, end="")
        return
    if out:
        write_json_atomic(out / f"{name}.json", results)
        write_text_atomic(out / f"{name}.html", html_page(results))
    if cfg.format == "json":
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results:
        print(terminal(r, color=sys.stdout.isatty()))
        print(f"-- {len(r['spans'])} spans" + (f"; JSON and HTML in {out}" if out else ""))


if __name__ == "__main__":
    main()
