"""HTML views of tagged articles, shared by `dateline predict` and the evaluation report: spans
marked at their exact offsets, and event records with a line drawn from each event to its
actors and recipients."""

from __future__ import annotations

import html
from collections.abc import Sequence

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


def participant(item: dict) -> str:
    """A linked participant's text (→ the article's name it refers to, for a pronoun or common
    noun) and how it was linked: the method, with the syntax rule's
    dependency relation or the learned linker's confidence (records written before 0.2 carry
    only the confidence)."""
    how = [item[k] for k in ("link_method", "link_relation") if item.get(k)]
    if item.get("link_confidence") is not None:
        how.append(f"{item['link_confidence']:.2f}")
    note = f" <small class='link-how'>({html.escape(' '.join(how))})</small>" if how else ""
    names = ", ".join(html.escape(n["text"]) for n in item.get("refers_to") or [])
    name = f" → <b class='name'>{names}</b>" if names else ""
    return html.escape(item["text"]) + name + note


def records_html(results: list[dict]) -> str:
    """Each article with its events and actors marked and each record's links drawn (actor:
    solid line to its event, recipient: dashed), then a table of the records."""
    import json as _json

    body = [
        "<p class='legend'>Lines join an event to its <b>actor</b> (solid) and <b>recipient</b> (dashed); "
        "the table gives each event's mode and how each link was made: the linking method, with the "
        "syntax rule's dependency relation (<i>nsubj</i>: the subject, <i>pobj:with</i>: the object of "
        "<i>with</i>) or the learned linker's confidence.</p>"
    ]
    for r in results:
        key = html.escape(r["id"])
        spans = {(s["start"], s["end"], s["label"], s["confidence"]) for s in r["spans"]}
        table = ["<table><tr><th>event</th><th>mode</th><th>actor</th><th>recipient</th><th>confidence</th></tr>"]
        for rec in r["records"]:
            names = {role: ", ".join(participant(a) for a in rec[role]) for role in ("actor", "recipient")}
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
