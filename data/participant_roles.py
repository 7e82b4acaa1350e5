"""Who did what to whom, as the corpora annotate it: each corpus's argument roles mapped to the
records' two roles, `actor` (the doer) and `recipient` (acted upon or addressed), written down
in one place so that training and scoring read the same mapping.

A reader keeps the corpus's own roles in `meta["participants"]` as (event span, participant
span, role, entity type) and names its scheme in `meta["role_scheme"]`; `gold_roles` maps them.

- **MEANTIME** (PropBank roles on its HAS_PARTICIPANT links): Arg0 acts; Arg1 and Arg2 of a
  person or organisation receive.
- **RAMS** (Ebner et al. 2020; its roles after the `evtNNNargNN` prefix) and **WikiEvents**
  (Li et al. 2021, KAIROS roles): the doer roles (communicator, giver, attacker, killer, …) act;
  recipient, victim, target, defendant, detainee and the like receive. `participant`
  (meetings, negotiations: symmetric), `beneficiary` (a transaction's secondary receiver),
  places, instruments, artifacts and money are neither. WikiEvents types its entities: only a
  person, organisation or geopolitical entity (PER, ORG, GPE) takes either role (a *Target*
  that is a building is not a recipient). The lists follow `../shared/README.md`'s counts of
  the roles in each corpus' dev and test files.
- **QA-SRL** (Roit et al. 2020; the question's template slot, data/readers/role_corpora.py's
  `qasrl_slot`): the answer of *Who <verb>ed?* (the active subject) or *Who was someone
  <verb>ed by?* acts; the answer of *Who did someone <verb>?* (the object), *Who was
  <verb>ed?* (the passive subject) or *Who did someone <verb> something to?* receives; other
  *who* questions (*with*, *for*, *from*, *as*, …) are neither. The mapping `../shared/README.md`
  suggests, taken as it is.
"""

from __future__ import annotations

from dateline.data.document import Document, Span

MEANTIME_PARTICIPANTS = {"PER", "ORG"}
RAMS_ACTOR = {
    "communicator",
    "giver",
    "attacker",
    "transporter",
    "preventer",
    "injurer",
    "killer",
    "judgecourt",
    "manufacturer",
    "spy",
    "prosecutor",
    "inspector",
    "investigator",
    "governmentbody",
    "destroyer",
    "damager",
    "damagerdestroyer",
    "jailer",
    "voter",
    "yielder",
    "executioner",
    "demonstrator",
    "founder",
    "extraditer",
    "granter",
    "surrenderer",
    "retreater",
    "observer",
    "monitor",
}
RAMS_RECIPIENT = {
    "recipient",
    "victim",
    "target",
    "defendant",
    "passenger",
    "employee",
    "detainee",
    "inspectedentity",
    "observedentity",
    "deceased",
    "monitoredentity",
}
# KAIROS role names, lower-cased
WIKIEVENTS_ACTOR = {
    "communicator",
    "attacker",
    "killer",
    "transporter",
    "perpetrator",
    "injurer",
    "jailer",
    "giver",
    "judgecourt",
    "impeder",
    "investigator",
    "prosecutor",
    "demonstrator",
    "identifier",
    "observer",
    "damager",
    "manufacturerassembler",
    "destroyer",
    "dismantler",
    "disabler",
    "researcher",
    "treater",
    "regulator",
}
WIKIEVENTS_RECIPIENT = {
    "victim",
    "target",
    "recipient",
    "defendant",
    "detainee",
    "passengerartifact",
    "employee",
    "patient",
}
WIKIEVENTS_PARTICIPANTS = {"PER", "ORG", "GPE"}
QASRL_ACTOR = {"subject", "by"}
QASRL_RECIPIENT = {"object", "passive", "to"}


def meantime_role(sem_role: str, ent_type: str) -> str:
    if sem_role == "Arg0":
        return "actor"
    if sem_role in ("Arg1", "Arg2") and ent_type in MEANTIME_PARTICIPANTS:
        return "recipient"
    return "none"


def rams_role(role: str, _ent_type: str = "") -> str:
    role = role.lower()
    return "actor" if role in RAMS_ACTOR else "recipient" if role in RAMS_RECIPIENT else "none"


def wikievents_role(role: str, ent_type: str) -> str:
    role = role.lower()
    if ent_type not in WIKIEVENTS_PARTICIPANTS:
        return "none"
    return "actor" if role in WIKIEVENTS_ACTOR else "recipient" if role in WIKIEVENTS_RECIPIENT else "none"


def qasrl_role(slot: str, _ent_type: str = "") -> str:
    return "actor" if slot in QASRL_ACTOR else "recipient" if slot in QASRL_RECIPIENT else "none"


SCHEMES = {"meantime": meantime_role, "rams": rams_role, "wikievents": wikievents_role, "qasrl": qasrl_role}


def gold_roles(doc: Document) -> dict[tuple[int, int], list[tuple[Span, str]]]:
    """Per event (start, end): its participants' spans with their mapped roles (actor or
    recipient; the rest left out), under the document's scheme (MEANTIME's by default)."""
    role_of = SCHEMES[doc.meta.get("role_scheme", "meantime")]
    out: dict[tuple[int, int], list[tuple[Span, str]]] = {}
    for event, part, role, ent_type in doc.meta.get("participants", []):
        mapped = role_of(role, ent_type)
        if mapped != "none":
            out.setdefault((event.start, event.end), []).append((part, mapped))
    return out
