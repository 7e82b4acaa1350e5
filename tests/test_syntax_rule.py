"""The syntax rule (data/syntax_rule.py) on the constructions an analyst expects, parsed by the
real English pipeline (the `syntax` extra, which `make test` installs)."""

from __future__ import annotations

from dateline.data.document import Document, Span, Token
from dateline.data.parse import parse_documents
from dateline.data.position_rule import Found
from dateline.data.syntax_rule import explained_links, syntax_links


def parsed(sentence: str, event: str, actors: list[str]):
    """(words, the EVENT span, the ACTORs found, the parse) of one sentence; `event` is a word,
    or words joined by _."""
    words = sentence.replace(",", " ,").replace(".", " .").replace("'s", " 's").split()
    tokens, pos = [], 0
    for w in words:
        tokens.append(Token(w, pos, pos + len(w)))
        pos += len(w) + 1

    def span(text: str, label: str) -> Span:
        parts = text.split("_")
        for i in range(len(words)):
            if words[i : i + len(parts)] == parts:
                return Span(i, i + len(parts), label)
        raise AssertionError(f"{text!r} not in {words}")

    doc = Document("d", " ".join(words), tokens, [(0, len(words))])
    found = [Found(span(a, "ACTOR"), 1.0) for a in actors]
    return words, span(event, "EVENT"), found, parse_documents([doc])[0]


def links(sentence: str, event: str, actors: list[str]) -> tuple[list[str], list[str]]:
    """(actor texts, recipient texts) of `event` among `actors`."""
    words, ev, found, parse = parsed(sentence, event, actors)
    doers, recipients = syntax_links(ev, found, parse)
    text = lambda fs: [" ".join(words[f.span.start : f.span.end]) for f in fs]  # noqa: E731
    return text(doers), text(recipients)


def test_each_link_says_which_relation_named_it():
    words, ev, found, parse = parsed(
        "Ukraine was attacked by Russia and Belarus.", "attacked", ["Ukraine", "Russia", "Belarus"]
    )
    doers, recipients = explained_links(ev, found, parse)
    named = lambda side: [(words[f.span.start], why) for f, why in side]  # noqa: E731
    assert named(doers) == [("Russia", "pobj:by"), ("Belarus", "conj")]
    assert named(recipients) == [("Ukraine", "nsubjpass")]


def test_active_subject_acts_and_object_receives():
    assert links("Russia attacked Ukraine on Monday.", "attacked", ["Russia", "Ukraine"]) == (["Russia"], ["Ukraine"])


def test_passive_agent_acts_and_subject_receives():
    assert links("Ukraine was attacked by Russia.", "attacked", ["Ukraine", "Russia"]) == (["Russia"], ["Ukraine"])


def test_reporting_verbs_with_a_hearer():
    assert links("Putin told reporters that talks went well.", "told", ["Putin", "reporters"]) == (
        ["Putin"],
        ["reporters"],
    )


def test_coordinated_subjects_both_act():
    assert links("Putin and Trump met in Da Nang.", "met", ["Putin", "Trump"]) == (["Putin", "Trump"], [])


def test_control_carries_the_subject_into_the_infinitive():
    assert links("Moscow agreed to cooperate with Washington.", "cooperate", ["Moscow", "Washington"]) == (
        ["Moscow"],
        ["Washington"],
    )


def test_event_nouns_reach_their_arguments():
    assert links("Putin held talks with Trump.", "talks", ["Putin", "Trump"]) == (["Putin"], ["Trump"])
    # spaCy lemmatises *waging* as *wag*: the support verb is still found
    assert links("The three countries are waging assaults on the rebels.", "assaults", ["countries", "rebels"]) == (
        ["countries"],
        ["rebels"],
    )
    assert links("China condemned the attack on Japan.", "attack", ["China", "Japan"]) == ([], ["Japan"])
    assert links("Moscow's response to Washington was swift.", "response", ["Moscow", "Washington"]) == (
        ["Moscow"],
        ["Washington"],
    )


def test_apposition_joins_the_subject():
    assert links("Peskov, the Kremlin spokesman, said nothing.", "said", ["Peskov", "the_Kremlin_spokesman"]) == (
        ["Peskov", "the Kremlin spokesman"],
        [],
    )


def test_an_actor_inside_the_subjects_phrase():
    assert links("The chief executive of Airbus visited Boeing.", "visited", ["Airbus", "Boeing"]) == (
        ["Airbus"],
        ["Boeing"],
    )


def test_parse_heads_are_document_token_indices_sentence_by_sentence():
    words = "Putin spoke . Trump listened .".split()
    tokens = [Token(w, 2 * i, 2 * i + 1) for i, w in enumerate(words)]
    parse = parse_documents([Document("d", " ".join(words), tokens, [(0, 3), (3, 6)])])[0]
    assert parse.heads[0] == 1 and parse.heads[3] == 4 and parse.deps[4] == "ROOT" and parse.heads[4] == 4
    assert len(parse.heads) == len(words)


