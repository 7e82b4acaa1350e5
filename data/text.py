"""Raw text -> tokens and sentences that keep exact character offsets into the text as given.

The text is never altered: tokens are (start, end) slices of it, so any span predicted on
tokens maps back to the original characters. Rules, chosen for news copy:
- tokens: abbreviations with periods (U.S., Mr.), numbers (3.5, 1,000, 2017-11-07 stays three
  tokens around hyphens), words, clitics ('s, n't), and any other non-space character alone;
- sentences end at a line break, or after . ! ? (and closing quotes/brackets) when the next
  token starts with a capital, a digit or a quote, unless the period belongs to a known
  abbreviation.
"""

from __future__ import annotations

import re

from dateline.data.document import Document, Token

ABBREVIATIONS = (
    "Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Capt|Sen|Rep|Gov|Pres|St|Jr|Sr|Inc|Co|Corp|Ltd|vs|etc|No|Vol"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mt|Ft|approx|est|Adm|Cmdr|Rev|Hon|Gov"
)
TOKEN = re.compile(
    rf"(?:[A-Za-z]\.){{2,}}"  # U.S. / e.g.
    rf"|(?:{ABBREVIATIONS})\.(?=\s)"  # Mr.
    r"|\d+(?:[.,:]\d+)*"  # 3.5  1,000  10:30
    r"|n['’]t\b"  # n't
    r"|\w+?(?=n['’]t\b)"  # do|n't
    r"|['’](?:s|re|ve|ll|d|m)\b"  # 's 're
    r"|[^\W_]+(?:_[^\W_]+)*"  # words
    r"|\S",  # anything else, one character at a time
    re.UNICODE,
)
ENDERS = {".", "!", "?"}
CLOSERS = {'"', "'", "”", "’", ")", "]", "»"}


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def split_sentences(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Token index ranges [start, end) of sentences."""
    sentences, start = [], 0
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is None:
            break
        gap = text[tok.end : nxt.start]
        boundary = "\n" in gap
        if not boundary and (tok.text in ENDERS or (tok.text in CLOSERS and i > 0 and tokens[i - 1].text in ENDERS)):
            first = nxt.text[:1]
            boundary = bool(gap) and (first.isupper() or first.isdigit() or nxt.text in CLOSERS or first in '"“«(')
            if tok.text in CLOSERS and nxt.text in CLOSERS:
                boundary = False
        if boundary:
            sentences.append((start, i + 1))
            start = i + 1
    if start < len(tokens):
        sentences.append((start, len(tokens)))
    return sentences


def document_from_text(doc_id: str, text: str, meta: dict | None = None) -> Document:
    tokens = tokenize(text)
    return Document(id=doc_id, text=text, tokens=tokens, sentences=split_sentences(text, tokens), meta=meta or {})
