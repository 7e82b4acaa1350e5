"""Event–participant links on MEANTIME, cross-validated by topic: the learned linker and the
syntax rule against the position rule, on the same spans.

Each of MEANTIME's two topics is scored by a linker trained on the other topic only
(training/linker.py); the position rule and the syntax rule (data/) need no training. Both link the
same spans: the gold EVENT and ACTOR spans, and (with `ckpt=<event model>`) the event tagger's.
Gold links are MEANTIME's participant links mapped to roles (Arg0 -> actor; Arg1/Arg2 of a
person or organisation -> recipient) on the gold spans; a predicted link (event, role, ACTOR) is
right when its event and ACTOR spans and its role are a gold link's, exactly. Link P/R/F1 per
role and together, with 95% bootstrap CIs over documents and the paired difference learned −
position; whole records (an event with its actor and recipient sets, mode aside) F1; and the
error kinds. `dateline linker-cv` (`make linker-cv`) writes results.json and results.md.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from dateline.cli import hydra_entry
from dateline.data.document import Document, Span
from dateline.data.parse import DocParse, parse_documents
from dateline.data.participant_roles import gold_roles
from dateline.data.position_rule import position_roles
from dateline.data.syntax_rule import syntax_roles
from dateline.eval.metrics import bootstrap_f1, f1, interval, paired_bootstrap, resamples
from dateline.io import write_json_atomic, write_text_atomic
from dateline.training.linker import META, meantime_pairs, role_corpus_pairs, sentence_pairs, train
from dateline.training.position_head import trained_alike

TOPICS = ("corpus_airbus", "corpus_apple")
ROLES = ("actor", "recipient")
Link = tuple[int, int, str, int, int]  # event start, end, role, participant start, end


def gold_links(doc: Document) -> set[Link]:
    links = gold_roles(doc)
    return {
        (ev.start, ev.end, pair.role, cand.start, cand.end)
        for ev, cand, pair in sentence_pairs(doc, doc.spans, links)
        if pair.role != "none"
    }


def position_links(doc: Document, spans: list[Span]) -> set[Link]:
    """The position rule's links among `spans` (data/position_rule.py, `linking=position`)."""
    return rule_links(doc, spans, lambda inside, end: position_roles(doc.words, inside, end))


def syntax_links(doc: Document, spans: list[Span], parse: DocParse) -> set[Link]:
    """The syntax rule's links among `spans` (data/syntax_rule.py, `linking=syntax`)."""
    return rule_links(doc, spans, lambda inside, _: syntax_roles(inside, parse))


def rule_links(doc: Document, spans: list[Span], roles_of: Callable[[list[Span], int], dict]) -> set[Link]:
    """A rule's links in each scored sentence: `roles_of(the sentence's spans, its end)` gives
    the role of each (event, ACTOR) pair."""
    out = set()
    for (a, b), scored in zip(doc.sentences, doc.gold):
        if scored:
            roles = roles_of([s for s in spans if a <= s.start < b], b)
            out |= {(ev.start, ev.end, role, x.start, x.end) for (ev, x), role in roles.items()}
    return out


def learned_links(doc: Document, spans: list[Span], linker, parse: DocParse | None = None) -> set[Link]:
    found = sentence_pairs(doc, spans, hint=linker.hint, parse=parse)
    roles = linker.roles([p for _, _, p in found]) if found else []
    return {(ev.start, ev.end, r, c.start, c.end) for (ev, c, _), (r, _) in zip(found, roles) if r != "none"}


def counts(gold: set[Link], pred: set[Link]) -> np.ndarray:
    """[role (actor, recipient, both), (tp, pred, gold)] of one document."""
    rows = [[len(g & p), len(p), len(g)] for g, p in ((by_role(gold, r), by_role(pred, r)) for r in ROLES)]
    rows.append([len(gold & pred), len(pred), len(gold)])
    return np.array(rows, dtype=float)


def by_role(links: set[Link], role: str) -> set[Link]:
    return {x for x in links if x[2] == role}


def records_of(links: set[Link], events: set[tuple[int, int]]) -> dict:
    """Per event: its (actor set, recipient set)."""
    out = {e: (set(), set()) for e in events}
    for s, e, role, a, b in links:
        out.setdefault((s, e), (set(), set()))[ROLES.index(role)].add((a, b))
    return out


