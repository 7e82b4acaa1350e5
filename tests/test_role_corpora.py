"""RAMS, WikiEvents and QA-SRL read into the document model (data/readers/role_corpora.py), their roles
mapped to actor and recipient (data/participant_roles.py), on one document of each written in
the corpora's own formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.data.readers.role_corpora import role_documents
from dateline.errors import DatelineError
from dateline.eval.linking_cv import gold_links

RAMS = {
    "doc_key": "nw_1",
    "sentences": [["Russia", "told", "Ukraine", "in", "Minsk", "."], ["Talks", "ended", "."]],
    "evt_triggers": [[1, 1, [["contact.commitmentpromiseexpressintent.broadcast", 1.0]]]],
    "gold_evt_links": [
        [[1, 1], [0, 0], "evt089arg01communicator"],
        [[1, 1], [2, 2], "evt089arg02recipient"],
        [[1, 1], [4, 4], "evt089arg03place"],
    ],
}
WIKIEVENTS = {
    "doc_id": "w1",
    "tokens": ["Rebels", "attacked", "the", "base", "and", "killed", "Smith", "."],
    "sentences": [[[["Rebels", 0, 6]] * 8, "Rebels attacked the base and killed Smith ."]],
    "entity_mentions": [
        {"id": "T1", "start": 0, "end": 1, "entity_type": "ORG"},
        {"id": "T2", "start": 3, "end": 4, "entity_type": "FAC"},
        {"id": "T3", "start": 6, "end": 7, "entity_type": "PER"},
    ],
    "event_mentions": [
        {
            "trigger": {"start": 1, "end": 2},
            "arguments": [{"entity_id": "T1", "role": "Attacker"}, {"entity_id": "T2", "role": "Target"}],
        },
        {
            "trigger": {"start": 5, "end": 6},
            "arguments": [{"entity_id": "T1", "role": "Killer"}, {"entity_id": "T3", "role": "Victim"}],
        },
    ],
}


QASRL_HEADER = (
    "qasrl_id,verb_idx,verb,worker_id,assign_id,source_assign_id,question,is_redundant,answer_range,answer,"
    "wh,subj,obj,obj2,aux,prep,verb_prefix,is_passive,is_negated,verb_slot_inflection\n"
)
# two sentences of one article, given out of order; one of another article
QASRL_SENTENCES = {
    "Wiki1k:wikinews:7:2:0": "Police arrested Smith on Monday .",
    "Wiki1k:wikinews:7:1:3": "Jones told the court about the deal with Acme .",
    "Wiki1k:wikinews:9:0:0": "Rebels were attacked by troops .",
}
QASRL_QUESTIONS = [
    # sentence, verb index, verb, question, answer range, wh, subj, obj, obj2, prep, passive
    ("Wiki1k:wikinews:7:2:0", 1, "arrested", "Who arrested someone?", "0:1", "who", "", "someone", "", "", "False"),
    ("Wiki1k:wikinews:7:2:0", 1, "arrested", "Who was arrested?", "2:3", "who", "", "", "", "", "True"),
    (
        "Wiki1k:wikinews:7:2:0",
        1,
        "arrested",
        "When was someone arrested?",
        "3:5",
        "when",
        "someone",
        "",
        "",
        "",
        "True",
    ),
    ("Wiki1k:wikinews:7:1:3", 1, "told", "Who told someone something?", "0:1", "who", "", "someone", "", "", "False"),
    (
        "Wiki1k:wikinews:7:1:3",
        1,
        "told",
        "Who did someone tell something to?",
        "2:4",
        "who",
        "someone",
        "something",
        "",
        "to",
        "False",
    ),
    (
        "Wiki1k:wikinews:7:1:3",
        1,
        "told",
        "What did someone tell someone about?",
        "4:9~!~6:7",
        "what",
        "someone",
        "someone",
        "",
        "about",
        "False",
    ),
    (
        "Wiki1k:wikinews:7:1:3",
        6,
        "deal",
        "Who did someone deal with?",
        "8:9",
        "who",
        "someone",
        "",
        "",
        "with",
        "False",
    ),
    ("Wiki1k:wikinews:9:0:0", 2, "attacked", "Who was attacked?", "0:1", "who", "", "", "", "", "True"),
    (
        "Wiki1k:wikinews:9:0:0",
        2,
        "attacked",
        "Who was someone attacked by?",
        "4:5",
        "who",
        "someone",
        "",
        "",
        "by",
        "True",
    ),
]


def write_qasrl(root: Path, questions=QASRL_QUESTIONS) -> None:
    (root / "qasrl_gs/gold").mkdir(parents=True)
    (root / "qasrl_gs/sentences").mkdir(parents=True)
    rows = [f'{sid},"{t}","{t}"' for sid, t in QASRL_SENTENCES.items()]
    (root / "qasrl_gs/sentences/wikinews.test.full.csv").write_text(
        "qasrl_id,tokens,sentence\n" + "\n".join(rows) + "\n"
    )
    lines = [
        f"{sid},{v},{verb},W,A,S,{q},False,{ans},x,{wh},{subj},{obj},{obj2},,{prep},,{passive},False,Past"
        for sid, v, verb, q, ans, wh, subj, obj, obj2, prep, passive in questions
    ]
    (root / "qasrl_gs/gold/wikinews.test.gold.csv").write_text(QASRL_HEADER + "\n".join(lines) + "\n")


def write(root: Path, corpus: str, raw: dict, extra: str = "") -> None:
    name = {"rams": "rams/test.jsonlines", "wikievents": "wikievents/test.jsonl"}[corpus]
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(json.dumps(raw) + "\n" + extra)


def links(doc) -> set[tuple[str, str, str]]:
    words = doc.words
    return {(" ".join(words[s:e]), role, " ".join(words[a:b])) for s, e, role, a, b in gold_links(doc)}


def test_rams_arguments_are_candidates_and_their_roles_map(tmp_path: Path):
    write(tmp_path, "rams", RAMS)
    (doc,) = role_documents(tmp_path, "rams", "test")
    assert doc.text == "Russia told Ukraine in Minsk .\nTalks ended .\n"
    assert [(doc.span_text(s), s.label) for s in doc.spans] == [
        ("told", "EVENT"),
        ("Russia", "ACTOR"),
        ("Ukraine", "ACTOR"),
        ("Minsk", "ACTOR"),
    ]
    # the place is a candidate but neither role
    assert links(doc) == {("told", "actor", "Russia"), ("told", "recipient", "Ukraine")}


def test_wikievents_persons_and_groups_are_actors_a_building_is_not(tmp_path: Path):
    write(tmp_path, "wikievents", WIKIEVENTS)
    (doc,) = role_documents(tmp_path, "wikievents", "test")
    assert [doc.span_text(s) for s in doc.spans if s.label == "ACTOR"] == ["Rebels", "Smith"]
    assert links(doc) == {
        ("attacked", "actor", "Rebels"),
        ("killed", "actor", "Rebels"),
        ("killed", "recipient", "Smith"),
    }


@pytest.mark.parametrize("corpus", ["rams", "wikievents"])
def test_a_malformed_line_is_one_error_naming_file_and_line(tmp_path: Path, corpus: str):
    write(tmp_path, corpus, RAMS if corpus == "rams" else WIKIEVENTS, extra='{"doc_key": "broken"}\n')
    with pytest.raises(DatelineError, match=rf"{corpus}/test\.jsonl(ines)? \(line 2\): not a {corpus} document"):
        role_documents(tmp_path, corpus, "test")
    with pytest.raises(DatelineError, match="dev split not found"):
        role_documents(tmp_path, corpus, "dev")


def test_qasrl_who_answers_are_candidates_and_the_question_slot_gives_the_role(tmp_path: Path):
    write_qasrl(tmp_path)
    first, second = role_documents(tmp_path, "qasrl", "test")
    # one document per article, its annotated sentences in the article's order
    assert first.id == "wikinews:7"
    assert first.text == "Jones told the court about the deal with Acme .\nPolice arrested Smith on Monday .\n"
    assert [first.span_text(s) for s in first.spans if s.label == "EVENT"] == ["told", "deal", "arrested"]
    # only the answers of *who* questions are candidates (not *what* ones, not times)
    assert [first.span_text(s) for s in first.spans if s.label == "ACTOR"] == [
        "Jones",
        "the court",
        "Acme",
        "Police",
        "Smith",
    ]
    assert links(first) == {
        ("told", "actor", "Jones"),
        ("told", "recipient", "the court"),  # who did someone tell something to?
        ("arrested", "actor", "Police"),
        ("arrested", "recipient", "Smith"),  # who was arrested?
    }  # *deal with Acme* is neither under the mapping
    assert links(second) == {("attacked", "recipient", "Rebels"), ("attacked", "actor", "troops")}


def test_a_malformed_qasrl_row_is_one_error_naming_file_and_line(tmp_path: Path):
    bad = list(QASRL_QUESTIONS)
    bad[3] = bad[3][:4] + ("0:12",) + bad[3][5:]  # past the sentence's end
    write_qasrl(tmp_path, bad)
    with pytest.raises(
        DatelineError, match=r"wikinews\.test\.gold\.csv \(line 5\): not a QA-SRL question row \(answer range 0:12"
    ):
        role_documents(tmp_path, "qasrl", "test")
    with pytest.raises(DatelineError, match="qasrl dev split not found"):
        role_documents(tmp_path, "qasrl", "dev")
