"""The HTML report, opened in a real headless browser (Debian's chromium): every highlighted
span in the rendered page sits at its offsets in the article, and errors are marked."""

import html
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from dateline.data.text import document_from_text
from dateline.eval.report import evaluation_html
from dateline.eval.spans import match

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM and os.environ.get("CI") != "true", reason="chromium not installed"),
]

TEXT = "MOSCOW, November 7. /TASS/. Putin and Trump are likely to discuss North Korea, Peskov said.\n"


def dump_dom(page: Path, tmp: Path) -> str:
    assert CHROMIUM, "CI must install chromium (.ci/run does)"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}",
        "--dump-dom",
        page.as_uri(),
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def test_report_marks_every_span_at_its_offsets(tmp_path: Path):
    doc = document_from_text("tass", TEXT)
    where = {w: TEXT.index(w) for w in ("Putin", "Trump", "discuss", "North Korea", "Peskov", "said")}
    gold = [
        (where[w], where[w] + len(w), lab)
        for w, lab in [
            ("Putin", "ACTOR"),
            ("Trump", "ACTOR"),
            ("discuss", "EVENT"),
            ("North Korea", "ACTOR"),
            ("said", "EVENT"),
        ]
    ]
    pred = [
        (where["Putin"], where["Putin"] + 5, "ACTOR"),
        (where["discuss"], where["discuss"] + 7, "EVENT"),
        (where["North Korea"], where["North Korea"] + 5, "ACTOR"),
        (where["Peskov"], where["Peskov"] + 6, "EVENT"),
    ]
    pairs = match(gold, pred)
    errors = []
    for p in pairs:
        if p.kind != "correct":
            errors.append(
                {
                    "doc_id": "tass",
                    "kind": p.kind,
                    "gold": p.gold
                    and {"start": p.gold[0], "end": p.gold[1], "label": p.gold[2], "text": TEXT[p.gold[0] : p.gold[1]]},
                    "pred": p.pred
                    and {"start": p.pred[0], "end": p.pred[1], "label": p.pred[2], "text": TEXT[p.pred[0] : p.pred[1]]},
                }
            )
    record = {
        "evaluation": {"model_dir": "m"},
        "results": {
            "heldout": {
                "strict": {"micro": {"f1": 0.5, "ci_low": 0.4, "ci_high": 0.6}},
                "partial": {"micro": {"f1": 0.6}},
            }
        },
    }
    views = {
        "heldout": [
            {
                "doc": doc,
                "rows": {
                    "scored": [(0, len(TEXT))],
                    "gold": [list(g) for g in gold],
                    "pred": [[*p, 0.9] for p in pred],
                },
                "correct": Counter(),
            }
        ]
    }
    page = tmp_path / "report.html"
    page.write_text(evaluation_html(record, views, {"heldout": errors}))

    dom = dump_dom(page, tmp_path)
    marks = re.findall(
        r'<mark class="span (gold|pred)( err)?" data-label="(\w+)" data-start="(\d+)" data-end="(\d+)"[^>]*>(.*?)<sub>',
        dom,
    )
    assert len([m for m in marks if m[0] == "gold"]) == len(gold)
    assert len([m for m in marks if m[0] == "pred"]) == len(pred)
    for *_, start, end, text in marks:
        assert html.unescape(text) == TEXT[int(start) : int(end)]
    flagged = {(m[0], int(m[3])) for m in marks if m[1]}
    # Trump (missed), "North" (boundary), Peskov (spurious), said (missed) are errors; Putin, discuss are not
    assert ("gold", where["Trump"]) in flagged and ("pred", where["Peskov"]) in flagged
    assert ("gold", where["North Korea"]) in flagged and ("pred", where["North Korea"]) in flagged
    assert ("gold", where["Putin"]) not in flagged and ("pred", where["discuss"]) not in flagged
    # every error row links to a mark that exists in the page
    links = re.findall(r"<a href=\"#((?:gold|pred)-heldout-tass-\d+)\">", dom)
    assert len(links) == len(errors) and all(f'id="{link}"' in dom for link in links)


def test_records_page_draws_a_line_for_every_link(tmp_path: Path):
    from dateline.tagging.html import records_html

    def item(word: str) -> dict:
        return {"start": TEXT.index(word), "end": TEXT.index(word) + len(word), "text": word, "confidence": 0.9}

    spans = [{**item(w), "label": lab} for w, lab in [("Putin", "ACTOR"), ("Trump", "ACTOR"), ("discuss", "EVENT")]]
    spans += [
        {**item(w), "label": lab} for w, lab in [("North Korea", "ACTOR"), ("Peskov", "ACTOR"), ("said", "EVENT")]
    ]
    records = [
        {
            **{f"event_{k}": v for k, v in item("discuss").items() if k != "confidence"},
            "mode": "planned",
            "actor": [{**item("Putin"), "link_method": "syntax", "link_relation": "nsubj"}, item("Trump")],
            "recipient": [item("North Korea")],
            "confidence": 0.9,
        },
        {
            **{f"event_{k}": v for k, v in item("said").items() if k != "confidence"},
            "mode": "asserted",
            "actor": [
                {
                    **item("Peskov"),
                    "link_method": "learned",
                    "link_confidence": 0.87,
                    "refers_to": [{"text": "Dmitry Peskov", "start": 0, "end": 13}],
                }
            ],
            "recipient": [],
            "confidence": 0.8,
        },
    ]
    page = tmp_path / "records.html"
    page.write_text(records_html([{"id": "tass", "text": TEXT, "spans": spans, "records": records}]))
    dom = dump_dom(page, tmp_path)
    lines = re.findall(r'<line [^>]*class="link (actor|recipient)"[^>]*data-event="(\d+)" data-arg="(\d+)"', dom)
    expected = {("actor", TEXT.index("discuss"), TEXT.index(w)) for w in ("Putin", "Trump")}
    expected |= {
        ("recipient", TEXT.index("discuss"), TEXT.index("North Korea")),
        ("actor", TEXT.index("said"), TEXT.index("Peskov")),
    }
    assert {(r, int(e), int(a)) for r, e, a in lines} == expected and len(lines) == 4
    # the lines were laid out by the browser: they join two marks, so none is of zero length
    coords = re.findall(r'<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"', dom)
    assert len(coords) == 4 and all((x1, y1) != (x2, y2) for x1, y1, x2, y2 in coords)
    assert '<td class="mode-planned">planned</td>' in dom.replace("'", '"')
    # each link says how it was made: the syntax rule's relation, the learned linker's confidence
    assert 'Putin <small class="link-how">(syntax nsubj)</small>' in dom.replace("'", '"')
    # and a pronoun or common noun the name it refers to
    shown = 'Peskov → <b class="name">Dmitry Peskov</b> <small class="link-how">(learned 0.87)</small>'
    assert shown in dom.replace("'", '"')
    assert "Trump <small" not in dom
