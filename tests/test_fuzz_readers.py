"""Property-based tests: random and adversarial input either loads correctly (every span's text
is the original text at its offsets) or raises the project's own clear error."""

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.data.readers.brat import parse_ann, read_pair
from dateline.data.readers.ecbplus import read_document
from dateline.data.readers.jsonl import read_jsonl
from dateline.data.readers.user import to_document
from dateline.data.text import document_from_text
from dateline.errors import DatelineError

ODD = st.sampled_from(
    ["\u200b", "\u0301", "e\u0301", "\r\n", "\n\n", " ", "\t", "é", "🙂", "“", "U.S.", "n't", "'s", "-", "\ufeff"]
)
TEXT = st.lists(st.one_of(st.text(min_size=0, max_size=8), ODD), max_size=40).map("".join)


def read_brat(txt: Path):
    """A brat pair read as training and evaluation read it (spans checked, laid onto tokens)."""
    return to_document(read_pair(txt))[0]


def trimmed(text: str, spans) -> set:
    """Spans as the readers keep them: white space at their edges left out."""
    out = set()
    for a, b, label in spans:
        piece = text[a:b]
        out.add((a + len(piece) - len(piece.lstrip()), b - len(piece) + len(piece.rstrip()), label))
    return out


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(TEXT)
def test_tokens_keep_exact_offsets(text):
    doc = document_from_text("x", text)
    assert doc.text == text
    for t in doc.tokens:
        assert text[t.start : t.end] == t.text and t.text.strip() == t.text and t.text
    assert [i for a, b in doc.sentences for i in range(a, b)] == list(range(len(doc.tokens)))
    covered = "".join(t.text for t in doc.tokens)
    assert covered == "".join(ch for ch in text if not ch.isspace())


@st.composite
def text_and_spans(draw):
    text = draw(TEXT)
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        a = draw(st.integers(-2, len(text) + 2))
        b = draw(st.integers(-2, len(text) + 3))
        label = draw(st.sampled_from(["EVENT", "ACTOR", "TIME"]))
        spans.append((a, b, label))
    return text, spans


@SETTINGS
@given(text_and_spans(), st.booleans())
def test_brat_loads_or_refuses_clearly(case, tamper):
    text, spans = case
    lines = []
    for n, (a, b, label) in enumerate(spans, 1):
        piece = text[a:b] if 0 <= a < b <= len(text) else "?"
        lines.append(f"T{n}\t{label} {a} {b}\t{piece + 'x' if tamper else piece}")
    with tempfile.TemporaryDirectory() as tmp:
        txt = Path(tmp) / "a.txt"
        txt.write_bytes(text.encode("utf-8"))
        txt.with_suffix(".ann").write_text("\n".join(lines), encoding="utf-8")
        try:
            doc = read_brat(txt)
        except DatelineError as e:
            assert "a.ann" in str(e) or "a.txt" in str(e)
            return
        assert doc.text == text
        assert not tamper or not spans  # a tampered span text must have been refused
        wanted = trimmed(text, spans)
        assert {(s.start, s.end, s.label) for s in doc.char_spans()} == wanted
        # two different spans over the same characters are refused, never silently resolved
        assert all(x[1] <= y[0] or y[1] <= x[0] for x in wanted for y in wanted if x != y)


