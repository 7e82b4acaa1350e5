"""CAT XML (the Content Annotation Tool format of ECB+ and MEANTIME): tokens, token-anchored
mentions, instance markables (no anchors) and relations, read once for both corpora."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from dateline.data.document import Document, Mention, join_tokens
from dateline.errors import DatelineError


class Relation(NamedTuple):
    tag: str
    sources: list[str]  # m_ids
    targets: list[str]
    attrs: dict


@dataclass
class CatFile:
    path: Path
    words: list[list[str]]
    sentence_ids: list[int]
    mentions: list[Mention]
    instances: dict[str, tuple[str, dict]] = field(default_factory=dict)  # m_id -> (tag, attributes)
    relations: list[Relation] = field(default_factory=list)

    def document(self, doc_id: str, gold: list[bool] | None = None, meta: dict | None = None) -> Document:
        text, tokens, ranges = join_tokens(self.words)
        return Document(doc_id, text, tokens, ranges, gold=gold or [], meta={**(meta or {}), "source": str(self.path)})


def read_cat(path: Path) -> CatFile:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise DatelineError(f"malformed XML: {e}", path) from None
    by_sentence: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for el in root.iter("token"):
        try:
            sent, num, tid = int(el.get("sentence")), int(el.get("number")), el.get("t_id")
        except (TypeError, ValueError):
            raise DatelineError(f"token without numeric sentence/number: {ET.tostring(el)[:80]!r}", path) from None
        by_sentence[sent].append((num, tid, el.text or ""))
    sentence_ids = sorted(by_sentence)
    t_index: dict[str, int] = {}
    words: list[list[str]] = []
    for sent in sentence_ids:
        row = []
        for _, tid, word in sorted(by_sentence[sent]):
            t_index[tid] = len(t_index)
            row.append(word if word.strip() else "_")
        words.append(row)
    mentions, instances = [], {}
    markables = root.find("Markables")
    for m in markables if markables is not None else []:
        anchors = [a.get("t_id") for a in m.findall("token_anchor")]
        attrs = {k: v for k, v in m.attrib.items()}
        if not anchors:
            instances[m.get("m_id", "")] = (m.tag, attrs)
            continue
        missing = [a for a in anchors if a not in t_index]
        if missing:
            raise DatelineError(
                f"markable {m.tag} m_id={m.get('m_id')} anchors token t_id={missing[0]}, which does not exist", path
            )
        mentions.append(
            Mention(
                m.tag,
                tuple(t_index[a] for a in anchors),
                m.get("m_id", ""),
                tuple(attrs.items()),
                f"{path.name} m_id={m.get('m_id', '')}",
            )
        )
    relations = []
    rels = root.find("Relations")
    for r in rels if rels is not None else []:
        sources, targets = [s.get("m_id") for s in r.findall("source")], [t.get("m_id") for t in r.findall("target")]
        relations.append(Relation(r.tag, sources, targets, dict(r.attrib)))
    return CatFile(path, words, sentence_ids, mentions, instances, relations)
