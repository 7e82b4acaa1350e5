"""`make predict CKPT=<model dir> FILE=<article.txt|.jsonl>` (or text on stdin): events and
actors in raw articles, as JSON (start, end, label, text, confidence per span, offsets into the
text exactly as given) and as a highlighted rendering in the terminal and a standalone HTML page.

`FORMAT=records` writes event records instead (training/records.py), one JSON line per event:
its text and offsets, mode, actors and recipients, sentence, article id and confidence; the
HTML page draws the links. They need a modality model (`make modality`) and, for the role
linkings (`LINKING=hybrid|phrase|sentence`), a role model (`make train EXP=roles`):
`MODALITY=` / `ROLES=`, by default the latest of each under runs/."""

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
from eval.report import page, records_html, render_spans
from training.records import DEFAULT_LINKING, LINKINGS, ROLE_FREE

ANSI = {"EVENT": "43", "ACTOR": "46", "LOCATION": "42", "TIME": "45", "OBJECT": "44"}


def predict_documents(tagger, docs: list[Document], preds: list | None = None) -> list[dict]:
    """Spans per document as JSON-ready dicts (from `preds` when the documents are tagged already)."""
    out = []
    for doc, pred in zip(docs, preds if preds is not None else tagger.tag_documents(docs)):
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


EVENT_TYPES = {"EVENT", "ACTOR"}
ROLE_TYPES = {"SOURCE", "TARGET"}


def latest_role_model(runs_root: Path) -> Path:
    from eval.evaluate import latest_model

    return latest_model(runs_root, ROLE_TYPES, "`make train EXP=roles` or pass ROLES=<model dir>")


def latest_modality_model(runs_root: Path) -> Path:
    from training.modality import META

    found = sorted(runs_root.glob("modality/**/" + META), key=lambda p: p.stat().st_mtime)
    if not found:
        raise DatelineError("no modality model found; train one with `make modality` or pass MODALITY=<dir>", runs_root)
    return found[-1].parent


def record_results(
    tagger,
    docs: list[Document],
    roles: Path | None,
    modality: Path | None,
    runs_root: Path,
    linking: str = DEFAULT_LINKING,
    phrase_actors: bool = True,
) -> list[dict]:
    """Per document: its spans (EVENT/ACTOR) and its event records."""
    from training.modality import ModalityClassifier
    from training.records import RecordTagger
    from training.tagger import Tagger

    role_tagger = Tagger(roles or latest_role_model(runs_root)) if linking not in ROLE_FREE else None
    for t, want, hint in ((tagger, EVENT_TYPES, "make train"), (role_tagger, ROLE_TYPES, "make train EXP=roles")):
        if t is not None and not want <= set(t.entity_types):
            raise DatelineError(f"this model does not tag {', '.join(sorted(want))} ({hint} trains one)", t.model_dir)
    classifier = ModalityClassifier(modality or latest_modality_model(runs_root))
    preds = tagger.tag_documents(docs)  # once, for the spans and the records
    records = RecordTagger(tagger, role_tagger, classifier, linking, phrase_actors).records(docs, preds)
    out = predict_documents(tagger, docs, preds)
    for result, recs in zip(out, records):
        result["records"] = recs
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--ckpt", help="model directory (default: the latest run's; for records, the latest event tagger)"
    )
    parser.add_argument("--file", help="a .txt (brat .ann beside it is ignored), a .jsonl, or a folder; default: stdin")
    parser.add_argument("--out", type=Path, help="folder for <name>.json and <name>.html")
    parser.add_argument("--format", choices=["text", "json", "records"], default="text", help="what to print on stdout")
    parser.add_argument("--roles", type=Path, help="role model for FORMAT=records (default: the latest)")
    parser.add_argument("--modality", type=Path, help="modality model for FORMAT=records (default: the latest)")
    parser.add_argument(
        "--linking",
        choices=list(LINKINGS),
        default=DEFAULT_LINKING,
        help="records: how events get actors (training/records.py)",
    )
    parser.add_argument(
        "--phrase-actors",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="records: role phrases over no ACTOR are actors",
    )
    parser.add_argument("--runs", type=Path, default=Path("runs"), help="where to look for the latest models")
    parser.add_argument("--precision", choices=["auto", "bf16", "fp32"], default="auto", help="auto: bf16 where native")
    args = parser.parse_args(argv)
    with reported_as_one_line():
        from eval.evaluate import latest_model
        from training.tagger import Tagger

        ckpt = args.ckpt or latest_model(args.runs, EVENT_TYPES if args.format == "records" else None)
        tagger = Tagger(ckpt, precision=args.precision)
        if args.file:
            docs = read_any(Path(args.file))
        else:
            text = sys.stdin.read()
            if not text.strip():
                raise DatelineError("no text on standard input (pass FILE=<article.txt>)")
            docs = [document_from_text("stdin", text)]
        name = Path(args.file).stem if args.file else "stdin"
        if args.format == "records":
            results = record_results(
                tagger, docs, args.roles, args.modality, args.runs, args.linking, args.phrase_actors
            )
            lines = "".join(json.dumps(rec, ensure_ascii=False) + "\n" for r in results for rec in r["records"])
            if args.out:
                write_text_atomic(args.out / f"{name}.records.jsonl", lines)
                write_text_atomic(args.out / f"{name}.records.html", records_html(results))
            print(lines, end="")
            return 0
        results = predict_documents(tagger, docs)
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
