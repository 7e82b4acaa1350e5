"""The learned linker: roles from MEANTIME's links, the marked pair it reads, training and
applying it, records with learned links, and the cross-validation's scoring against the rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dateline.data.parse import parse_documents
from dateline.data.participant_roles import meantime_role, rams_role, wikievents_role
from dateline.data.readers.meantime import read_document
from dateline.errors import DatelineError
from dateline.eval.linking_cv import counts, error_kinds, f1, gold_links, position_links, syntax_links
from dateline.runs import LINKER_META
from dateline.training.linker import Pair, document_pairs, marked_words
from tests.test_meantime import CAT, WORDS


@pytest.fixture
def linked_doc(tmp_path: Path):
    tokens = "\n".join(f'<token number="{i}" sentence="0" t_id="{i + 1}">{w}</token>' for i, w in enumerate(WORDS))
    path = tmp_path / "corpus_x" / "1_t.xml"
    path.parent.mkdir()
    # the bank is an organisation here: Arg1 of an ORG is a recipient
    path.write_text(CAT.format(tokens=tokens).replace('ent_type="FIN"', 'ent_type="ORG"'))
    return read_document(path)


@pytest.mark.parametrize(
    "sem_role, ent_type, role",
    [("Arg0", "ORG", "actor"), ("Arg1", "PER", "recipient"), ("Arg2", "ORG", "recipient"), ("Arg1", "PRO", "none")],
)
def test_propbank_roles_map_to_record_roles(sem_role, ent_type, role):
    assert meantime_role(sem_role, ent_type) == role


@pytest.mark.parametrize(
    "role_of, role, ent_type, mapped",
    [
        (rams_role, "communicator", "", "actor"),
        (rams_role, "recipient", "", "recipient"),
        (rams_role, "participant", "", "none"),  # symmetric: neither
        (rams_role, "place", "", "none"),
        (wikievents_role, "Attacker", "ORG", "actor"),
        (wikievents_role, "Target", "PER", "recipient"),
        (wikievents_role, "Target", "FAC", "none"),  # a building is no recipient
        (wikievents_role, "Place", "GPE", "none"),
    ],
)
def test_role_corpora_roles_map_to_record_roles(role_of, role, ent_type, mapped):
    assert role_of(role, ent_type) == mapped


def test_the_pair_is_read_with_both_ends_marked():
    words = tuple("Putin met Trump in Da Nang .".split())
    marked, first = marked_words(Pair(words, (1, 2), (2, 3)))
    assert marked == ["Putin", "<<", "met", ">>", "[[", "Trump", "]]", "in", "Da", "Nang", "."]
    assert marked[first] == "Trump"
    marked, first = marked_words(Pair(words, (1, 2), (0, 1)))
    assert marked[:6] == ["[[", "Putin", "]]", "<<", "met", ">>"] and marked[first] == "Putin"


def test_rule_hints_carry_the_position_rules_role_into_the_read_sequence(linked_doc):
    hinted = {p.candidate: p for p in document_pairs(linked_doc, linked_doc.spans, hint=True)}
    assert {c: p.rule for c, p in hinted.items()} == {(0, 1): "actor", (2, 4): "recipient"}
    marked, first = marked_words(hinted[(2, 4)])
    assert marked[:2] == ["recipient", ":"] and marked[first] == linked_doc.words[2]
    assert all(p.rule == "" for p in document_pairs(linked_doc, linked_doc.spans))  # no hints: as before


def test_syntax_hints_carry_the_syntax_rules_role_and_need_the_parse(linked_doc):
    from dateline.data.parse import parse_documents
    from dateline.data.syntax_rule import syntax_roles

    parse = parse_documents([linked_doc])[0]
    hinted = {p.candidate: p.rule for p in document_pairs(linked_doc, linked_doc.spans, "syntax", parse)}
    expected = {(c.start, c.end): role for (_, c), role in syntax_roles(linked_doc.spans, parse).items()}
    assert expected and hinted == {c: expected.get(c, "none") for c in hinted}
    with pytest.raises(DatelineError, match="syntax hints needs the document's parse"):
        document_pairs(linked_doc, linked_doc.spans, "syntax")


def test_gold_pairs_and_links_of_a_meantime_document(linked_doc):
    # the ACTOR spans of the fixture: Russia (ORG); the bank becomes an ACTOR once it is an ORG
    actors = [s for s in linked_doc.spans if s.label == "ACTOR"]
    assert [(s.start, s.end) for s in actors] == [(0, 1), (2, 4)]
    pairs = document_pairs(linked_doc, linked_doc.spans)
    assert sorted((p.candidate, p.role) for p in pairs) == [((0, 1), "actor"), ((2, 4), "recipient")]
    assert gold_links(linked_doc) == {(1, 2, "actor", 0, 1), (1, 2, "recipient", 2, 4)}
    # the position rule: Russia before the event; "the bank" right after it, over "the"
    assert position_links(linked_doc, linked_doc.spans) == gold_links(linked_doc)
    # the syntax rule: Russia is the subject of "sanctioned", "the bank" its object
    parse = parse_documents([linked_doc])[0]
    assert syntax_links(linked_doc, linked_doc.spans, parse) == gold_links(linked_doc)


def test_link_counts_f1_and_error_kinds():
    gold = {(1, 2, "actor", 0, 1), (1, 2, "recipient", 2, 4), (5, 6, "actor", 4, 5)}
    pred = {(1, 2, "actor", 2, 4), (1, 2, "recipient", 0, 1), (5, 6, "actor", 4, 5), (8, 9, "actor", 7, 8)}
    c = counts(gold, pred)
    assert c.tolist() == [[1, 3, 2], [0, 1, 1], [1, 4, 3]]  # actor, recipient, both: (tp, pred, gold)
    assert f1(c)[2] == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert error_kinds(gold, pred) == {"role swapped": 2, "spurious actor": 1}
    assert f1(np.zeros(3)) == 0.0


@pytest.mark.slow
def test_a_trained_linker_gives_records_their_links(linked_doc, tmp_path: Path):
    from dateline.tagging.linking import Linker
    from dateline.tagging.records import Found, RecordTagger, document_records
    from dateline.training.linker import train
    from tests.test_records import tiny_encoder

    pairs = document_pairs(linked_doc, linked_doc.spans) * 8
    meta = train(pairs, tmp_path / "linker", encoder=str(tiny_encoder(tmp_path / "enc")), epochs=1)
    assert meta["pairs_by_role"] == {"actor": 8, "recipient": 8} and meta["rule_hint"] is False
    assert meta["encoder_name"] == meta["encoder"] == str(tmp_path / "enc")
    linker = Linker(tmp_path / "linker")
    assert linker.hint is False
    probs = linker.probabilities(pairs[:2])
    assert probs.shape == (2, 3) and np.allclose(probs.sum(1), 1.0, atol=1e-5)

    spans = [Found(s, 0.9) for s in linked_doc.spans]
    event = next(s for s in linked_doc.spans if s.label == "EVENT")
    russia = next(s for s in linked_doc.spans if s.start == 0)
    roles = {(event, russia): ("actor", 0.7)}
    (record,) = document_records(linked_doc, spans, {}, "learned", roles)
    assert [(a["text"], a["link_method"], a["link_confidence"]) for a in record["actor"]] == [
        ("Russia", "learned", 0.7)
    ]
    assert record["recipient"] == []
    with pytest.raises(DatelineError, match="linking=learned needs a linker"):
        RecordTagger(None, None, "learned")
    with pytest.raises(DatelineError, match="not a linker model directory"):
        Linker(tmp_path)


def test_records_take_the_latest_linker_and_without_one_say_how_to_train_it(tmp_path: Path):
    """linking=learned is the default: with no linker= the newest `dateline linker` model under
    runs/linker is taken; with none there, one error names the command and the option."""
    import os

    from dateline.runs import latest_linker_model

    with pytest.raises(DatelineError, match=r"no linker model found; train one with `dateline linker` \(make linker\)"):
        latest_linker_model(tmp_path)
    for age, name in ((200, "2026-01-01_00-00-00"), (100, "2026-02-01_00-00-00")):
        meta = tmp_path / "linker" / name / LINKER_META
        meta.parent.mkdir(parents=True)
        meta.write_text("{}")
        os.utime(meta, (meta.stat().st_atime - age, meta.stat().st_mtime - age))
    assert latest_linker_model(tmp_path) == tmp_path / "linker" / "2026-02-01_00-00-00"


def test_the_linker_encoder_is_named_or_a_folder(tmp_path: Path):
    """`encoder=minilm` (the default) is the packaged MiniLM; a folder is taken as it is; a
    cross-validation does not reuse a fold linker trained on another encoder."""
    from dateline.paths import minilm_path
    from dateline.training.model import encoder_path
    from dateline.training.position_head import trained_alike

    assert encoder_path(None) == encoder_path("minilm") == minilm_path()
    assert encoder_path(str(tmp_path)) == str(tmp_path)
    (tmp_path / LINKER_META).write_text('{"epochs": 15, "rule_hint": true, "encoder_name": "minilm"}')
    assert trained_alike(tmp_path, LINKER_META, epochs=15, rule_hint=True, encoder_name="minilm")
    assert not trained_alike(tmp_path, LINKER_META, epochs=15, rule_hint=True, encoder_name="mpnet")


def test_two_cross_validations_pair_their_linkers(tmp_path: Path):
    """scripts/linking_pair.py: two linker-cv runs' learned links paired document by document;
    a run on other spans or documents is one clear error."""
    import importlib.util
    import json

    from dateline.paths import PROJECT_ROOT

    spec = importlib.util.spec_from_file_location("linking_pair", PROJECT_ROOT / "scripts" / "linking_pair.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)

    doc_a = np.array([[2, 2, 4], [1, 1, 2], [3, 3, 6], [1, 2, 2]], dtype=float)
    doc_b = np.array([[1, 2, 4], [0, 1, 2], [1, 3, 6], [0, 2, 2]], dtype=float)

    def run(name: str, ckpt: str, docs: list) -> Path:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"config": {"ckpt": ckpt}, "per_doc": {"gold": {"learned": docs}}}))
        return path

    a, b = run("a", "m", [doc_b.tolist(), doc_a.tolist()]), run("b", "m", [doc_a.tolist(), doc_a.tolist()])
    paired = script.pair(a, b, n_boot=200)["gold"]
    expected = f1(doc_a * 2) - f1(doc_b + doc_a)
    assert np.allclose(paired["delta"], expected) and expected[0] > 0
    assert all(lo <= d <= hi for d, (lo, hi) in zip(paired["delta"], paired["ci"]))
    assert script.markdown({"gold": paired}).splitlines()[2].startswith(f"| gold | {expected[0]:+.3f} [")
    with pytest.raises(DatelineError, match="its tagger spans are n"):
        script.pair(a, run("c", "n", [doc_a.tolist()] * 2))
    with pytest.raises(DatelineError, match="scored another set of documents"):
        script.pair(a, run("d", "m", [doc_a.tolist()] * 3))
    (tmp_path / "e.json").write_text("{")
    with pytest.raises(DatelineError, match="not a linker-cv results.json"):
        script.pair(a, tmp_path / "e.json")


def test_a_fold_linker_is_reused_only_when_trained_on_the_same_role_corpora(tmp_path: Path):
    import json

    from dateline.eval.linking_cv import fold_trained
    from dateline.training.linker import META

    meta = {"epochs": 15, "rule_hint": "syntax", "encoder_name": "minilm", "learning_rate": 5e-5}
    (tmp_path / META).write_text(json.dumps(meta))  # a linker of before the role corpora: MEANTIME alone
    assert fold_trained(tmp_path, 15, "syntax", "minilm", ())
    assert not fold_trained(tmp_path, 15, "syntax", "minilm", ("rams",))
    (tmp_path / META).write_text(json.dumps({**meta, "role_corpora": ["rams"]}))
    assert fold_trained(tmp_path, 15, "syntax", "minilm", ("rams",))
    assert not fold_trained(tmp_path, 15, True, "minilm", ("rams",))
    assert not fold_trained(tmp_path, 15, "syntax", "minilm", ("rams",), learning_rate=1e-4)
