"""Score event records against gold records: events, actor/recipient links, modality, records.

Gold records are JSONL, one per gold event, with the predicted records' field names and offsets
into the article: `{"event_start", "event_end", "event_text", "mode", "actor": [{"start", "end",
"text"}], "recipient": [...]}` (the user's article: tests/data/tass_putin_trump_apec.records.jsonl).

- events: strict span match (start and end);
- links: (event, role, actor span) triples, strict, per role and together;
- mode: on the gold events (each classified in its sentence: how well modality alone does,
  whatever the tagger found) and on the events the tagger found right;
- records: a predicted record is right when its event, its mode and its actor and recipient
  sets all equal a gold record's.

`dateline eval-records ckpt=<event model> modality=<modality model>` (`make eval-records`) tags
the article, scores it, writes `results.json`, the predicted records and a leaderboard row.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace

from dateline.cli import hydra_entry
from dateline.errors import DatelineError
from dateline.eval.metrics import prf_dict
from dateline.eval.publish import append_leaderboard, commit_fields
from dateline.io import jsonl_objects, write_json_atomic, write_text_atomic
from dateline.runs import latest_modality_model, latest_model
from dateline.training.modality import MODES

ROLES = ("actor", "recipient")


def counted(tp: int, n_pred: int, n_gold: int) -> dict:
    """Precision, recall and F1 with the counts they come from (records are few: the counts say more)."""
    return {**prf_dict(tp, n_pred, n_gold), "tp": tp, "pred": n_pred, "gold": n_gold}


def read_gold_records(path: Path, text: str) -> list[dict]:
    """Gold records, each checked: fields present, offsets inside the text, quoted text equal to
    the text at the offsets, a known mode. One clear error naming the file and line otherwise."""
    if not path.is_file():
        raise DatelineError("gold records file does not exist", path)
    out = []
    for where, rec in jsonl_objects(path):
        if not isinstance(rec, dict) or rec.get("mode") not in MODES:
            raise DatelineError(f"expected a record with a mode in {', '.join(MODES)}", path, where)
        items = [(rec.get("event_start"), rec.get("event_end"), rec.get("event_text"))]
        for role in ROLES:
            if not isinstance(rec.get(role), list) or not all(isinstance(a, dict) for a in rec[role]):
                raise DatelineError(f"'{role}' must be a list of {{start, end, text}}", path, where)
            items += [(a.get("start"), a.get("end"), a.get("text")) for a in rec[role]]
        for start, end, quoted in items:
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                raise DatelineError(f"offsets {start}-{end} are not inside the article", path, where)
            if text[start:end] != quoted:
                raise DatelineError(
                    f"text {quoted!r} differs from the article's {text[start:end]!r} at {start}-{end}", path, where
                )
        out.append(rec)
    return out


def links(records: Iterable[dict], role: str) -> set[tuple]:
    return {(r["event_start"], r["event_end"], a["start"], a["end"]) for r in records for a in r[role]}


def record_key(rec: dict) -> tuple:
    return (
        rec["event_start"],
        rec["event_end"],
        rec["mode"],
        *(frozenset((a["start"], a["end"]) for a in rec[role]) for role in ROLES),
    )


def mode_scores(gold: list[str], pred: list[str]) -> dict:
    """Accuracy, per-mode precision/recall/F1 and macro-F1 over the modes seen in gold."""
    per = {}
    for m in MODES:
        tp = sum(g == p == m for g, p in zip(gold, pred))
        per[m] = counted(tp, pred.count(m), gold.count(m))
    seen = [m for m in MODES if gold.count(m)]
    return {
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0,
        "n": len(gold),
        "per_mode": per,
        "macro_f1": sum(per[m]["f1"] for m in seen) / len(seen) if seen else 0.0,
        "modes_in_gold": seen,
    }


def score_records(gold: list[dict], pred: list[dict]) -> dict:
    events_g = {(r["event_start"], r["event_end"]) for r in gold}
    events_p = {(r["event_start"], r["event_end"]) for r in pred}
    out = {"events": counted(len(events_g & events_p), len(events_p), len(events_g))}
    tp = n_p = n_g = 0
    for role in ROLES:
        g, p = links(gold, role), links(pred, role)
        out[f"links_{role}"] = counted(len(g & p), len(p), len(g))
        tp, n_p, n_g = tp + len(g & p), n_p + len(p), n_g + len(g)
    out["links"] = counted(tp, n_p, n_g)
    keys_g = {record_key(r) for r in gold}
    out["records"] = counted(sum(record_key(r) in keys_g for r in pred), len(pred), len(gold))
    gold_mode = {(r["event_start"], r["event_end"]): r["mode"] for r in gold}
    found = [r for r in pred if (r["event_start"], r["event_end"]) in gold_mode]
    out["mode_on_found_events"] = mode_scores(
        [gold_mode[(r["event_start"], r["event_end"])] for r in found], [r["mode"] for r in found]
    )
    return out


def evaluate(cfg, ckpt: Path, modality_dir: Path) -> dict:
    """Tag the article, score its records and modes against the gold records, write the results."""
    from dateline.data.text import document_from_text
    from dateline.eval.tasks import fingerprint
    from dateline.io import read_text
    from dateline.provenance import provenance
    from dateline.tagging.api import ArticleTagger

    started = time.time()
    text_path, gold_path, out = Path(cfg.text), Path(cfg.gold), Path(cfg.out)
    text = read_text(text_path)
    gold = read_gold_records(gold_path, text)
    doc = document_from_text(text_path.stem, text)
    # the path predict and tag take
    tagger = ArticleTagger(ckpt, "records", modality_dir, cfg.linking, linker=cfg.get("linker"))
    pred = tagger.tag_documents([doc])[0]["records"]
    result = score_records(gold, pred)
    # modality alone: every gold event classified in its sentence
    spans = [doc_span(doc, r["event_start"], r["event_end"]) for r in gold]
    modes = [m for m, _ in tagger.recorder.modality.classify([doc.in_sentence(s.start, s.end) for s in spans])]
    result["mode_on_gold_events"] = mode_scores([r["mode"] for r in gold], modes)
    result["linking"] = cfg.linking
    inputs = SimpleNamespace(files=lambda: [text_path, gold_path])
    record = {
        "results": {"records_heldout": result},
        "versions": {"records_heldout": 1},
        "data_fingerprints": {"records_heldout": fingerprint(inputs)},
        "evaluation": {
            "event_model": str(ckpt),
            "modality_model": str(modality_dir),
            "linker_model": str(tagger.linker_dir) if tagger.linker_dir else None,
            "gold": str(gold_path),
            "article": str(text_path),
            **provenance(started, tagger.device),
        },
    }
    write_json_atomic(out / "results.json", record)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pred)
    write_text_atomic(out / "predictions" / "records_heldout.jsonl", lines)
    if cfg.leaderboard_dir:
        append_leaderboard(Path(cfg.leaderboard_dir), [leaderboard_row(record, cfg.linking)])
    return record


def doc_span(doc, start: int, end: int):
    """The token span covering characters [start, end) of a document."""
    from dateline.data.document import Span

    toks = [i for i, t in enumerate(doc.tokens) if t.start < end and start < t.end]
    if not toks:
        raise DatelineError(f"no token of the article lies at {start}-{end}")
    return Span(toks[0], toks[-1] + 1, "EVENT")


def leaderboard_row(record: dict, linking: str) -> dict:
    res, ev = record["results"]["records_heldout"], record["evaluation"]
    if ev.get("linker_model"):
        linking = f"{linking} {Path(ev['linker_model']).name}"
    return {
        "date": ev["end_time"],
        "model": f"{ev['event_model']} + {linking} + {ev['modality_model']}",
        "run": Path(ev["event_model"]).parent.name,
        "labels": f"records ({linking})",
        "task": "records_heldout",
        "task_version": record["versions"]["records_heldout"],
        "data_hash": record["data_fingerprints"]["records_heldout"],
        "strict_f1": round(res["records"]["f1"], 4),
        "per_type_strict_f1": json.dumps(
            {
                "events": round(res["events"]["f1"], 4),
                "links": round(res["links"]["f1"], 4),
                "actor": round(res["links_actor"]["f1"], 4),
                "recipient": round(res["links_recipient"]["f1"], 4),
                "mode_accuracy_gold_events": round(res["mode_on_gold_events"]["accuracy"], 4),
                "mode_macro_f1_gold_events": round(res["mode_on_gold_events"]["macro_f1"], 4),
            },
            sort_keys=True,
        ),
        **commit_fields(ev),
    }


@hydra_entry("eval_records")
def main(cfg) -> None:
    runs = Path(cfg.runs_root)
    ckpt = Path(cfg.ckpt) if cfg.ckpt else latest_model(runs, {"EVENT", "ACTOR"})
    res = evaluate(cfg, ckpt, Path(cfg.modality) if cfg.modality else latest_modality_model(runs))
    res = res["results"]["records_heldout"]
    for key in ("events", "links_actor", "links_recipient", "links", "records"):
        print(f"{key:16s} P {res[key]['precision']:.4f} R {res[key]['recall']:.4f} F1 {res[key]['f1']:.4f}")
    for key in ("mode_on_gold_events", "mode_on_found_events"):
        print(f"{key:22s} accuracy {res[key]['accuracy']:.4f} macro-F1 {res[key]['macro_f1']:.4f} (n={res[key]['n']})")


if __name__ == "__main__":
    main()
