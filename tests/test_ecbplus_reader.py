from pathlib import Path

import pytest

from dateline.data.dataset import build_dataset, sentence_rows
from dateline.data.labels import LabelScheme, apply_scheme
from dateline.data.readers.ecbplus import TAGSET, iter_documents, read_document, split_of_topic
from dateline.errors import CorpusNotFoundError, DatelineError
from tests.corpora import documents, ecbplus
from tests.ecbplus_fixture import document_xml

EA = LabelScheme.from_config("events_actors", {"EVENT": ["ACTION_*", "NEG_ACTION_*"], "ACTOR": ["HUMAN_PART*"]})


def test_reader_tokens_offsets_and_gold(tmp_path: Path):
    xml = document_xml(
        "1_1ecb",
        [
            ("Police arrested him .", [("HUMAN_PART_ORG", [0]), ("ACTION_OCCURRENCE", [1])]),
            ("He fled .", [("HUMAN_PART_PER", [0])]),
        ],
    )
    path = tmp_path / "1_1ecb.xml"
    path.write_text(xml)
    doc = read_document(path, {1})
    assert doc.id == "1_1ecb" and doc.meta["topic"] == 1
    assert doc.words == ["Police", "arrested", "him", ".", "He", "fled", "."]
    assert all(doc.text[t.start : t.end] == t.text for t in doc.tokens)
    assert doc.sentences == [(0, 4), (4, 7)] and doc.gold == [False, True]
    assert [(m.tag, m.tokens) for m in doc.meta["mentions"]] == [
        ("HUMAN_PART_ORG", (0,)),
        ("ACTION_OCCURRENCE", (1,)),
        ("HUMAN_PART_PER", (4,)),
    ]


def test_discontinuous_and_overlap_rule(tmp_path: Path):
    xml = document_xml(
        "1_2ecb",
        [
            (
                "Officials called the vote off today .",
                [
                    ("ACTION_OCCURRENCE", [1, 4]),
                    ("ACTION_OCCURRENCE", [3]),
                    ("HUMAN_PART_ORG", [0, 1]),
                    ("LOC_GEO", [5]),
                ],
            )
        ],
    )
    (tmp_path / "1_2ecb.xml").write_text(xml)
    doc = read_document(tmp_path / "1_2ecb.xml", {0})
    stats = apply_scheme(doc, EA, TAGSET)
    # discontinuous "called ... off" -> two spans; "Officials called" (ACTOR) starts first and wins over "called"
    assert stats.discontinuous == 1 and stats.fragments_added == 1
    assert stats.overlaps_dropped == 1 and stats.unmapped == 1
    assert [(s.start, s.end, s.label) for s in doc.spans] == [(0, 2, "ACTOR"), (3, 4, "EVENT"), (4, 5, "EVENT")]


def test_bad_anchor_names_file_and_markable(tmp_path: Path):
    xml = document_xml(
        "1_3ecb", [("A B .", [])], extra_markables='<ACTION_STATE m_id="9"><token_anchor t_id="77"/></ACTION_STATE>'
    )
    path = tmp_path / "1_3ecb.xml"
    path.write_text(xml)
    with pytest.raises(DatelineError, match=r"1_3ecb\.xml.*m_id=9.*t_id=77"):
        read_document(path)


def test_malformed_xml(tmp_path: Path):
    path = tmp_path / "1_4ecb.xml"
    path.write_text("<Document><token t_id='1' sentence='0' number='0'>x</token>")
    with pytest.raises(DatelineError, match=r"1_4ecb\.xml: malformed XML"):
        read_document(path)


def test_missing_corpus_says_where(tmp_path: Path):
    with pytest.raises(CorpusNotFoundError, match="ECB\\+ not found.*make data"):
        list(iter_documents(tmp_path / "nowhere"))


def test_topic_split():
    assert [split_of_topic(t) for t in (1, 2, 35, 36, 45, 3)] == ["train", "dev", "dev", "test", "test", "train"]


def test_splits_and_gold_only_labels(corpus_dir: Path):
    train = documents(ecbplus(corpus_dir), EA, "train")
    assert {d.meta["topic"] for d in train} == {1, 3}
    assert {d.meta["topic"] for d in documents(ecbplus(corpus_dir), EA, "test")} == {36}
    rows = list(sentence_rows(train))
    assert len(rows) == 3 * len(train)  # three gold sentences per fixture document
    a, b = train[0].sentences[0]  # sentence 0 is not gold: no row unless extra="annotated"
    assert f"{train[0].id}#0" not in {r["id"] for r in rows}
    extra = list(sentence_rows(train, extra="annotated"))
    assert {r["id"] for r in rows} < {r["id"] for r in extra}
    for r in extra:  # every row's tags are complete IOB2, one per word
        assert len(r["tags"]) == len(r["words"]) and all(t == "O" or t[:2] in ("B-", "I-") for t in r["tags"])
    with pytest.raises(DatelineError, match="data.extra must be one of none, annotated"):
        list(sentence_rows(train, extra="partial"))


def test_dataset_is_cached(corpus_dir: Path, tmp_path: Path):
    first = build_dataset(ecbplus(corpus_dir, extra="none"), EA, "train", cache_dir=str(tmp_path))
    second = build_dataset(ecbplus(corpus_dir, extra="none"), EA, "train", cache_dir=str(tmp_path))
    assert first.cache_files and first.cache_files[0]["filename"] == second.cache_files[0]["filename"]
    assert first["words"] == second["words"] and len(first) == 18


def test_annotated_extra_takes_a_non_gold_sentence_only_for_a_mention():
    """extra=annotated takes a non-gold sentence that holds a mention; one without any stays out."""
    from dateline.data.dataset import labeled_sentences
    from dateline.data.document import Document, Span, Token

    words = "Police came . It rained in Paris . Talks ended .".split()
    tokens, pos = [], 0
    for w in words:
        tokens.append(Token(w, pos, pos + len(w)))
        pos += len(w) + 1
    doc = Document("d", " ".join(words), tokens, [(0, 3), (3, 8), (8, 11)], [Span(0, 1, "ACTOR")], [False, False, True])
    assert labeled_sentences(doc, "none") == [False, False, True]
    assert labeled_sentences(doc, "annotated") == [True, False, True]
