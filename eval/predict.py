"""`make predict CKPT=<model dir> FILE=<article.txt|.jsonl>` (or text on stdin): events and
actors in raw articles, as JSON (start, end, label, text, confidence per span, offsets into the
text exactly as given) and as a highlighted rendering in the terminal and a standalone HTML page."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from data.articles import read_any
from data.document import Document
from data.errors import DatelineError, reported_as_one_line
from data.io import write_json_atomic, write_text_atomic
from data.text import document_from_text
from eval.report import page, render_spans

ANSI = {"EVENT": "43", "ACTOR": "46", "LOCATION": "42", "TIME": "45", "OBJECT": "44"}


def predict_documents(tagger, docs: list[Document]) -> list[dict]:
    out = []
    for doc, pred in zip(docs, tagger.tag_documents(docs)):
        spans = []
        for span, conf in pred.spans():
            c = doc.to_char_span(span)
            spans.append(
                {
                    "start": c.start,
                    "end": c.end,
                    "label": c.label,
                    "text": doc.text[c.start : c.end],
                    "confidence": round(conf, 4),
                }
            )
        out.append({"id": doc.id, "text": doc.text, "spans": spans})
    return out


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ckpt", required=True, help="model directory")
    parser.add_argument("--file", help="a .txt (brat .ann beside it is ignored), a .jsonl, or a folder; default: stdin")
    parser.add_argument("--out", type=Path, help="folder for <name>.json and <name>.html")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="what to print on stdout")
    parser.add_argument("--precision", choices=["auto", "bf16", "fp32"], default="auto", help="auto: bf16 where native")
    args = parser.parse_args(argv)
    with reported_as_one_line():
        from training.tagger import Tagger

        tagger = Tagger(args.ckpt, precision=args.precision)
        if args.file:
            docs = read_any(Path(args.file))
        else:
            text = sys.stdin.read()
            if not text.strip():
                raise DatelineError("no text on standard input (pass FILE=<article.txt>)")
            docs = [document_from_text("stdin", text)]
        results = predict_documents(tagger, docs)
        name = Path(args.file).stem if args.file else "stdin"
        if args.out:
            write_json_atomic(args.out / f"{name}.json", results)
            write_text_atomic(args.out / f"{name}.html", html_page(results))
        if args.format == "json":
            print(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            for r in results:
                print(terminal(r, color=sys.stdout.isatty()))
                print(f"-- {len(r['spans'])} spans" + (f"; JSON and HTML in {args.out}" if args.out else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
