"""Readable outputs of an evaluation: an HTML page per evaluation (each article with gold and
predicted spans side by side, errors marked and linked), a span confusion matrix and per-type
F1 bars as PNG. The span renderer is shared with `make predict`."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

COLORS = {"EVENT": "#ffd166", "ACTOR": "#8ecae6", "LOCATION": "#b5e48c", "TIME": "#f4acb7", "OBJECT": "#cdb4db"}
STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}
.doc{border-top:1px solid #ccc;padding-top:1em;margin-top:1em}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1.5em}
.text{white-space:pre-wrap;line-height:1.9;font-family:Georgia,serif}
mark{border-radius:3px;padding:0 2px}
mark.err{outline:2px solid #d62828}
mark sub{font-size:60%;color:#333;margin-left:2px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;font-size:90%}
.legend mark{margin-right:.5em}
"""


def color(label: str) -> str:
    return COLORS.get(label, "#e9ecef")


def render_spans(
    text: str,
    spans: Sequence[tuple],
    region: tuple[int, int] | None = None,
    side: str = "",
    doc_key: str = "",
    errors: set[tuple] = frozenset(),
) -> str:
    """`text[region]` as HTML with each (start, end, label[, confidence]) span in a <mark>;
    spans must not overlap. Marks carry data-start/data-end (offsets into the original text)."""
    a0, b0 = region or (0, len(text))
    out, pos = [], a0
    for span in sorted(s for s in spans if a0 <= s[0] < b0):
        start, end, label = span[:3]
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        err = (start, end, label) in errors
        conf = (
            f' data-confidence="{span[3]:.3f}" title="{label} {span[3]:.2f}"' if len(span) > 3 else f' title="{label}"'
        )
        anchor = f' id="{side}-{doc_key}-{start}"' if side else ""
        out.append(
            f'<mark class="span {side}{" err" if err else ""}" data-label="{html.escape(label)}" data-start="{start}"'
            f' data-end="{end}"{conf}{anchor} style="background:{color(label)}">{html.escape(text[start:end])}'
            f"<sub>{html.escape(label)}</sub></mark>"
        )
        pos = end
    out.append(html.escape(text[pos:b0]))
    return "".join(out)


def page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )


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


LINKS_JS = """
(function () {
  function draw(box) {
    var svg = box.querySelector('svg.links'), recs = JSON.parse(box.querySelector('script.records').textContent);
    var origin = box.getBoundingClientRect(), doc = box.dataset.doc;
    svg.setAttribute('width', box.scrollWidth); svg.setAttribute('height', box.scrollHeight);
    function mid(start) {
      var el = document.getElementById('rec-' + doc + '-' + start);
      if (!el) return null;
      var r = el.getBoundingClientRect();
      return [r.left - origin.left + r.width / 2, r.top - origin.top + r.height / 2];
    }
    recs.forEach(function (rec) {
      ['actor', 'recipient'].forEach(function (role) {
        rec[role].forEach(function (a) {
          var p = mid(a.start), q = mid(rec.event_start);
          if (!p || !q) return;
          var line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
          line.setAttribute('x1', p[0]); line.setAttribute('y1', p[1]);
          line.setAttribute('x2', q[0]); line.setAttribute('y2', q[1]);
          line.setAttribute('class', 'link ' + role);
          line.setAttribute('data-event', rec.event_start); line.setAttribute('data-arg', a.start);
          svg.appendChild(line);
        });
      });
    });
  }
  document.querySelectorAll('div.records').forEach(draw);
})();
"""
LINKS_STYLE = """
.records{position:relative}.records svg.links{position:absolute;left:0;top:0;pointer-events:none}
line.link{stroke-width:2;opacity:.7}line.actor{stroke:#1d3557}line.recipient{stroke:#e63946;stroke-dasharray:5 3}
td.mode-negated{color:#d62828}td.mode-planned{color:#2a9d8f}td.mode-uncertain{color:#e76f51}
"""


def records_html(results: list[dict]) -> str:
    """Each article with its events and actors marked and each record's links drawn (actor:
    solid line to its event, recipient: dashed), then a table of the records."""
    import json as _json

    body = [
        "<p class='legend'>Lines join an event to its <b>actor</b> (solid) and <b>recipient</b> (dashed); "
        "the table gives each event's mode.</p>"
    ]
    for r in results:
        key = html.escape(r["id"])
        spans = {(s["start"], s["end"], s["label"], s["confidence"]) for s in r["spans"]}
        table = ["<table><tr><th>event</th><th>mode</th><th>actor</th><th>recipient</th><th>confidence</th></tr>"]
        for rec in r["records"]:
            names = {role: ", ".join(html.escape(a["text"]) for a in rec[role]) for role in ("actor", "recipient")}
            table.append(
                f"<tr><td>{html.escape(rec['event_text'])}</td><td class='mode-{rec['mode']}'>{rec['mode']}</td>"
                f"<td>{names['actor']}</td><td>{names['recipient']}</td><td>{rec['confidence']:.2f}</td></tr>"
            )
        data = _json.dumps(r["records"], ensure_ascii=False).replace("</", "<\\/")
        body.append(
            f"<h2>{key}</h2><div class='records' data-doc='{key}'><svg class='links'></svg>"
            f"<div class='text'>{render_spans(r['text'], sorted(spans), side='rec', doc_key=r['id'])}</div>"
            f"<script type='application/json' class='records'>{data}</script></div>" + "".join(table) + "</table>"
        )
    return page("dateline event records", "\n".join(body) + f"<style>{LINKS_STYLE}</style><script>{LINKS_JS}</script>")
