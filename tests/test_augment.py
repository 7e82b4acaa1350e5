import random

import datasets

from data.augment import augment, mention_pool, replace_mentions
from data.labels import bio_to_spans

ROWS = [
    (["Police", "arrested", "the", "suspect", "."], ["B-ACTOR", "B-EVENT", "B-ACTOR", "I-ACTOR", "O"]),
    (["Intel", "bought", "it", "."], ["B-ACTOR", "B-EVENT", "O", "O"]),
    (["The", "court", "ruled", "."], ["", "", "B-EVENT", ""]),
]


def test_pool_holds_distinct_mentions_of_the_chosen_types():
    pool = mention_pool(ROWS + ROWS, ["ACTOR"])
    assert pool == {"ACTOR": [["Intel"], ["Police"], ["the", "suspect"]]}


def test_replacement_keeps_tags_consistent_with_the_new_words():
    pool = {"ACTOR": [["the", "Texas", "jury"]]}
    words, tags, changed = replace_mentions(*ROWS[0], pool, rate=1.0, rng=random.Random(0))
    assert changed == 2
    assert words == ["the", "Texas", "jury", "arrested", "the", "Texas", "jury", "."]
    assert [(s.start, s.end, s.label) for s in bio_to_spans(tags)] == [
        (0, 3, "ACTOR"),
        (3, 4, "EVENT"),
        (4, 7, "ACTOR"),
    ]
    # unknown words ("") stay unknown; a sentence without a pooled mention is not copied
    assert replace_mentions(*ROWS[2], pool, rate=1.0, rng=random.Random(0)) == (ROWS[2][0], ROWS[2][1], 0)
    assert replace_mentions(*ROWS[0], pool, rate=0.0, rng=random.Random(0))[2] == 0


def test_augment_appends_changed_copies_deterministically(tmp_path):
    ds = datasets.Dataset.from_dict(
        {"id": ["a", "b", "c"], "words": [r[0] for r in ROWS], "tags": [r[1] for r in ROWS]}
    )
    out = augment(ds, ["ACTOR"], copies=2, rate=1.0, seed=1)
    assert out["id"][:3] == ["a", "b", "c"] and set(out["id"][3:]) == {
        "a~replaced1",
        "a~replaced2",
        "b~replaced1",
        "b~replaced2",
    }
    assert out["words"] == augment(ds, ["ACTOR"], copies=2, rate=1.0, seed=1)["words"]
    assert augment(ds, ["ACTOR"], copies=0, rate=1.0, seed=1) is ds
