"""The MEANTIME reader: spans, and the HAS_PARTICIPANT links kept for who did what to whom."""

from __future__ import annotations

from pathlib import Path

from dateline.data.document import Span
from dateline.data.readers.meantime import read_document

WORDS = "Russia sanctioned the bank on Monday .".split()
CAT = """<?xml version="1.0" ?><Document doc_id="1" doc_name="t">
{tokens}
<Markables>
<ENTITY_MENTION m_id="1"><token_anchor t_id="1"/></ENTITY_MENTION>
<EVENT_MENTION m_id="2"><token_anchor t_id="2"/></EVENT_MENTION>
<ENTITY_MENTION m_id="3"><token_anchor t_id="3"/><token_anchor t_id="4"/></ENTITY_MENTION>
<ENTITY m_id="10" ent_type="ORG"/>
<ENTITY m_id="11" ent_type="FIN"/>
<EVENT m_id="12" class="OCCURRENCE"/>
</Markables>
<Relations>
<REFERS_TO r_id="1"><source m_id="1"/><target m_id="10"/></REFERS_TO>
<REFERS_TO r_id="2"><source m_id="3"/><target m_id="11"/></REFERS_TO>
<REFERS_TO r_id="3"><source m_id="2"/><target m_id="12"/></REFERS_TO>
<HAS_PARTICIPANT r_id="4" sem_role="Arg0"><source m_id="2"/><target m_id="1"/></HAS_PARTICIPANT>
<HAS_PARTICIPANT r_id="5" sem_role="Arg1"><source m_id="2"/><target m_id="3"/></HAS_PARTICIPANT>
<HAS_PARTICIPANT r_id="6" sem_role="Arg1"><source m_id="2"/><target m_id="99"/></HAS_PARTICIPANT>
</Relations>
</Document>
"""


def test_participant_links_carry_role_and_entity_type(tmp_path: Path):
    tokens = "\n".join(f'<token number="{i}" sentence="0" t_id="{i + 1}">{w}</token>' for i, w in enumerate(WORDS))
    path = tmp_path / "corpus_x" / "1_t.xml"
    path.parent.mkdir()
    path.write_text(CAT.format(tokens=tokens))
    doc = read_document(path)
    assert {(s.start, s.end, s.label) for s in doc.spans} == {(0, 1, "ACTOR"), (1, 2, "EVENT")}  # FIN: no type
    # the link to a markable that does not exist (m_id 99) is left out
    assert doc.meta["participants"] == [
        (Span(1, 2, "EVENT"), Span(0, 1, "ENTITY_MENTION"), "Arg0", "ORG"),
        (Span(1, 2, "EVENT"), Span(2, 4, "ENTITY_MENTION"), "Arg1", "FIN"),
    ]
