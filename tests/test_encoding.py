import random

import pytest
from transformers import AutoTokenizer

from dateline.paths import minilm_path
from dateline.training.encoding import IGNORE, encode_batch, encode_many, encode_words, window_bounds


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained(minilm_path())


def test_long_document_loses_no_token(tokenizer):
    rng = random.Random(1)
    vocab = [
        "Putin",
        "and",
        "Trump",
        "discussed",
        "North",
        "Korea",
        "antidisestablishmentarianism",
        ",",
        ".",
        "\u200b",
        "naïve",
        "2017-11-07",
        "APEC",
    ]
    words = [rng.choice(vocab) for _ in range(3000)]
    windows = encode_words(tokenizer, words, max_length=128, stride=32)
    assert len(windows) > 1
    assert all(len(w.input_ids) <= 128 for w in windows)
    owned = sorted(i for w in windows for i in w.word_index if i >= 0)
    assert owned == list(range(3000))  # every word predicted exactly once
    for w in windows:
        assert w.input_ids[0] == tokenizer.cls_token_id and w.input_ids[-1] == tokenizer.sep_token_id


def test_windows_overlap_and_cut_at_word_starts():
    word_of = [i // 3 for i in range(30)]  # 10 words of 3 subwords
    bounds = window_bounds(word_of, budget=9, stride=3)
    assert bounds[0] == (0, 9) and bounds[-1][1] == 30
    for (_, b), (c, _) in zip(bounds, bounds[1:]):
        assert c < b and c % 3 == 0  # overlap, and starts at a word start


def test_first_subword_labels(tokenizer):
    batch = {"words": [["Antidisestablishmentarianism", "rose", "today"]], "tags": [["B-EVENT", "", "O"]]}
    out = encode_batch(batch, tokenizer, {"O": 0, "B-EVENT": 1, "I-EVENT": 2}, max_length=64, stride=8)
    labels = out["labels"][0]
    n_sub = len(tokenizer.tokenize("Antidisestablishmentarianism"))
    assert labels[0] == IGNORE and labels[1] == 1
    assert labels[2 : 1 + n_sub] == [IGNORE] * (n_sub - 1)
    assert labels[1 + n_sub] == IGNORE  # "rose" has no label ("" = unlabeled)
    assert labels[2 + n_sub] == 0 and out["n_labels"] == [2]


def test_batched_encoding_equals_one_sequence_at_a_time(tokenizer):
    """One tokenizer call for many sequences gives each the windows it gets alone, with a word
    that tokenizes to nothing, an empty sequence and a sequence longer than a window among them."""
    rng = random.Random(2)
    vocab = ["Putin", "met", "Trump", "in", "Da", "Nang", "\u200b", "naïve", "APEC", ",", "."]
    segments = [[rng.choice(vocab) for _ in range(n)] for n in (5, 1, 0, 40, 300, 12)]
    batched = encode_many(tokenizer, segments, max_length=64, stride=16, casing=True)
    assert batched[2] == [] and len(batched[4]) > 1
    for words, windows in zip(segments, batched):
        alone = encode_words(tokenizer, words, max_length=64, stride=16, casing=True) if words else []
        assert windows == alone
        assert sorted(i for w in windows for i in w.word_index if i >= 0) == list(range(len(words)))


def test_o_of_a_corpus_that_does_not_annotate_a_type_is_a_partial_label(tokenizer):
    label2id = {"O": 0, "B-EVENT": 1, "I-EVENT": 2, "B-ACTOR": 3, "I-ACTOR": 4}
    batch = {
        "words": [["Talks", "collapsed"], ["Talks", "collapsed"]],
        "tags": [["O", "B-EVENT"], ["O", "B-EVENT"]],
        "unannotated": [["ACTOR"], []],
    }
    out = encode_batch(batch, tokenizer, label2id, max_length=64, stride=8)
    first, second = ([x for x in labels if x != IGNORE] for labels in out["labels"])
    assert first == [5 + 2, 1]  # len(labels) + the bit of ACTOR (the second type); the event as is
    assert second == [0, 1]
