"""CoNLL-style token files (`token tag` a line, a blank line between sentences) -> `Document`s.

The cameo_roles corpus (political news; BIO roles `S` source actor, `T` target actor, `R`
joint actors) comes this way, with a train and a test file only. Each sentence is a `Document`
of its own: the files carry no article boundaries, so confidence intervals resample sentences.
Dev is every `dev_every`-th training sentence (fixed, spread over the file); the rest trains.
An `I-X` that opens a span (after `O` or another type) is read as `B-X`, as conlleval does:
three tags of cameo_roles are written so, and dropping their spans would lose gold.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dateline.data.cat import Mention
from dateline.data.document import Document, join_tokens
from dateline.data.labels import bio_to_spans
from dateline.errors import CorpusNotFoundError, DatelineError

SPLIT_FILES = {"train": "train.txt", "dev": "train.txt", "test": "test.txt"}


def find_corpus(root: Path, folder: str) -> Path:
    """The corpus folder `folder` inside the corpora folder (or `root` itself)."""
    for candidate in (root / folder, root):
        if (candidate / "train.txt").is_file() and (candidate / "test.txt").is_file():
            return candidate
    raise CorpusNotFoundError(f"{folder} not found (expected {folder}/train.txt and {folder}/test.txt)", root)


def corpus_files(root: Path, folder: str) -> list[Path]:
    corpus = find_corpus(root, folder)
    return [corpus / "train.txt", corpus / "test.txt"]


def read_sentences(path: Path) -> list[tuple[list[str], list[str]]]:
    """(words, tags) per sentence; a line that is not `token tag`, or a tag that is not `O`,
    `B-X` or `I-X`, is refused with its line number."""
    sentences: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        fields = line.split()
        if not fields:
            if words:
                sentences.append((words, tags))
            words, tags = [], []
            continue
        tag = fields[-1]
        if len(fields) != 2 or not (tag == "O" or (tag[:2] in ("B-", "I-") and len(tag) > 2)):
            raise DatelineError(
                f"expected `token tag` with tag O, B-<type> or I-<type>, got {line!r}", path, f"line {lineno}"
            )
        words.append(fields[0])
        tags.append(tag)
    if words:
        sentences.append((words, tags))
    return sentences


def repaired(tags: list[str]) -> list[str]:
    """IOB2 with an `I-X` that opens a span turned into `B-X`."""
    out: list[str] = []
    for tag in tags:
        prev = out[-1] if out else "O"
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def iter_documents(root: Path, folder: str, split: str, dev_every: int = 10) -> Iterator[Document]:
    """The sentences of one split as one-sentence documents; raw mentions (type, token indices)
    go into `meta["mentions"]`, to be mapped by a label scheme like any corpus's."""
    if split not in SPLIT_FILES:
        raise DatelineError(f"split must be one of {', '.join(SPLIT_FILES)}, not {split!r}")
    path = find_corpus(root, folder) / SPLIT_FILES[split]
    for i, (words, tags) in enumerate(read_sentences(path)):
        in_dev = dev_every > 0 and i % dev_every == dev_every - 1
        if split != "test" and in_dev != (split == "dev"):
            continue
        text, tokens, ranges = join_tokens([words])
        mentions = [Mention(s.label, tuple(range(s.start, s.end))) for s in bio_to_spans(repaired(tags))]
        yield Document(f"{folder}/{split}#{i}", text, tokens, ranges, meta={"mentions": mentions, "corpus": folder})
