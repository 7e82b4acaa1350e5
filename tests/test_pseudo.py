"""Distillation by pseudo-labels: which sentences a teacher tags, how its rows are read back
(and refused when malformed), and a student that trains on them."""

import gzip
import json
from pathlib import Path

import pytest

from dateline.data.dataset import meta_path, rows_dataset
from dateline.data.labels import LabelScheme
from dateline.errors import DatelineError
from dateline.io import write_text_atomic
from dateline.tagging.pseudo import unlabeled_sentences, write_pseudo
from tests.corpora import ecbplus, timeml
from tests.ecbplus_fixture import TEMPLATES, document_xml, make_ecbplus
from tests.entry import train_tiny
from tests.timeml_fixture import make_tempeval3

SCHEME = LabelScheme.from_config("events_actors", {"EVENT": ["ACTION_*", "NEG_ACTION_*"], "ACTOR": ["HUMAN_PART*"]})
LABELS = ["O", "B-EVENT", "I-EVENT", "B-ACTOR", "I-ACTOR"]


@pytest.fixture(scope="module")
def corpus_with_unlabeled(tmp_path_factory) -> Path:
    """The fixture corpus plus, in a training topic and in a test topic, a document whose
    sentence 0 is gold and whose sentences 1 and 2 carry no annotation at all."""
    root = make_ecbplus(tmp_path_factory.mktemp("corpora"))
    sentences = [TEMPLATES[0], ("Markets closed early .", []), ("Trading resumed on Tuesday .", [])]
    gold = root / "ecbplus" / "ECBplus_coreference_sentences.csv"
    for topic in (1, 36):
        name = f"{topic}_9ecb"
        (root / "ecbplus" / "ECB+" / str(topic) / f"{name}.xml").write_text(document_xml(name, sentences))
        gold.write_text(gold.read_text() + f"{topic},9ecb,0\n")
    return root


def test_only_unlabeled_training_sentences_are_tagged(corpus_with_unlabeled: Path):
    found = unlabeled_sentences(ecbplus(corpus_with_unlabeled), SCHEME)
    # not the gold sentences, not the non-gold ones with mentions (sentence 3 of every fixture
    # document), not the test topic's unlabeled ones
    assert found == [
        ("1_9ecb#1", ["Markets", "closed", "early", "."]),
        ("1_9ecb#2", "Trading resumed on Tuesday .".split()),
    ]