def test_line_breaks_inside_a_line_stay_in_it(tmp_path: Path):
    """Only \\n ends a line of an .ann or .jsonl file: a \\r, U+0085 or U+2028 in a span's text does
    not, and a tab in it does not end the text (found by the property test above: a tampered span
    text after a \\r or a tab went unnoticed). A stray line, the rest of a text broken by \\n, is refused."""
    txt = tmp_path / "a.txt"
    txt.write_text("Putin\u2028met\rTrump\tsaid", encoding="utf-8", newline="")
    ann = txt.with_suffix(".ann")
    ann.write_text(
        "T1\tACTOR 0 9\tPutin\u2028met\r\nT2\tEVENT 6 15\tmet\rTrump\nT3\tTIME 10 20\tTrump\tsaid\n",
        encoding="utf-8",
        newline="",
    )
    text, lines = txt.read_bytes().decode("utf-8"), ann.read_bytes().decode("utf-8")
    spans = {(s.start, s.end, s.label) for s in parse_ann(text, lines, ann)}
    assert spans == {(0, 9, "ACTOR"), (6, 15, "EVENT"), (10, 20, "TIME")}
    for tampered, line, error in [
        ("T1\tEVENT 9 10\t\rx\n", 1, "does not match"),  # the text is "\r", not "\rx"
        ("T1\tEVENT 10 20\tTrump\tsaidx\n", 1, "does not match"),
        ("T1\tEVENT 10 15\tTrump\nsaid\n", 2, "not a brat annotation line"),
    ]:
        ann.write_text(tampered, encoding="utf-8", newline="")
        with pytest.raises(DatelineError, match=rf"a\.ann \(line {line}\).*{error}"):
            parse_ann(text, ann.read_bytes().decode("utf-8"), ann)
    rows = tmp_path / "docs.jsonl"
    row = {"id": "d", "text": "Putin\u2028met\x85Trump", "spans": [{"start": 6, "end": 9, "label": "EVENT"}]}
    rows.write_text(json.dumps(row, ensure_ascii=False) + "\r\n", encoding="utf-8", newline="")
    (doc,) = read_jsonl(rows)
    assert doc.text == row["text"] and [(s.start, s.end) for s in doc.spans] == [(6, 9)]


@SETTINGS
@given(
    st.lists(
        st.one_of(
            TEXT,
            st.just("{"),
            st.just('{"text": 3}'),
            text_and_spans().map(
                lambda c: json.dumps(
                    {"id": "d", "text": c[0], "spans": [{"start": a, "end": b, "label": lab} for a, b, lab in c[1]]}
                )
            ),
        ),
        max_size=5,
    )
)
def test_jsonl_loads_or_refuses_clearly(lines):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            docs = [to_document(a)[0] for a in read_jsonl(path)]
        except DatelineError as e:
            assert "docs.jsonl" in str(e) and "line" in str(e)
            return
        for doc in docs:
            for s in doc.char_spans():
                assert 0 <= s.start < s.end <= len(doc.text)


@SETTINGS
@given(
    st.lists(st.tuples(st.text(min_size=1, max_size=6), st.integers(0, 3)), max_size=12),
    st.lists(st.integers(-1, 15), max_size=4),
)
def test_ecbplus_loads_or_refuses_clearly(tokens, anchors):
    from xml.sax.saxutils import escape

    body = "".join(
        f'<token t_id="{i + 1}" sentence="{s}" number="{i}">{escape(w)}</token>' for i, (w, s) in enumerate(tokens)
    )
    marks = "".join(
        f'<ACTION_OCCURRENCE m_id="{k}"><token_anchor t_id="{a}"/></ACTION_OCCURRENCE>' for k, a in enumerate(anchors)
    )
    xml = f'<Document doc_name="1_1ecb.xml">{body}<Markables>{marks}</Markables></Document>'
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "1_1ecb.xml"
        path.write_text(xml, encoding="utf-8")
        try:
            doc = read_document(path)
        except DatelineError as e:
            assert "1_1ecb.xml" in str(e)
            return
        for t in doc.tokens:
            assert doc.text[t.start : t.end] == t.text
        for m in doc.meta["mentions"]:
            assert all(0 <= i < len(doc.tokens) for i in m.tokens)


def test_ann_overlapping_and_discontinuous_spans():
    text = "North Korea fired missiles"
    spans = parse_ann(
        text,
        "T1\tACTOR 0 11\tNorth Korea\nT2\tACTOR 6 11\tKorea\nT3\tEVENT 12 17;18 26\tfired missiles\n",
        Path("x.ann"),
    )
    assert [(s.start, s.end, s.label) for s in spans] == [
        (0, 11, "ACTOR"),
        (6, 11, "ACTOR"),
        (12, 17, "EVENT"),
        (18, 26, "EVENT"),
    ]
