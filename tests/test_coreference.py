"""Names for pronouns and common nouns (data/coreference.py), on articles parsed by the real
English pipeline (the `syntax` extra, which `make test` installs)."""

from __future__ import annotations

from dateline.data.coreference import resolve_names
from dateline.data.document import Span
from dateline.data.parse import parse_documents
from dateline.data.text import document_from_text


def names(text: str, actors: list[str]) -> dict[str, list[str]]:
    """{actor text: the names it refers to} for the actors given (each its first occurrence, or
    `text@n` for the n-th)."""
    doc = document_from_text("a", text)
    spans = []
    for actor in actors:
        words, _, nth = actor.partition("@")
        parts, seen = words.split(), 0
        for i in range(len(doc.words)):
            if doc.words[i : i + len(parts)] == parts:
                seen += 1
                if seen == int(nth or 1):
                    spans.append(Span(i, i + len(parts), "ACTOR"))
                    break
        else:
            raise AssertionError(f"{actor!r} not in {doc.words}")
    found = resolve_names(spans, parse_documents([doc])[0])
    return {doc.span_text(s): [doc.span_text(n) for n in found[s]] for s in found}


def test_apposition_names_the_common_noun():
    text = "Dmitry Peskov, the Kremlin spokesman, told reporters that talks were planned."
    assert names(text, ["Dmitry Peskov", "the Kremlin spokesman"]) == {"the Kremlin spokesman": ["Dmitry Peskov"]}


def test_a_title_seen_before_names_the_noun_later():
    text = "Kremlin spokesman Dmitry Peskov spoke on Monday. Trump arrived in Hanoi. Later the spokesman declined to comment."
    assert names(text, ["Dmitry Peskov", "Trump", "the spokesman"]) == {"the spokesman": ["Dmitry Peskov"]}


def test_a_pronoun_takes_the_nearest_earlier_subject():
    text = "Putin met Trump in Da Nang on Friday. He said the talks went well."
    assert names(text, ["Putin", "Trump", "He"]) == {"He": ["Putin"]}


def test_a_plural_pronoun_takes_a_coordination_of_names():
    text = "Putin and Trump met in Da Nang. They discussed North Korea."
    assert names(text, ["Putin", "Trump", "They"]) == {"They": ["Putin", "Trump"]}


def test_someone_new_and_names_get_no_name():
    text = "Boeing delivered ten planes to Ryanair. A customer complained about the delay."
    assert names(text, ["Boeing", "Ryanair", "A customer"]) == {}


def one_word_spans(text: str, labelled: list[tuple[str, str]]):
    """The article and a one-word span (confidence 0.9) on the first occurrence of each word."""
    from dateline.data.position_rule import Found

    doc = document_from_text("a", text)
    return doc, [Found(Span(doc.words.index(w), doc.words.index(w) + 1, label), 0.9) for w, label in labelled]


def test_records_carry_the_name_a_pronoun_refers_to():
    from dateline.tagging.records import document_records

    doc, spans = one_word_spans(
        "Putin met Trump in Da Nang. He said the talks went well.",
        [("Putin", "ACTOR"), ("met", "EVENT"), ("Trump", "ACTOR"), ("He", "ACTOR"), ("said", "EVENT")],
    )
    records = {r["event_text"]: r for r in document_records(doc, spans, {}, "syntax", parse=parse_documents([doc])[0])}
    (he,) = records["said"]["actor"]
    assert he["text"] == "He" and he["refers_to"] == [{"text": "Putin", "start": 0, "end": 5}]
    assert "refers_to" not in records["met"]["actor"][0]  # a name stays as it is


def test_records_read_the_parse_of_the_sentences_with_an_actor_only():
    from dateline.tagging.records import document_records, with_actors

    doc, spans = one_word_spans(
        "Putin met Trump in Da Nang. The summit ended on Sunday. He said the talks went well.",
        [
            ("Putin", "ACTOR"),
            ("met", "EVENT"),
            ("Trump", "ACTOR"),
            ("ended", "EVENT"),
            ("He", "ACTOR"),
            ("said", "EVENT"),
        ],
    )
    (only,) = with_actors([doc], [spans])
    assert only == [doc.sentences[0], doc.sentences[2]]
    part, full = parse_documents([doc], only=[only])[0], parse_documents([doc])[0]
    left_out = range(*doc.sentences[1])
    assert all(part.heads[i] == i and part.deps[i] == "" for i in left_out)
    assert any(full.deps[i] for i in left_out)
    assert document_records(doc, spans, {}, "syntax", parse=part) == document_records(
        doc, spans, {}, "syntax", parse=full
    )
