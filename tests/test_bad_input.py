"""Bad input in every reader of a user's files: one clear error naming the file, the line (or
task) and the problem, never a traceback, and nothing read half. Property tests throw random
and adversarial files at the character-offset formats: each loads exactly or is refused so."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.data.dataset import Corpus
from dateline.data.labels import LabelScheme
from dateline.errors import DatelineError
from tests.corpora import user
from tests.entry import run

EA = LabelScheme.from_config("events_actors", {"EVENT": ["EVENT"], "ACTOR": ["ACTOR"]})
TEXT = "Putin met Trump in Da Nang."
GOOD = [(0, 5, "ACTOR"), (6, 9, "EVENT")]


def spans_json(spans):
    return [{"start": a, "end": b, "label": lab} for a, b, lab in spans]


def write(fmt: str, folder: Path, articles: list[tuple[str, str, list]], name: str = "data") -> Path:
    """(id, text, spans) articles in `fmt`, one file (brat: a folder of pairs)."""
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "brat":
        for doc_id, text, spans in articles:
            (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
            lines = [f"T{k}\t{lab} {a} {b}\t{text[a:b]}" for k, (a, b, lab) in enumerate(spans, 1)]
            (folder / f"{doc_id}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return folder
    path = folder / f"{name}.{'json' if fmt == 'labelstudio' else 'jsonl'}"
    if fmt == "jsonl":
        rows = [{"id": i, "text": t, "spans": spans_json(s)} for i, t, s in articles]
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif fmt == "doccano":
        rows = [{"article_id": i, "text": t, "label": [[a, b, lab] for a, b, lab in s]} for i, t, s in articles]
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif fmt == "labelstudio":
        tasks = [
            {
                "id": n,
                "data": {"text": t, "article_id": i},
                "annotations": [
                    {
                        "result": [
                            {"type": "labels", "value": {"start": a, "end": b, "labels": [lab]}} for a, b, lab in s
                        ]
                    }
                ],
            }
            for n, (i, t, s) in enumerate(articles, 1)
        ]
        path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def read(fmt: str, path: Path):
    return Corpus(user(fmt, path, split={"test": 0, "dev": 0})).documents(EA, "train")


CHAR_FORMATS = ["brat", "jsonl", "doccano", "labelstudio"]


def refused(fmt: str, path: Path, *words: str, named: str | None = None) -> str:
    """The one error reading `path` gives: it names the file (`named`, by default the path's) and
    holds every one of `words`."""
    with pytest.raises(DatelineError) as err:
        read(fmt, path)
    message = str(err.value)
    assert (named or path.name) in message, message
    for w in words:
        assert w in message, message
    return message


@pytest.mark.parametrize("fmt", CHAR_FORMATS)
def test_good_input_loads_exactly(tmp_path, fmt):
    (doc,) = read(fmt, write(fmt, tmp_path / "c", [("a", TEXT, GOOD)]))
    assert doc.text == TEXT and [(c.start, c.end, c.label) for c in doc.char_spans()] == GOOD


@pytest.mark.parametrize("fmt", CHAR_FORMATS)
@pytest.mark.parametrize(
    "spans, problem",
    [
        ([(0, 5, "ACTOR"), (3, 9, "EVENT")], "overlaps"),
        ([(20, 40, "EVENT")], "outside the text"),
        ([(-1, 3, "EVENT")], "outside the text"),
        ([(5, 6, "EVENT")], "white space"),
    ],
)
def test_bad_offsets_are_refused_naming_file_and_place(tmp_path, fmt, spans, problem):
    path = write(fmt, tmp_path / "c", [("a", TEXT, spans)])
    if fmt == "brat" and problem == "outside the text":
        lines = [f"T{k}\t{lab} {a} {b}\tx" for k, (a, b, lab) in enumerate(spans, 1)]
        (path / "a.ann").write_text("\n".join(lines) + "\n")
    message = refused(fmt, path, problem, named="a.ann" if fmt == "brat" else None)
    assert "line" in message or "task 1" in message, message


@pytest.mark.parametrize("fmt", CHAR_FORMATS)
def test_empty_article_duplicate_ids_and_not_utf8(tmp_path, fmt):
    path = write(fmt, tmp_path / "e", [("a", " \n", [])])
    with pytest.raises(DatelineError, match="empty") as err:
        read(fmt, path)
    assert ("a.txt" if fmt == "brat" else path.name) in str(err.value)
    if fmt == "brat":  # the same id in two parts: train/a.txt and test/a.txt
        path = tmp_path / "d"
        write(fmt, path / "train", [("a", TEXT, GOOD)])
        write(fmt, path / "test", [("a", TEXT, [])])
    else:
        path = write(fmt, tmp_path / "d", [("a", TEXT, GOOD), ("a", TEXT, [])])
    with pytest.raises(DatelineError, match="given twice"):
        read(fmt, path)
    path = write(fmt, tmp_path / "u", [("a", TEXT, GOOD)])
    target = path / "a.txt" if fmt == "brat" else path
    target.write_bytes(target.read_bytes().replace(b"Putin", b"Put\xe9n"))
    with pytest.raises(DatelineError, match="not UTF-8.*0xe9") as err:
        read(fmt, path)
    assert target.name in str(err.value)


@pytest.mark.parametrize(
    "fmt, content, problem",
    [
        ("jsonl", '{"id": "a", "text": "x"\n', "not JSON"),
        ("jsonl", '{"id": "a"}\n', '"text" string'),
        ("jsonl", '{"id": "a", "text": "Putin", "spans": [{"start": 0, "end": 5}]}\n', "start, end and label"),
        ("doccano", '{"text": "Putin", "label": [[0, 5]]}\n', "[start, end"),
        ("doccano", '{"text": "Putin", "label": ["POSITIVE"]}\n', "text classification"),
        ("labelstudio", '{"tasks": []}', "list of tasks"),
        ("labelstudio", '[{"text": "Putin", "label": "x", "extra": 1}]', "labels"),
        ("labelstudio", '[{"id": 1, "annotations": []}]', "text"),
        ("labelstudio", "id,text\n1,Putin\n", "not JSON"),
    ],
)
def test_malformed_files_and_the_wrong_kind_of_export(tmp_path, fmt, content, problem):
    path = tmp_path / ("data.json" if fmt == "labelstudio" else "data.jsonl")
    path.write_text(content, encoding="utf-8")
    refused(fmt, path, problem)


def test_brat_span_text_that_does_not_match_and_a_stray_line(tmp_path):
    path = write("brat", tmp_path / "c", [("a", TEXT, GOOD)])
    (path / "a.ann").write_text("T1\tACTOR 0 5\tPutn\n")
    refused("brat", path, "line 1", "does not match", named="a.ann")
    (path / "a.ann").write_text("T1\tACTOR 0 5\tPutin\nand Trump\n")
    refused("brat", path, "line 2", "not a brat annotation line", named="a.ann")


def test_labelstudio_region_text_that_does_not_match(tmp_path):
    tasks = [
        {
            "id": 7,
            "data": {"text": TEXT},
            "annotations": [
                {"result": [{"type": "labels", "value": {"start": 0, "end": 5, "text": "Trump", "labels": ["ACTOR"]}}]}
            ],
        }
    ]
    (tmp_path / "e.json").write_text(json.dumps(tasks))
    refused("labelstudio", tmp_path / "e.json", "task 7", "does not match")


@pytest.mark.parametrize(
    "lines, problem",
    [
        ("Putin B-ACTOR\nmet X-EVENT\n", "line 2"),
        ("Putin\n", "line 1"),
        ("Putin B-\n", "line 1"),
    ],
)
def test_conll_bad_lines(tmp_path, lines, problem):
    (tmp_path / "a.conll").write_text(lines)
    refused("conll", tmp_path / "a.conll", problem, "O, B-<type>")


def test_hf_errors_name_the_dataset_and_the_row(tmp_path):
    import datasets

    datasets.Dataset.from_list([{"id": "a", "words": ["x"]}]).save_to_disk(str(tmp_path / "d"))
    refused("hf", tmp_path / "d", "row 0", "tokens")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "x.txt").write_text("x")
    refused("hf", tmp_path / "folder", "save_to_disk")


def test_a_bad_corpus_stops_training_in_one_line_before_anything_is_written(tmp_path):
    path = write("jsonl", tmp_path / "c", [("a", TEXT, [(0, 5, "ACTOR"), (3, 9, "EVENT")])])
    res = run("train", "data=jsonl", f"data.path={path}", "model=tiny", f"hydra.run.dir={tmp_path / 'run'}")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("error:") and "data.jsonl (line 1)" in last and "overlaps" in last
    assert not (tmp_path / "run" / "model").exists()


ODD = st.sampled_from(["\u200b", "e\u0301", "\r\n", "\n", " ", "\t", "é", "🙂", "“", "U.S.", "'s", "-", "\ufeff"])
TEXTS = st.lists(st.one_of(st.text(min_size=0, max_size=6), ODD), max_size=30).map("".join)


@st.composite
def corpus(draw):
    articles = []
    for k in range(draw(st.integers(1, 3))):
        text = draw(TEXTS)
        spans = [
            (
                draw(st.integers(-2, len(text) + 2)),
                draw(st.integers(-2, len(text) + 3)),
                draw(st.sampled_from(["EVENT", "ACTOR"])),
            )
            for _ in range(draw(st.integers(0, 4)))
        ]
        articles.append((f"a{k}", text, spans))
    return articles


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpus(), st.sampled_from(["jsonl", "doccano", "labelstudio"]))
def test_random_files_load_exactly_or_are_refused_clearly(articles, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        path = write(fmt, Path(tmp), articles)
        try:
            docs = read(fmt, path)
        except DatelineError as e:
            assert path.name in str(e) and ("line" in str(e) or "task" in str(e) or "no annotated" in str(e))
            return
        by_id = {d.id: d for d in docs}
        for doc_id, text, _ in articles:
            doc = by_id[doc_id]
            assert doc.text == text
            for c in doc.char_spans():  # inside the text, trimmed, never overlapping another
                assert 0 <= c.start < c.end <= len(text) and text[c.start : c.end].strip() == text[c.start : c.end]
            kept = sorted((c.start, c.end) for c in doc.char_spans())
            assert all(a[1] <= b[0] for a, b in zip(kept, kept[1:]))
            for t in doc.tokens:
                assert text[t.start : t.end] == t.text
