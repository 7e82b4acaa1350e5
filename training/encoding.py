"""Words -> subword windows for the model, and window predictions -> one label per word.

Fixes the two limits of the usual `tokenize_and_align_labels`:
- nothing is truncated: a sequence longer than the window is cut into overlapping windows
  (`stride` subwords shared by neighbours), cut only at word starts;
- one merge rule: each word belongs to the window in which its first subword is farthest from
  a window edge (the "maximum context" rule), so every word is labeled in training and
  predicted at tagging time exactly once.
Labels go on the first subword of each word; other subwords get -100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

IGNORE = -100


@dataclass
class Window:
    input_ids: list[int]
    word_index: list[int]  # per position: the word whose first subword sits there, if owned; else -1
    type_ids: list[int]  # per position: 1 for subwords of a capitalised word when casing is on, else 0


def subwords(tokenizer, segments: Sequence[Sequence[str]]) -> list[tuple[list[int], list[int]]]:
    """Per word sequence: its subword ids and, per id, its word index, from one batched call of
    the tokenizer (a fast tokenizer encodes a batch in parallel; one call per sentence cost more
    in call overhead than in tokenizing: 0.32 s of a 2.5 s tagging pass over 996 sentences). A
    word the tokenizer turns into nothing (a zero-width character, say) becomes the unknown
    token, so no word disappears."""
    present = [list(words) for words in segments if words]
    enc = tokenizer(present, is_split_into_words=True, add_special_tokens=False) if present else None
    out, k = [], 0
    for words in segments:
        if not words:
            out.append(([], []))
            continue
        ids, word_ids = enc["input_ids"][k], enc.word_ids(k)
        k += 1
        if len({w for w in word_ids if w is not None}) < len(words):
            found = set(word_ids)
            fixed = [w if i in found else (tokenizer.unk_token or "[UNK]") for i, w in enumerate(words)]
            one = tokenizer(fixed, is_split_into_words=True, add_special_tokens=False)
            ids, word_ids = one["input_ids"], one.word_ids()
        out.append((list(ids), [w if w is not None else -1 for w in word_ids]))
    return out


def window_bounds(word_of: list[int], budget: int, stride: int) -> list[tuple[int, int]]:
    """Subword [start, end) windows of at most `budget` ids, overlapping by about `stride`,
    cut at word starts (only a single word longer than a window is itself cut)."""
    n = len(word_of)
    starts = [i for i in range(n) if i == 0 or word_of[i] != word_of[i - 1]]
    bounds, start = [], 0
    while True:
        end = min(start + budget, n)
        if end < n:
            fits = [s for s in starts if start < s <= end]
            end = fits[-1] if fits else end
        bounds.append((start, end))
        if end >= n:
            return bounds
        start = next((s for s in starts if s >= max(end - stride, start + 1)), None)
        if start is None:  # only the tail of an over-long last word is left
            return bounds


def owned_positions(bounds: list[tuple[int, int]], word_of: list[int]) -> list[list[bool]]:
    """Per window and position: True where this window owns the word starting there."""
    best: dict[int, tuple[int, int]] = {}
    for w, (a, b) in enumerate(bounds):
        for i in range(a, b):
            word = word_of[i]
            if word < 0 or (i > 0 and word_of[i - 1] == word):
                continue
            margin = min(i - a, b - 1 - i)
            if word not in best or margin > best[word][0]:
                best[word] = (margin, w)
    owner_of_word = {word: w for word, (_, w) in best.items()}
    return [
        [
            word_of[i] >= 0 and (i == 0 or word_of[i - 1] != word_of[i]) and owner_of_word.get(word_of[i]) == w
            for i in range(a, b)
        ]
        for w, (a, b) in enumerate(bounds)
    ]


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def encode_words(tokenizer, words: Sequence[str], max_length: int, stride: int, casing: bool = False) -> list[Window]:
    """Windows with special tokens added, each knowing which words it predicts (one sequence;
    `encode_many` for many at once)."""
    return encode_many(tokenizer, [words], max_length, stride, casing)[0]


def encode_many(
    tokenizer, segments: Sequence[Sequence[str]], max_length: int, stride: int, casing: bool = False
) -> list[list[Window]]:
    """Per word sequence, its windows with special tokens added, each knowing which words it
    predicts; the sequences are tokenized in one batch.

    `casing`: an uncased encoder (all-MiniLM-L6-v2 lowercases) cannot see capitals, the main cue
    for names. With casing on, the token type ids carry it: 1 on every subword of a word that
    starts with a capital. It reuses BERT's token type embeddings, so the model keeps its
    standard architecture."""
    if tokenizer.cls_token_id is None or tokenizer.sep_token_id is None:
        raise ValueError(f"{type(tokenizer).__name__} has no CLS/SEP tokens to frame a window")
    budget = max_length - 2
    if budget < 2:
        raise ValueError(f"max_length={max_length} leaves no room for text")
    out = []
    for words, (ids, word_of) in zip(segments, subwords(tokenizer, segments)):
        bounds = window_bounds(word_of, budget, min(stride, budget // 2)) if ids else []
        windows = []
        for (a, b), own in zip(bounds, owned_positions(bounds, word_of)):
            index = [-1] + [word_of[a + k] if is_own else -1 for k, is_own in enumerate(own)] + [-1]
            types = [0] + [int(casing and is_capitalised(words[word_of[i]])) for i in range(a, b)] + [0]
            windows.append(Window([tokenizer.cls_token_id, *ids[a:b], tokenizer.sep_token_id], index, types))
        out.append(windows)
    return out


def partial_label(unannotated: Sequence[str], label2id: dict[str, int]) -> int:
    """The label id of an `O` word in a row whose corpus does not annotate `unannotated`: `O`
    itself when every type is annotated, else len(labels) + a bit mask of those types (in the
    order of the labels), which the CRF reads as "O or B-/I- of any of these types"."""
    if not unannotated:
        return label2id["O"]
    types = [label[2:] for label in label2id if label.startswith("B-")]
    return len(label2id) + sum(1 << types.index(t) for t in unannotated)


def encode_batch(
    batch: dict, tokenizer, label2id: dict[str, int], max_length: int, stride: int, casing: bool = False
) -> dict:
    """`datasets.map(batched=True)` function: rows of words/tags -> rows of windows."""
    keys = ("input_ids", "token_type_ids", "attention_mask", "labels", "n_labels", "length")
    out: dict[str, list] = {k: [] for k in keys}
    unannotated = batch.get("unannotated") or [[]] * len(batch["tags"])
    rows = zip(batch["tags"], unannotated, encode_many(tokenizer, batch["words"], max_length, stride, casing))
    for tags, unknown, windows in rows:
        ids = {**label2id, "O": partial_label(unknown, label2id)}
        for win in windows:
            labels = [ids[tags[w]] if w >= 0 and tags[w] else IGNORE for w in win.word_index]
            out["input_ids"].append(win.input_ids)
            out["token_type_ids"].append(win.type_ids)
            out["attention_mask"].append([1] * len(win.input_ids))
            out["labels"].append(labels)
            out["n_labels"].append(sum(label != IGNORE for label in labels))
            out["length"].append(len(win.input_ids))
    return out