def record_counts(doc: Document, spans: list[Span], pred: set[Link]) -> np.ndarray:
    """(right, predicted, gold) whole records: an event with exactly its gold actors and recipients."""
    gold_events = {(s.start, s.end) for s in doc.spans if s.label == "EVENT" and in_scored(doc, s)}
    pred_events = {(s.start, s.end) for s in spans if s.label == "EVENT" and in_scored(doc, s)}
    gold, found = records_of(gold_links(doc), gold_events), records_of(pred, pred_events)
    right = sum(1 for e, sets in found.items() if e in gold and gold[e] == sets)
    return np.array([right, len(found), len(gold)], dtype=float)


def in_scored(doc: Document, span: Span) -> bool:
    return any(a <= span.start < b for (a, b), g in zip(doc.sentences, doc.gold) if g)


def error_kinds(gold: set[Link], pred: set[Link]) -> Counter:
    """Why predicted links are wrong and gold links missed."""
    kinds: Counter = Counter()
    for s, e, role, a, b in pred - gold:
        same_event = {x for x in gold if x[:2] == (s, e)}
        if (s, e, "actor" if role == "recipient" else "recipient", a, b) in gold:
            kinds["role swapped"] += 1
        elif any(x[2] == role for x in same_event):
            kinds[f"wrong {role}"] += 1
        else:
            kinds[f"spurious {role}"] += 1
    for s, e, role, _, _ in gold - pred:
        if not any(x[:2] == (s, e) and x[2] == role for x in pred):
            kinds[f"missed {role}"] += 1
    return kinds


def bootstrap(per_doc: dict[str, list[np.ndarray]], n_boot: int, seed: int = 0) -> dict:
    """Pooled F1 per method, role and records with 95% CIs over resampled documents, and the
    paired difference of each method from the position rule."""
    draws = resamples(len(next(iter(per_doc.values()))), n_boot, seed)
    stacked = {m: np.stack(v) for m, v in per_doc.items()}  # (docs, rows, 3)

    out = {}
    for m, arr in stacked.items():
        out[m] = {"f1": f1(arr.sum(0)).tolist(), "ci": interval(bootstrap_f1(arr, draws)).T.tolist()}
        if m != "position" and "position" in stacked:
            point, diff = paired_bootstrap(stacked["position"], arr, draws)
            out[m]["delta_vs_position"], out[m]["delta_ci"] = point.tolist(), interval(diff).T.tolist()
    return out


def fold_trained(
    model_dir: Path,
    epochs: int,
    hint: bool | str,
    encoder: str,
    role_corpora: tuple[str, ...],
    learning_rate: float = 5e-5,
) -> bool:
    """Whether a fold linker trained alike is there to reuse (a linker of before the role
    corpora counts as trained on MEANTIME alone)."""
    alike = dict(epochs=epochs, rule_hint=hint, encoder_name=encoder, learning_rate=learning_rate)
    if not trained_alike(model_dir, META, **alike):
        return False
    return json.loads((model_dir / META).read_text()).get("role_corpora", []) == list(role_corpora)