def test_records_link_by_syntax_on_the_articles_own_offsets():
    """document_records(linking="syntax"): the parse of the article links its spans; offsets index
    the text as given."""
    from dateline.data.text import document_from_text
    from dateline.tagging.records import document_records

    text = "Moscow was accused by Kyiv of shelling, said Peskov."
    doc = document_from_text("a", text)
    at = lambda word: next(i for i, t in enumerate(doc.tokens) if t.text == word)  # noqa: E731
    spans = [
        Found(Span(at(w), at(w) + 1, label), 0.9)
        for w, label in [
            ("Moscow", "ACTOR"),
            ("accused", "EVENT"),
            ("Kyiv", "ACTOR"),
            ("said", "EVENT"),
            ("Peskov", "ACTOR"),
        ]
    ]
    records = document_records(doc, spans, {}, "syntax", parse=parse_documents([doc])[0])
    by_event = {r["event_text"]: r for r in records}
    assert [a["text"] for a in by_event["accused"]["actor"]] == ["Kyiv"]
    assert [a["text"] for a in by_event["accused"]["recipient"]] == ["Moscow"]
    assert [(a["link_method"], a["link_relation"]) for a in by_event["accused"]["actor"]] == [("syntax", "pobj:by")]
    assert [a["text"] for a in by_event["said"]["actor"]] == ["Peskov"]
    assert text[by_event["said"]["actor"][0]["start"] : by_event["said"]["actor"][0]["end"]] == "Peskov"


def test_without_the_parser_installed_one_line_says_how_to_install_it(monkeypatch):
    import importlib

    import pytest

    from dateline.data import parse
    from dateline.errors import DatelineError

    real = importlib.import_module

    def missing(name, *args):
        if name == parse.PACKAGE:
            raise ImportError(name)
        return real(name, *args)

    parse.parser.cache_clear()
    monkeypatch.setattr(importlib, "import_module", missing)
    with pytest.raises(
        DatelineError, match=r"linking=syntax needs the English dependency parser: pip install -e '.\[syntax\]'"
    ):
        parse.parser()
    parse.parser.cache_clear()


def test_raising_carries_the_subject_into_the_infinitive():
    assert links("Putin and Trump are likely to discuss trade.", "discuss", ["Putin", "Trump"]) == (
        ["Putin", "Trump"],
        [],
    )


def test_an_infinitive_on_a_noun_takes_the_owner_or_the_support_verbs_subject():
    assert links("They have a chance to hold talks with Japan.", "talks", ["They", "Japan"]) == (["They"], ["Japan"])
    assert links(
        "Moscow's decision to attack Kyiv surprised Washington.", "attack", ["Moscow", "Kyiv", "Washington"]
    ) == (
        ["Moscow"],
        ["Kyiv"],
    )
    # a verb that reacts to someone else's plan gives it no actor
    assert links("Russia rejected the plan to strike Syria.", "strike", ["Russia", "Syria"]) == ([], ["Syria"])


def test_a_possessive_pronoun_in_the_objects_phrase_receives_nothing():
    assert links("Boeing reduced its design effort.", "reduced", ["Boeing", "its"]) == (["Boeing"], [])
    # a named owner there still receives, and a pronoun owner in the subject's phrase still acts
    assert links("Russia attacked Ukraine's embassy.", "attacked", ["Russia", "Ukraine"]) == (["Russia"], ["Ukraine"])
    assert links("His spokesman attacked Kyiv.", "attacked", ["His", "Kyiv"]) == (["His"], ["Kyiv"])


def test_a_clause_on_a_preposition_takes_the_governors_subject():
    assert links("Russia responded by attacking Ukraine.", "attacking", ["Russia", "Ukraine"]) == (
        ["Russia"],
        ["Ukraine"],
    )
    assert links("Trump caused a stir by refusing to help NATO.", "help", ["Trump", "NATO"]) == (["Trump"], ["NATO"])


def test_under_a_passive_verb_its_subject_does_the_clause():
    # the one asked, charged or stabbed does the clause's act, not the passive's agent
    assert links("The rebels were asked by Qatar to free the hostages.", "free", ["rebels", "Qatar", "hostages"]) == (
        ["rebels"],
        ["hostages"],
    )
    assert links("Smith was charged with killing Jones.", "killing", ["Smith", "Jones"]) == (["Smith"], ["Jones"])
    # the passive itself still takes its agent, and a coordinated verb is not a controlled clause
    assert links("Smith was arrested by police and charged.", "charged", ["Smith", "police"])[0] == ["police"]


def test_a_headline_without_its_copula_has_its_names_as_subject():
    headline = "Putin, Trump likely to discuss North Korea issue at APEC summit"
    assert links(headline, "discuss", ["Putin", "Trump", "Korea"]) == (["Putin", "Trump"], ["Korea"])