def write_rows(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def test_rows_are_read_back(tmp_path: Path):
    rows = [
        {"id": "a#1", "words": ["Police", "arrested", "him"], "tags": ["B-ACTOR", "B-EVENT", "B-ACTOR"]},
        {"words": ["Talks", "resumed"], "tags": ["B-EVENT", "B-EVENT"]},
    ]
    path = write_rows(tmp_path / "rows.jsonl", [json.dumps(r) for r in rows])
    ds = rows_dataset(path, LABELS, cache_dir=str(tmp_path / "cache"))
    assert ds["words"] == [r["words"] for r in rows] and ds["tags"] == [r["tags"] for r in rows]
    assert ds["id"] == ["a#1", "rows.jsonl#2"]  # a row without an id is named by its line


@pytest.mark.parametrize(
    "bad, problem",
    [
        ('{"words": ["a"], "tags": ["O"]', "not JSON"),
        ('{"words": ["a", "b"], "tags": ["O"]}', "of one non-zero length"),
        ('["a", "O"]', "of one non-zero length"),
        ('{"words": ["Paris"], "tags": ["B-LOCATION"]}', "not labels of this scheme"),
    ],
)
def test_malformed_rows_are_refused_with_file_and_line(tmp_path: Path, bad: str, problem: str):
    good = json.dumps({"words": ["Talks"], "tags": ["B-EVENT"]})
    path = write_rows(tmp_path / "rows.jsonl", [good, bad])
    with pytest.raises(DatelineError, match=problem) as err:
        rows_dataset(path, LABELS, cache_dir=str(tmp_path / "cache"))
    assert str(path.resolve()) in str(err.value) and "line 2" in str(err.value)


def corpus_rows(path: Path, corpus: Path, tmp_path: Path):
    """Rows read the way training reads them: ids resolved in the corpus's training topics."""
    data = ecbplus(corpus, dev=[2], test=[36])
    return rows_dataset(path, LABELS, str(tmp_path / "cache"), data, SCHEME, corpora=str(corpus))


def test_rows_of_ids_take_their_words_from_the_corpus(corpus_with_unlabeled: Path, tmp_path: Path):
    tags = ["B-ACTOR", "B-EVENT", "O", "O"]
    path = tmp_path / "rows.jsonl.gz"
    write_text_atomic(path, json.dumps({"id": "1_9ecb#1", "tags": tags}) + "\n")
    assert gzip.decompress(path.read_bytes())  # really compressed, read back through gzip
    ds = corpus_rows(path, corpus_with_unlabeled, tmp_path)
    assert ds["words"] == [["Markets", "closed", "early", "."]] and ds["tags"] == [tags]


@pytest.mark.parametrize(
    "row, problem",
    [
        ({"id": "36_9ecb#1", "tags": ["O"] * 4}, "not a sentence of the training split"),  # a test topic
        ({"id": "1_9ecb#7", "tags": ["O"]}, "not a sentence of the training split"),
        ({"id": "1_9ecb#1", "tags": ["O"] * 3}, "of one non-zero length"),  # the sentence has 4 words
    ],
)
def test_rows_of_ids_must_name_a_training_sentence(corpus_with_unlabeled: Path, tmp_path: Path, row, problem):
    path = write_rows(tmp_path / "rows.jsonl", [json.dumps(row)])
    with pytest.raises(DatelineError, match=problem) as err:
        corpus_rows(path, corpus_with_unlabeled, tmp_path)
    assert str(path.resolve()) in str(err.value) and "line 1" in str(err.value)


def test_every_tbaq_training_sentence_is_tagged_and_its_rows_read_back_from_tbaq(tmp_path: Path):
    """TimeML marks no actors, so no TBAQ sentence is labeled for the teacher's scheme: all of
    its training sentences are tagged. The rows' meta names TBAQ as their source, and a student
    whose own data is ECB+ takes their words from there."""
    root = make_tempeval3(make_ecbplus(tmp_path / "corpora"))
    found = unlabeled_sentences(timeml(root), SCHEME)
    assert len(found) == 9 * 2  # 9 training documents (the 10th is dev) of 2 sentences
    (rid, words), tags = found[0], ["B-ACTOR"] + ["O"] * (len(found[0][1]) - 1)
    assert words[0] == "Officials" and rid.endswith("#0")
    rows = write_rows(tmp_path / "rows.jsonl", [json.dumps({"id": rid, "tags": tags})])
    with pytest.raises(DatelineError, match="not a sentence of the training split"):
        corpus_rows(rows, root, tmp_path)  # without a meta naming TBAQ, the id is sought in ECB+
    meta_path(rows).write_text(json.dumps({"source": {"group": "tempeval3", "overrides": []}}))
    ds = corpus_rows(rows, root, tmp_path)
    assert ds["words"] == [words] and ds["tags"] == [tags]
    meta_path(rows).write_text(json.dumps({"source": "timeml"}))
    with pytest.raises(DatelineError, match="data group") as err:
        corpus_rows(rows, root, tmp_path)
    assert str(meta_path(rows)) in str(err.value)


def test_a_missing_rows_file_says_how_to_make_one(tmp_path: Path):
    with pytest.raises(DatelineError, match="make pseudo"):
        rows_dataset(tmp_path / "none.jsonl", LABELS)


@pytest.mark.slow
def test_a_student_trains_on_its_teachers_rows(corpus_with_unlabeled: Path, tmp_path: Path):
    teacher = train_tiny(corpus_with_unlabeled, tmp_path / "teacher", "seed=1")
    rows = tmp_path / "pseudo" / "rows.jsonl"
    info = write_pseudo(teacher, rows, ecbplus(corpus_with_unlabeled), limit=1, seed=0)
    assert info["unlabeled_sentences"] == 2 and info["rows"] == 1
    meta = json.loads(meta_path(rows).read_text())
    assert meta["teacher"] == str(teacher.resolve())
    assert meta["teacher_members"][0]["strict_f1"]["ecbplus_dev"] == pytest.approx(
        json.loads((teacher.parent / "results.json").read_text())["results"]["ecbplus_dev"]["strict"]["micro"]["f1"]
    )
    (row,) = [json.loads(line) for line in rows.read_text().splitlines()]
    # ids and tags only: the words stay in the corpus
    assert set(row) == {"id", "tags"} and row["id"] in ("1_9ecb#1", "1_9ecb#2")
    assert len(row["tags"]) == {"1_9ecb#1": 4, "1_9ecb#2": 5}[row["id"]] and set(row["tags"]) <= set(LABELS)

    plain = train_tiny(corpus_with_unlabeled, tmp_path / "plain", "seed=1")
    student = train_tiny(corpus_with_unlabeled, tmp_path / "student", "seed=1", f"data.pseudo={rows}")
    windows = [
        json.loads((m.parent / "results.json").read_text())["training"]["train_windows"] for m in (plain, student)
    ]
    assert windows[1] == windows[0] + 1
