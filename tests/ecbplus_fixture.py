"""Writes small corpora in the ECB+ CAT XML format for the tests (no real ECB+ needed)."""

from __future__ import annotations

import random
from pathlib import Path
from xml.sax.saxutils import escape

# (words, [(tag, [word indices])]) templates: learnable patterns of actors and events
TEMPLATES = [
    (
        "Police arrested the suspect on Monday .",
        [("HUMAN_PART_ORG", [0]), ("ACTION_OCCURRENCE", [1]), ("HUMAN_PART_PER", [2, 3]), ("TIME_DATE", [5])],
    ),
    (
        "The minister said talks would resume in Geneva .",
        [
            ("HUMAN_PART_PER", [0, 1]),
            ("ACTION_REPORTING", [2]),
            ("ACTION_OCCURRENCE", [3]),
            ("ACTION_ASPECTUAL", [5]),
            ("LOC_GEO", [7]),
        ],
    ),
    (
        "Rebels attacked a convoy near the border .",
        [("HUMAN_PART_MET", [0]), ("ACTION_OCCURRENCE", [1]), ("NON_HUMAN_PART", [2, 3]), ("LOC_GEO", [5, 6])],
    ),
    (
        "She did not attend the summit .",
        [("HUMAN_PART_PER", [0]), ("NEG_ACTION_OCCURRENCE", [3]), ("ACTION_OCCURRENCE", [5])],
    ),
    (
        "Officials called the vote off .",
        [("HUMAN_PART_ORG", [0]), ("ACTION_OCCURRENCE", [1, 4]), ("ACTION_OCCURRENCE", [3])],
    ),
]


def document_xml(name: str, sentences: list[tuple[str, list]], extra_markables: str = "") -> str:
    tokens, markables, t_id, m_id = [], [], 1, 1
    for s, (text, mentions) in enumerate(sentences):
        first = t_id
        for n, word in enumerate(text.split()):
            tokens.append(f'<token t_id="{t_id}" sentence="{s}" number="{n}">{escape(word)}</token>')
            t_id += 1
        for tag, idx in mentions:
            anchors = "".join(f'<token_anchor t_id="{first + i}"/>' for i in idx)
            markables.append(f'<{tag} m_id="{m_id}">{anchors}</{tag}>')
            m_id += 1
    markables.append(f'<ACTION_OCCURRENCE m_id="{m_id}" RELATED_TO="" TAG_DESCRIPTOR="x" instance_id="ACT1"/>')
    return (
        f'<Document doc_name="{name}.xml" doc_id="DOC1">\n'
        + "\n".join(tokens)
        + "\n<Markables>\n"
        + "\n".join(markables)
        + extra_markables
        + "\n</Markables>\n<Relations>\n</Relations>\n</Document>\n"
    )


def make_ecbplus(
    root: Path, topics=(1, 3, 2, 36), docs_per_topic: int = 3, sentences_per_doc: int = 6, seed: int = 0
) -> Path:
    """A corpus folder `root` holding `ecbplus/` in the layout of the release. Sentences 1, 2 and
    4 of each document are gold; sentence 3 keeps its mentions but is not gold."""
    rng = random.Random(seed)
    corpus = root / "ecbplus"
    gold_rows = ["Topic,File,Sentence Number"]
    for topic in topics:
        (corpus / "ECB+" / str(topic)).mkdir(parents=True, exist_ok=True)
        for d in range(1, docs_per_topic + 1):
            kind = "ecbplus" if d % 2 else "ecb"
            name = f"{topic}_{d}{kind}"
            sents = [rng.choice(TEMPLATES) for _ in range(sentences_per_doc)]
            (corpus / "ECB+" / str(topic) / f"{name}.xml").write_text(document_xml(name, sents), encoding="utf-8")
            gold_rows += [f"{topic},{d}{kind},{s}" for s in (1, 2, 4)]
    (corpus / "ECBplus_coreference_sentences.csv").write_text("\n".join(gold_rows) + "\n", encoding="utf-8")
    return root
