"""CoNLL-style token files: one token a line with its tag in a column, a blank line between
sentences, `-DOCSTART-` lines between articles (`-DOCSTART- <id>` names the article; CoNLL-2003: `token POS chunk NER`, so
`token_column: 0`, `tag_column: -1`, the defaults). Tags are IOB2, IOB1 (an `I-X` that opens a
span is read as `B-X`, as conlleval does) or BIOES/BILOU (`S-`/`U-` open and close a span,
`E-`/`L-` close one). A file without `-DOCSTART-` has no article boundaries: each sentence is an
article of its own, and a split by article is then a split by sentence (results.json says so).

`data=conll data.path=<file or folder>` (files `train.<ext>`, `dev.<ext>`, `test.<ext>` where
the user has them); cameo_roles (ConfliBERT's `data/cameo_ner`: BIO roles `S` source, `T`
target, `R` joint actors, `train.txt` and `test.txt`, no article boundaries) is `data=cameo_roles`.
The text of an article is its tokens joined by single spaces, one sentence a line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dateline.data.document import join_tokens
from dateline.data.labels import bio_to_spans
from dateline.data.readers.user import Article, Labeled, UserCorpusReader
from dateline.errors import DatelineError
from dateline.io import read_text

OPENERS, CLOSERS = {"B", "S", "U"}, {"E", "L", "S", "U"}


def iob2(tags: list[str]) -> list[str]:
    """IOB1 / IOB2 / BIOES / BILOU tags as IOB2."""
    out: list[str] = []
    for k, tag in enumerate(tags):
        if tag == "O":
            out.append("O")
            continue
        prefix, label = tag[0], tag[2:]
        prev = tags[k - 1] if k else "O"
        continues = prev != "O" and prev[2:] == label and prev[0] not in CLOSERS
        out.append(f"I-{label}" if prefix not in OPENERS and continues else f"B-{label}")
    return out


def valid_tag(tag: str) -> bool:
    return tag == "O" or (len(tag) > 2 and tag[0] in "BIESLU" and tag[1] == "-")


def read_conll(path: Path, token_column: int = 0, tag_column: int = -1) -> Iterator[Article]:
    """Articles of one file: (token, tag) lines grouped into sentences and articles."""
    lines = read_text(path).split("\n")
    articles: list[list[tuple[list[str], list[str], list[int]]]] = [[]]
    names: dict[int, str] = {}  # article index -> the id a `-DOCSTART- <id>` line gives it
    words, tags, where = [], [], []
    has_docstart = any(line.startswith("-DOCSTART-") for line in lines)

    def end_sentence():
        nonlocal words, tags, where
        if words:
            articles[-1].append((words, tags, where))
            if not has_docstart:
                articles.append([])
        words, tags, where = [], [], []

    for lineno, raw in enumerate(lines, start=1):
        line = raw.removesuffix("\r")
        if line.startswith("-DOCSTART-"):
            end_sentence()
            if articles[-1]:
                articles.append([])
            fields = line.split()
            if len(fields) > 1 and fields[1] not in ("-X-", "O"):
                names[len(articles) - 1] = fields[1]
            continue
        fields = line.split()
        if not fields:
            end_sentence()
            continue
        try:
            token, tag = fields[token_column], fields[tag_column]
        except IndexError:
            raise DatelineError(
                f"expected a token in column {token_column} and a tag in column {tag_column}, got {line[:60]!r}",
                path,
                f"line {lineno}",
            ) from None
        if len(fields) < 2 or not valid_tag(tag):
            raise DatelineError(
                f"expected a token and a tag O, B-<type> or I-<type> (or E-/S-), got {line[:60]!r}",
                path,
                f"line {lineno}",
            )
        words.append(token)
        tags.append(tag)
        where.append(lineno)
    end_sentence()
    for n, (k, sentences) in enumerate((k, a) for k, a in enumerate(articles) if a):
        text, tokens, ranges = join_tokens([w for w, _, _ in sentences])
        spans = []
        for (a, _), (_, sent_tags, lines_of) in zip(ranges, sentences):
            for s in bio_to_spans(iob2(sent_tags)):
                where = f"line {lines_of[s.start]}"
                spans.append(Labeled(tokens[a + s.start].start, tokens[a + s.end - 1].end, s.label, where))
        first = f"line {sentences[0][2][0]}"
        yield Article(names.get(k, f"{path.name.split('.')[0]}#{n}"), text, spans, path, first, tokens, ranges)


class ConllReader(UserCorpusReader):
    name = "conll"
    format_name = "CoNLL"
    extensions = (".conll", ".conllu", ".iob", ".iob2", ".bio", ".tsv", ".txt")

    def __init__(self, *args, token_column: int = 0, tag_column: int = -1, **kw):
        super().__init__(*args, **kw)
        self.token_column, self.tag_column = int(token_column), int(tag_column)

    def read_file(self, path: Path, base: Path) -> Iterator[Article]:
        return read_conll(path, self.token_column, self.tag_column)
