"""The syntax rule: who did what to whom from the dependency parse of the sentence.

For an event whose head word is a verb (or an adjective): its subject acts; in the passive its
agent (*was attacked by X*) acts and its subject is the recipient; its object, its dative and
the object of *to*, *with* or *against* are recipients (*X told Y*, *X met with Y*). A verb with
no subject of its own takes its governor's: control (*X agreed to cooperate*; *X urged Y to
cooperate* gives Y), an infinitive on a noun (*X's decision to strike*, *X has a chance to
meet Y*: the noun's owner, else the subject of the support verb that has it), raising (*X is
likely to discuss*; a headline's *X, Y likely to discuss*), coordination (*X arrived and met Y*),
participles and adverbial clauses (*after meeting Y, X said*), clauses on a preposition (*X
responded by imposing sanctions*); under a passive verb the one it is done to (*X was asked to
leave*, *X was charged with killing Y*); a relative pronoun stands for the
noun it modifies (*the country that attacked Y*). For an event noun: its possessor or *by*
object acts (*X's response*, *the attack by X*), an actor word before it acts (*Russian
strikes*), the object of *with*, *to*, *against*, *on* or *toward* is its
recipient (*talks with Y*, *the attack on Y*), and a noun that is the object of a support verb
takes that verb's subject (*X held talks*; not *X condemned the attack*). Each argument brings
the ones coordinated with it (*X and Y met*) and its apposition (*Peskov, the Kremlin
spokesman*).

An argument word names the sentence's ACTOR span that holds it, or an ACTOR inside its noun
phrase (*the chief executive of Airbus*: Airbus), save a possessive pronoun inside a
recipient's phrase (*X reduced its effort*). Actor wins where a span gets both roles.
It is the records' `linking=syntax` (tagging/records.py); it reads words, spans and the parse
(data/parse.py), no model of dateline's.
"""

from __future__ import annotations

from dateline.data.document import Span
from dateline.data.parse import DocParse
from dateline.data.position_rule import Found, pair_roles

SUBJECTS = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "dative", "iobj", "obj", "attr"}
VERB_RECIPIENT_PREPS = {"to", "with", "against"}
NOUN_RECIPIENT_PREPS = {"with", "to", "against", "on", "toward", "towards", "at"}
# a verb without a subject of its own takes its governor's through these relations
INHERITS = {"xcomp", "conj", "advcl", "ccomp", "pcomp", "acl", "relcl", "acomp"}
RELATIVE = {"who", "that", "which", "whom"}
# a clause reached from its verb through these is controlled by a passive governor's subject
CONTROLLED_CLAUSES = {"xcomp", "advcl", "pcomp"}
# a noun phrase's actor words are reached from its head through these
NOUN_PHRASE = {"compound", "poss", "amod", "nmod", "prep", "pobj", "det", "nummod", "case", "punct"}
MAX_HOPS = 4
# verbs whose object noun is the event their subject performs (*X held talks*, *X launched an
# attack*), unlike verbs that react to someone else's event (*X condemned the attack*)
SUPPORT_VERBS = {
    "hold",
    "launch",
    "make",
    "carry",
    "conduct",
    "stage",
    "give",
    "have",
    "take",
    "begin",
    "start",
    "continue",
    "resume",
    "mount",
    "deliver",
    "sign",
    "issue",
    "open",
    "announce",
    "impose",
    "order",
    "file",
    "wage",
    "wag",  # spaCy's lemma of *waging*
    "lead",
    "pay",
    "reach",
    "seal",
    "strike",
    "offer",
    "extend",
    "fire",
    "host",
}


def head_of(span: Span, parse: DocParse) -> int:
    """The span's word whose head lies outside it (its first such word)."""
    for i in range(span.start, span.end):
        if not span.start <= parse.heads[i] < span.end or parse.heads[i] == i:
            return i
    return span.start


def children(parse: DocParse, i: int, deps: set[str]) -> list[int]:
    return [j for j in parse.children(i) if parse.deps[j] in deps]


