"""Names for pronouns and common nouns: the named ACTOR of the article that an actor such as
*he*, *the spokesman* or *the company* refers to, so that an analyst codes *Dmitry Peskov*, not
*he*.

A rule on dateline's spans and spaCy's parse (data/parse.py), in this order:
1. **apposition** — a name in apposition to the mention, or the mention in apposition to a name
   (*Peskov, the Kremlin spokesman*; *the spokesman, Dmitry Peskov*);
2. **a title** — for a common noun, the latest earlier name (else the first later one) that has
   a noun of the same lemma in apposition or as its compound title (*Peskov, the Kremlin
   spokesman* … *the spokesman said*; *the Kremlin spokesman* … *Kremlin Spokesman Dmitry
   Peskov*); a common noun that is neither definite nor titled (*a customer*) is someone new;
3. **the nearest earlier name** — for a plural (*they*, *their*, *we*, *the presidents*) the nearest
   earlier coordination of names (*Putin and Trump*), else the closest named ACTOR before the
   mention, preferring one that is a sentence's subject (the usual antecedent of *he* and *it*).

A mention whose head word is a proper noun is a name and stays as it is (*Pyongyang*). Measured
on MEANTIME's coreference (docs/records.md, *Names for pronouns and common nouns*).
"""

from __future__ import annotations

from dateline.data.document import Span
from dateline.data.parse import DocParse
from dateline.data.syntax_rule import children, head_of

SUBJECTS = {"nsubj", "nsubjpass"}
PLURAL = {"they", "them", "their", "themselves", "we", "us", "our", "ourselves"}
DEFINITE = {"the", "this", "that", "these", "those"}


def is_name(span: Span, parse: DocParse) -> bool:
    return parse.pos[head_of(span, parse)] == "PROPN"


def needs_name(span: Span, parse: DocParse) -> bool:
    """A pronoun or a common noun: what a name is looked for."""
    return parse.pos[head_of(span, parse)] in ("PRON", "NOUN")


def holding(word: int, spans: list[Span]) -> Span | None:
    return next((s for s in spans if s.start <= word < s.end), None)


def apposed(head: int, parse: DocParse) -> list[int]:
    """The words in apposition to `head` or that it is in apposition to; none for a word in a
    list (*the spokesman, Putin and Trump*: the parser's apposition there is a list)."""
    if children(parse, head, {"conj"}) or (
        parse.deps[head] == "appos" and children(parse, parse.heads[head], {"conj"})
    ):
        return []
    return children(parse, head, {"appos"}) + ([parse.heads[head]] if parse.deps[head] == "appos" else [])


def apposed_name(span: Span, names: list[Span], parse: DocParse) -> Span | None:
    linked = apposed(head_of(span, parse), parse)
    return next((n for w in linked if (n := holding(w, names)) is not None and n != span), None)


def definite(head: int, parse: DocParse) -> bool:
    """A common noun with *the*, *this*, *that*, *these* or *those* (*the company*), or a bare
    singular one (headline style: *European aircraft manufacturer wins order*)."""
    dets = children(parse, head, {"det", "poss"})
    owner = any(parse.deps[d] == "poss" and parse.pos[d] != "PRON" for d in dets)  # *the deal's critic*
    return owner or any(parse.lemmas[d] in DEFINITE for d in dets) or (not dets and parse.tags[head] == "NN")


def titles(name: Span, parse: DocParse) -> set[str]:
    """The lemmas of the words that title a name: a common noun in apposition to it (*Peskov,
    the spokesman*), or a word compounded with it, inside its span or before it (*Kremlin
    Spokesman Dmitry Peskov*, *spokesman Dmitry Peskov*)."""
    head = head_of(name, parse)
    around = [w for w in apposed(head, parse) if parse.pos[w] == "NOUN"] + children(parse, head, {"compound"})
    inside = [w for w in range(name.start, name.end) if w != head]
    return {parse.lemmas[w] for w in around + inside}


def coordinated(name: Span, names: list[Span], parse: DocParse) -> list[Span]:
    """The names coordinated with `name` (*Putin and Trump*), in text order; just itself if none."""
    head = head_of(name, parse)
    group = [head] + children(parse, head, {"conj"}) + ([parse.heads[head]] if parse.deps[head] == "conj" else [])
    found = [n for w in group if (n := holding(w, names)) is not None]
    return sorted(set(found), key=lambda n: n.start) if len(set(found)) > 1 else [name]


def antecedent(span: Span, names: list[Span], parse: DocParse) -> list[Span]:
    """The named ACTOR span(s) a pronoun or common noun refers to; [] where the rule finds none."""
    head = head_of(span, parse)
    found = apposed_name(span, names, parse)
    if found is not None:
        return [found]
    earlier = [n for n in names if n.end <= span.start]
    if parse.pos[head] == "NOUN":
        later = [n for n in names if n.start >= span.end]
        titled = [n for n in reversed(earlier) if parse.lemmas[head] in titles(n, parse)]
        titled += [n for n in later if parse.lemmas[head] in titles(n, parse)]
        if titled:
            return [titled[0]]
        if not definite(head, parse):
            return []  # *a customer*, *business units*: someone new, not a name seen before
    if not earlier:
        return []
    if parse.lemmas[head] in PLURAL or parse.tags[head] == "NNS":
        groups = [g for n in reversed(earlier) if len(g := coordinated(n, names, parse)) > 1]
        if groups:
            return groups[0]
    subjects = [n for n in earlier if parse.deps[head_of(n, parse)] in SUBJECTS]
    return [(subjects or earlier)[-1]]


def resolve_names(spans: list[Span], parse: DocParse) -> dict[Span, list[Span]]:
    """For each ACTOR span that is a pronoun or a common noun, the named ACTOR span(s) it refers
    to (a plural pronoun can name a coordination: *they* → Putin, Trump), where the rule finds
    any; `spans` are one document's, in any order."""
    actors = sorted((s for s in spans if s.label == "ACTOR"), key=lambda s: s.start)
    names = [s for s in actors if is_name(s, parse)]
    out = {span: antecedent(span, names, parse) for span in actors if needs_name(span, parse)}
    return {span: found for span, found in out.items() if found}
