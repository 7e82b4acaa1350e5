"""Mention replacement: extra training sentences in which mentions of chosen types are swapped
for other mentions of the same type from the training data (the "mention replacement" of Dai &
Adel, COLING 2020, "An Analysis of Simple Data Augmentation for Named Entity Recognition").

Why: test topics bring actors the training topics never name (AMD, Intel); a model that sees each
context with many different names leans on the context more and on memorised names less.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

import datasets

from data.labels import bio_to_spans


def mention_pool(
    rows: Iterable[tuple[Sequence[str], Sequence[str]]], types: Sequence[str]
) -> dict[str, list[list[str]]]:
    """The distinct word sequences labeled with each of `types`, in a fixed (sorted) order."""
    found: dict[str, set[tuple[str, ...]]] = {t: set() for t in types}
    for words, tags in rows:
        for span in bio_to_spans(tags):
            if span.label in found:
                found[span.label].add(tuple(words[span.start : span.end]))
    return {t: [list(m) for m in sorted(found[t])] for t in types}


def replace_mentions(
    words: Sequence[str], tags: Sequence[str], pool: dict[str, list[list[str]]], rate: float, rng: random.Random
) -> tuple[list[str], list[str], int]:
    """One copy of a sentence with each mention of a pooled type replaced with probability
    `rate` by a random mention of its type; returns the new words, tags and how many changed.
    Words outside the replaced mentions keep their tags (also "" = unknown)."""
    new_words: list[str] = []
    new_tags: list[str] = []
    changed, pos = 0, 0
    for span in bio_to_spans(tags):
        if span.label not in pool or not pool[span.label] or rng.random() >= rate:
            continue
        mention = rng.choice(pool[span.label])
        new_words += words[pos : span.start] + mention
        new_tags += list(tags[pos : span.start]) + [f"B-{span.label}"] + [f"I-{span.label}"] * (len(mention) - 1)
        pos = span.end
        changed += 1
    return new_words + list(words[pos:]), new_tags + list(tags[pos:]), changed


def augment(ds: datasets.Dataset, types: Sequence[str], copies: int, rate: float, seed: int) -> datasets.Dataset:
    """`ds` (rows of id, words, tags) followed by up to `copies` replaced copies of each row;
    a copy in which nothing was replaced is left out. Deterministic for a given seed."""
    if copies <= 0 or not types:
        return ds
    pool = mention_pool(zip(ds["words"], ds["tags"]), list(types))

    def copies_of(batch: dict, indices: list[int]) -> dict:
        out: dict[str, list] = {"id": [], "words": [], "tags": []}
        for i, row_id, words, tags in zip(indices, batch["id"], batch["words"], batch["tags"]):
            rng = random.Random(f"{seed}:{i}")
            for k in range(copies):
                new_words, new_tags, changed = replace_mentions(words, tags, pool, rate, rng)
                if changed:
                    out["id"].append(f"{row_id}~replaced{k + 1}")
                    out["words"].append(new_words)
                    out["tags"].append(new_tags)
        return out

    extra = ds.map(
        copies_of, batched=True, with_indices=True, remove_columns=ds.column_names, desc="mention replacement"
    )
    return datasets.concatenate_datasets([ds, extra])