def prep_objects(parse: DocParse, i: int, preps: set[str]) -> list[int]:
    """The objects of `i`'s prepositions among `preps` (*talks with Y*: Y)."""
    return [
        o
        for p in children(parse, i, {"prep", "agent"})
        if parse.lemmas[p] in preps
        for o in children(parse, p, {"pobj"})
    ]


def subject(parse: DocParse, verb: int, clauses: bool = True, headlines: bool = True) -> list[int]:
    """Who acts for a verb: its subject (the agent of a passive), else its governor's (control,
    coordination, clauses); a relative pronoun stands for the noun its clause modifies.
    `clauses`: a clause on a preposition takes the subject of the preposition's governor (*X
    responded by imposing*, *X was involved in building*), and a clause under a passive verb
    its passive subject (*X was asked to leave*, *X was charged with killing Y*, *X was stabbed
    while teaching*), not the passive's agent. `headlines`: a root with no subject takes the
    names the parser hangs before it as adverbial nouns (a headline without its copula: *Putin,
    Trump likely to discuss*)."""
    arrived = None  # the relation by which the climb reached `verb`
    for _ in range(MAX_HOPS):
        if has_passive(parse, verb):
            if clauses and arrived in CONTROLLED_CLAUSES:
                return children(parse, verb, PASSIVE_SUBJECTS)
            return prep_objects(parse, verb, {"by"})
        found = children(parse, verb, SUBJECTS)
        if not found and headlines and parse.deps[verb] == "ROOT":
            # a headline drops its copula (*Putin, Trump likely to discuss*): the names before
            # the root that the parser hangs on it as adverbial nouns are its subject
            found = [c for c in children(parse, verb, {"npadvmod"}) if c < verb and parse.pos[c] == "PROPN"]
        if found:
            return [
                parse.heads[verb] if parse.lemmas[t] in RELATIVE and parse.deps[verb] == "relcl" else t for t in found
            ]
        governor, dep = parse.heads[verb], parse.deps[verb]
        if governor == verb or dep not in INHERITS:
            return []
        if clauses and dep == "pcomp" and parse.pos[governor] == "ADP" and parse.deps[governor] == "prep":
            governor = parse.heads[governor]  # by doing, in building: past the preposition
        arrived = dep
        if dep == "xcomp" and children(parse, governor, {"dobj"}):
            return children(parse, governor, {"dobj"})  # object control: X urged Y to act
        if dep == "acl" and parse.tags[verb] == "VB" and parse.pos[governor] in ("NOUN", "PROPN"):
            # an infinitive on a noun: the noun's owner acts (X's decision to act), or the subject
            # of the support verb that has the noun (X has a chance to act, X made a decision to act)
            owner = children(parse, governor, {"poss"})
            if owner:
                return owner
            if parse.deps[governor] in OBJECTS and parse.lemmas[parse.heads[governor]] in SUPPORT_VERBS:
                verb = parse.heads[governor]
                continue
            return []
        if dep in ("acl", "relcl") and parse.pos[governor] not in ("VERB", "AUX"):
            # a relative clause's noun (the country that ...), a present participle's (groups fighting Y)
            return [governor] if dep == "relcl" or parse.tags[verb] == "VBG" else []
        verb = governor
    return []


def has_passive(parse: DocParse, verb: int) -> bool:
    return bool(children(parse, verb, PASSIVE_SUBJECTS | {"auxpass", "agent"}))


def arguments(parse: DocParse, head: int) -> tuple[list[int], list[int]]:
    """(actor words, recipient words) of an event headed by `head`."""
    if parse.pos[head] in ("NOUN", "PROPN", "NUM"):
        actors = children(parse, head, {"poss", "compound", "amod"}) + prep_objects(parse, head, {"by"})
        recipients = prep_objects(parse, head, NOUN_RECIPIENT_PREPS)
        governor = parse.heads[head]
        support = parse.deps[head] in OBJECTS and parse.lemmas[governor] in SUPPORT_VERBS
        own = [a for a in actors if parse.deps[a] in ("poss", "pobj") and parse.pos[a] != "PRON"]
        if support and not own:  # a possessive pronoun is the subject's own (X continued its sanctions)
            actors = actors + subject(parse, governor)  # X held talks, X launched an attack
            recipients = recipients + prep_objects(parse, governor, VERB_RECIPIENT_PREPS)
        return actors, recipients
    if has_passive(parse, head):
        actors = prep_objects(parse, head, {"by"})
        recipients = children(parse, head, PASSIVE_SUBJECTS) + children(parse, head, {"dative"})
    elif parse.deps[head] == "acl" and parse.tags[head] == "VBN" and parse.pos[parse.heads[head]] != "VERB":
        # a past participle on a noun is passive: the noun receives (*women imprisoned by X*)
        actors = prep_objects(parse, head, {"by"})
        recipients = [parse.heads[head]] + children(parse, head, {"dative"})
    else:
        actors = subject(parse, head)
        recipients = children(parse, head, OBJECTS) + prep_objects(parse, head, VERB_RECIPIENT_PREPS)
    return actors, recipients


