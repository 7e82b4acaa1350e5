"""Writes a small TempEval-3 folder in the TimeML and TE3-Platinum formats for the tests."""

from __future__ import annotations

import csv
from pathlib import Path

from dateline.data.readers import timeml

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>{name}</DOCID>
<TEXT>
Officials <EVENT eid="e1" class="REPORTING">said</EVENT> on <TIMEX3 tid="t1" type="DATE" value="1998">Monday</TIMEX3> the talks <EVENT eid="e2" class="OCCURRENCE">collapsed</EVENT> &amp; would <EVENT eid="e3" class="OCCURRENCE">resume</EVENT>.
The <EVENT eid="e4" class="OCCURRENCE">cease-fire</EVENT> <SIGNAL sid="s1">after</SIGNAL> the <EVENT eid="e5" class="STATE">war</EVENT> held.
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB" />
<MAKEINSTANCE eventID="e2" eiid="ei2" tense="PAST" aspect="NONE" polarity="NEG" pos="VERB" />
<MAKEINSTANCE eventID="e3" eiid="ei3" tense="NONE" aspect="NONE" polarity="POS" modality="would" pos="VERB" />
<MAKEINSTANCE eventID="e4" eiid="ei4" tense="NONE" aspect="NONE" polarity="POS" pos="NOUN" />
<MAKEINSTANCE eventID="e4" eiid="ei9" tense="FUTURE" aspect="NONE" polarity="NEG" pos="NOUN" />
</TimeML>
"""
PLATINUM_HEADER = ["Doc Id", "Sentence Id", "Token Id Doc", "Token", "Is Event", "Event Id", "Event Class"]
PLATINUM_ROWS = [
    ("nyt_a", 0, 1, "Rebels", 0, "O", "O"),
    ("nyt_a", 0, 2, "attacked", 1, "e1", "B-OCCURRENCE"),
    ("nyt_a", 0, 3, "the", 0, "O", "O"),
    ("nyt_a", 0, 4, "town", 0, "O", "O"),
    ("nyt_a", 1, 5, "Police", 0, "O", "O"),
    ("nyt_a", 1, 6, "said", 1, "e2", "B-REPORTING"),
    ("nyt_a", 1, 7, "so", 0, "O", "O"),
]


def make_tempeval3(root: Path, n_docs: int = 10) -> Path:
    """A TempEval-3 folder: `n_docs` TimeBank articles (the same text) and a TE3-Platinum CSV."""
    tbaq = root / "tempeval3" / timeml.TBAQ
    for i in range(n_docs):
        part = tbaq / ("AQUAINT" if i % 2 else "TimeBank")
        part.mkdir(parents=True, exist_ok=True)
        (part / f"doc{i:02d}.tml").write_text(TML.format(name=f"doc{i:02d}"))
    platinum = root / "tempeval3" / timeml.PLATINUM
    platinum.mkdir(parents=True)
    with (platinum / timeml.PLATINUM_TOKENS).open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(PLATINUM_HEADER)
        writer.writerows(PLATINUM_ROWS)
    return root
