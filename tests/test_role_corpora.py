"""RAMS and WikiEvents read into the document model (data/readers/role_corpora.py), their roles
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
