"""Readable outputs of an evaluation: an HTML page per evaluation (each article with gold and
predicted spans side by side, errors marked and linked), a span confusion matrix and per-type
F1 bars as PNG. The span renderer is the one `dateline predict` uses (tagging/html.py)."""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

from dateline.tagging.html import COLORS, color, page, render_spans


def evaluation_html(record: dict, views: dict, errors: dict[str, list[dict]]) -> str:
    """One page: the headline table, then per task every article, gold | predicted."""
    parts = [f"<h1>Evaluation of {html.escape(record['evaluation']['model_dir'])}</h1>"]
    legend = "".join(f'<mark style="background:{c}">{t}</mark>' for t, c in COLORS.items())
    parts.append(f'<p class="legend">{legend} <mark class="err">error</mark></p>')
    rows = []
    for task, res in record["results"].items():
        if task not in views:
            continue
        m, p = res["strict"]["micro"], res["partial"]["micro"]
        rows.append(
            f"<tr><td><a href='#task-{task}'>{task}</a></td><td>{m['f1']:.4f} [{m['ci_low']:.4f}, "
            f"{m['ci_high']:.4f}]</td><td>{p['f1']:.4f}</td><td>{len(errors.get(task, []))}</td></tr>"
        )
    parts.append(
        "<table><tr><th>task</th><th>strict micro F1 [95% CI]</th><th>partial F1</th><th>errors</th></tr>"
        + "".join(rows)
        + "</table>"
    )
    for task, docs in views.items():
        parts.append(f'<h2 id="task-{task}">{task}</h2>')
        by_doc: dict[str, list[dict]] = {}
        for e in errors.get(task, []):
            by_doc.setdefault(e["doc_id"], []).append(e)
        for view in docs:
            doc, row = view["doc"], view["rows"]
            key = f"{task}-{doc.id}"
            errs = by_doc.get(doc.id, [])
            gold_err = {(e["gold"]["start"], e["gold"]["end"], e["gold"]["label"]) for e in errs if e["gold"]}
            pred_err = {(e["pred"]["start"], e["pred"]["end"], e["pred"]["label"]) for e in errs if e["pred"]}
            gold_html = "<hr>".join(
                render_spans(doc.text, [tuple(g) for g in row["gold"]], r, "gold", key, gold_err) for r in row["scored"]
            )
            pred_html = "<hr>".join(
                render_spans(doc.text, [tuple(p) for p in row["pred"]], r, "pred", key, pred_err) for r in row["scored"]
            )
            err_rows = "".join(
                f"<tr class='error' data-kind='{e['kind']}'><td>{e['kind']}</td>"
                f"<td><a href='#{'gold' if e['gold'] else 'pred'}-{key}-{(e['gold'] or e['pred'])['start']}'>"
                f"{(e['gold'] or e['pred'])['start']}</a></td>"
                f"<td>{html.escape(e['gold']['label'] + ': ' + e['gold']['text']) if e['gold'] else ''}</td>"
                f"<td>{html.escape(e['pred']['label'] + ': ' + e['pred']['text']) if e['pred'] else ''}</td></tr>"
                for e in errs
            )
            parts.append(
                f'<div class="doc" id="doc-{key}"><h3>{html.escape(doc.id)}</h3><div class="cols">'
                f'<div><h4>gold</h4><div class="text">{gold_html}</div></div>'
                f'<div><h4>predicted</h4><div class="text">{pred_html}</div></div></div>'
                + (
                    f"<table><tr><th>error</th><th>offset</th><th>gold</th><th>predicted</th></tr>{err_rows}</table>"
                    if errs
                    else ""
                )
                + "</div>"
            )
    return page("dateline evaluation", "\n".join(parts))


def confusion(errors: list[dict], correct: Counter) -> tuple[list[str], list[str], list[list[int]]]:
    """Gold type x predicted type counts, with a `missed` column and a `spurious` row."""
    cells: Counter = Counter()
    for (g, p), n in correct.items():
        cells[(g, p)] += n
    for e in errors:
        cells[(e["gold"]["label"] if e["gold"] else "spurious", e["pred"]["label"] if e["pred"] else "missed")] += 1
    types = sorted({k[0] for k in cells if k[0] != "spurious"} | {k[1] for k in cells if k[1] != "missed"})
    rows, cols = types + ["spurious"], types + ["missed"]
    return rows, cols, [[cells.get((r, c), 0) for c in cols] for r in rows]


def plot_task(
    task: str, result: dict, rows: list[str], cols: list[str], matrix: list[list[int]], out: Path
) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(1.2 + 0.9 * len(cols), 1.0 + 0.7 * len(rows)))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(cols)), cols, rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            ax.text(j, i, str(v), ha="center", va="center", fontsize=9)
    ax.set_title(f"{task}: span confusion")
    fig.tight_layout()
    cm_path = out / f"{task}_confusion.png"
    fig.savefig(cm_path, dpi=110)
    plt.close(fig)

    strict = result["strict"]
    labels = [k for k in strict if k not in ("micro", "macro")]
    fig, ax = plt.subplots(figsize=(1.5 + 0.9 * len(labels), 3.2))
    f1 = [strict[k]["f1"] for k in labels]
    err = [
        [strict[k]["f1"] - strict[k]["ci_low"] for k in labels],
        [strict[k]["ci_high"] - strict[k]["f1"] for k in labels],
    ]
    ax.bar(labels, f1, yerr=err, capsize=4, color=[color(k) for k in labels], edgecolor="#333")
    ax.set_ylim(0, 1)
    ax.set_ylabel("strict F1 (95% CI)")
    ax.set_title(f"{task}: per-type F1")
    fig.tight_layout()
    bars_path = out / f"{task}_f1.png"
    fig.savefig(bars_path, dpi=110)
    plt.close(fig)
    return [cm_path, bars_path]