def cross_validate(
    corpora: str,
    work: Path,
    epochs: int,
    seed: int,
    ckpt: str | None,
    n_boot: int,
    hint: bool | str = False,
    encoder: str = "minilm",
    syntax: bool = True,
    role_corpora: tuple[str, ...] = (),
    learning_rate: float = 5e-5,
    precision: str = "auto",
) -> dict:
    """Each MEANTIME topic linked by a linker trained on the other topic only (and, with
    `role_corpora`, those corpora's dev pairs: RAMS, WikiEvents), beside the
    position rule, on gold spans and (with `ckpt`) on the tagger's: so no link is scored by a
    model that saw its topic. The per-document counts are kept in the results, so two runs can
    be paired (scripts/linking_pair.py)."""
    from dateline.data.readers.meantime import iter_documents
    from dateline.tagging.linking import Linker

    docs = list(iter_documents(Path(corpora)))
    parses = dict(zip((d.id for d in docs), parse_documents(docs))) if syntax or hint == "syntax" else {}
    methods = ("position", "syntax", "learned") if syntax else ("position", "learned")
    tagger = None
    if ckpt:
        from dateline.tagging.tagger import Tagger

        tagger = Tagger(Path(ckpt))
    results, seconds, kept = {}, {}, {}
    for spans_kind in ("gold", "tagger") if tagger else ("gold",):
        per_doc: dict[str, list[np.ndarray]] = {m: [] for m in methods}
        kinds: dict[str, Counter] = {m: Counter() for m in methods}
        for held in TOPICS:
            model_dir = work / f"without_{held}_seed{seed}"
            if not fold_trained(model_dir, epochs, hint, encoder, role_corpora, learning_rate):
                pairs = meantime_pairs(corpora, [t for t in TOPICS if t != held], hint)
                pairs += role_corpus_pairs(corpora, role_corpora, hint=hint)
                settings = dict(epochs=epochs, learning_rate=learning_rate, seed=seed, hint=hint, precision=precision)
                trained = train(pairs, model_dir, encoder, **settings, role_corpora=role_corpora)
                seconds[held] = trained["train_seconds"]
            linker = Linker(model_dir)
            fold = [d for d in docs if d.meta["topic"] == held]
            spans_of = [d.spans for d in fold]
            if spans_kind == "tagger":
                spans_of = [[s for s, _ in p.spans()] for p in tagger.tag_documents(fold, only_gold=True)]
            for doc, spans in zip(fold, spans_of):
                gold = gold_links(doc)
                predicted = {
                    "position": position_links(doc, spans),
                    "learned": learned_links(doc, spans, linker, parses.get(doc.id)),
                }
                if syntax:
                    predicted["syntax"] = syntax_links(doc, spans, parses[doc.id])
                for method in methods:
                    pred = predicted[method]
                    per_doc[method].append(np.vstack([counts(gold, pred), record_counts(doc, spans, pred)]))
                    kinds[method] += error_kinds(gold, pred)
        kept[spans_kind] = {m: np.stack(v).tolist() for m, v in per_doc.items()}
        results[spans_kind] = {
            "scores": bootstrap(per_doc, n_boot),
            "counts": {m: np.stack(v).sum(0).tolist() for m, v in per_doc.items()},
            "error_kinds": {m: dict(k.most_common()) for m, k in kinds.items()},
        }
    rows = ["actor", "recipient", "links", "records"]
    return {"rows": rows, "results": results, "train_seconds": seconds, "per_doc": kept}


def signed_ci(delta: float, ci: list[float]) -> str:
    return f"{delta:+.3f} [{ci[0]:+.3f}, {ci[1]:+.3f}]"


def markdown(res: dict) -> str:
    lines = [
        "| spans | linking | actor F1 [95% CI] | recipient F1 | links F1 | records F1 | Δ links vs position [CI] |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, r in res["results"].items():
        for method, s in r["scores"].items():
            cells = [f"{s['f1'][i]:.3f} [{s['ci'][i][0]:.3f}, {s['ci'][i][1]:.3f}]" for i in range(4)]
            delta = signed_ci(s["delta_vs_position"][2], s["delta_ci"][2]) if "delta_vs_position" in s else "—"
            lines.append(f"| {kind} | {method} | " + " | ".join(cells) + f" | {delta} |")
    return "\n".join(lines) + "\n"


@hydra_entry("linker_cv")
def main(cfg) -> None:
    from dateline.provenance import provenance

    started = time.time()
    res = cross_validate(
        cfg.corpora,
        Path(cfg.work),
        cfg.epochs,
        cfg.seed,
        cfg.ckpt,
        cfg.bootstrap,
        cfg.rule_hint,
        cfg.encoder,
        cfg.syntax,
        tuple(cfg.role_corpora),
        cfg.learning_rate,
        cfg.precision,
    )
    res["config"] = {k: cfg[k] for k in ("encoder", "epochs", "seed", "ckpt", "bootstrap", "rule_hint", "syntax")}
    res["config"]["role_corpora"] = list(cfg.role_corpora)
    res["config"]["learning_rate"] = cfg.learning_rate
    res["provenance"] = provenance(started, "cpu")
    out = Path(cfg.out)
    write_json_atomic(out / "results.json", res)
    write_text_atomic(out / "results.md", markdown(res))
    print(markdown(res))


if __name__ == "__main__":
    main()