def with_coordinated(parse: DocParse, words: list[int]) -> list[int]:
    """The words and those coordinated with them or in apposition to them (*X and Y*, *X, the
    spokesman*), transitively."""
    out, todo = [], list(words)
    while todo:
        w = todo.pop()
        if w not in out:
            out.append(w)
            todo += children(parse, w, {"conj", "appos"})
    return out


def actor_spans(parse: DocParse, word: int, actors: list[Found], owners: bool = True) -> list[Found]:
    """The ACTOR spans an argument word names: the one that holds it, else those in its noun
    phrase; `owners=False` (a recipient's phrase) passes over a possessive pronoun in it, which
    points back at someone already named (*X reduced its effort*: *its* receives nothing)."""
    holding = [a for a in actors if a.span.start <= word < a.span.end]
    if holding:
        return holding
    phrase, todo = set(), [word]
    while todo:
        w = todo.pop()
        phrase.add(w)
        todo += [
            c
            for c in children(parse, w, NOUN_PHRASE)
            if c not in phrase and (owners or not (parse.deps[c] == "poss" and parse.pos[c] == "PRON"))
        ]
    return [a for a in actors if any(a.span.start <= w < a.span.end for w in phrase)]


def relation(parse: DocParse, word: int) -> str:
    """How an argument word hangs on its head, for the reader of a record: its dependency
    relation, with the preposition for a prepositional object (*pobj:with*)."""
    dep = parse.deps[word]
    return f"{dep}:{parse.lemmas[parse.heads[word]]}" if dep == "pobj" else dep


def explained_links(
    event: Span, actors: list[Found], parse: DocParse
) -> tuple[list[tuple[Found, str]], list[tuple[Found, str]]]:
    """(actors, recipients) of one event among its sentence's ACTORs, from the parse, each with
    the relation of the word that named it (`relation`)."""
    doers, receivers = arguments(parse, head_of(event, parse))

    def spans(words: list[int], owners: bool) -> list[tuple[Found, str]]:
        found: dict[Found, str] = {}
        for w in with_coordinated(parse, words):
            if event.start <= w < event.end:
                continue
            for a in actor_spans(parse, w, actors, owners):
                found.setdefault(a, relation(parse, w))
        return sorted(found.items(), key=lambda item: item[0].span.start)

    doers_found = spans(doers, owners=True)
    taken = {a for a, _ in doers_found}
    return doers_found, [(r, why) for r, why in spans(receivers, owners=False) if r not in taken]


def syntax_links(event: Span, actors: list[Found], parse: DocParse) -> tuple[list[Found], list[Found]]:
    """(actors, recipients) of one event among its sentence's ACTORs, from the parse."""
    doers, receivers = explained_links(event, actors, parse)
    return [a for a, _ in doers], [r for r, _ in receivers]


def syntax_roles(spans: list[Span], parse: DocParse) -> dict[tuple[Span, Span], str]:
    """The syntax rule's role of each (event, ACTOR) pair it links among one sentence's `spans`;
    actor wins where it gives both."""
    actors = [Found(s, 1.0) for s in sorted(spans, key=lambda s: s.start) if s.label == "ACTOR"]
    events = [s for s in spans if s.label == "EVENT"]
    return pair_roles(events, lambda _, ev: syntax_links(ev, actors, parse))
