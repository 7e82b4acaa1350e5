"""A user's own annotated articles in every format a tool writes: the same corpus as brat, span
JSONL, CoNLL, a `datasets` folder, a Label Studio export and a doccano export reads to the same
documents (same spans, same splits), splits are by article, and labels are checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.data.dataset import Corpus, build_dataset
from dateline.data.labels import LabelScheme, known_types
from dateline.data.readers import registered
from dateline.errors import DatelineError
from dateline.paths import CONFIGS
from tests.corpora import user
from tests.user_fixture import make_articles, write_corpus

EA = LabelScheme.from_config("events_actors", {"EVENT": ["EVENT"], "ACTOR": ["ACTOR"]})


FORMATS = ["brat", "jsonl", "conll", "hf", "labelstudio", "doccano"]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, Path]:
    articles = make_articles()
    parts = {"train": articles[:9], "test": articles[9:]}
    root = tmp_path_factory.mktemp("formats")
    return {fmt: write_corpus(fmt, root / fmt, parts) for fmt in FORMATS}


def view(data: dict, scheme: LabelScheme = EA) -> dict:
    corpus = Corpus(data)
    out = {}
    for split in corpus.splits():
        docs = corpus.documents(scheme, split)
        out[split] = [(d.id, d.text, sorted((c.start, c.end, c.label) for c in d.char_spans())) for d in docs]
    return out


def test_every_reader_has_a_data_group_and_every_format_here():
    assert set(FORMATS) <= set(registered())
    for name in FORMATS:
        assert (CONFIGS / "data" / f"{name}.yaml").is_file()


def test_the_same_corpus_in_every_format_reads_to_the_same_documents_and_rows(corpora, tmp_path):
    views = {fmt: view(user(fmt, path)) for fmt, path in corpora.items()}
    first = views["brat"]
    assert set(first) == {"train", "dev", "test"} and len(first["test"]) == 3
    assert len(first["dev"]) == 1 and len(first["train"]) == 8  # dev: 15% of the 9 training articles
    for fmt, found in views.items():
        assert found == first, fmt
    rows = {
        fmt: build_dataset(user(fmt, path), EA, "train", cache_dir=str(tmp_path / fmt)).to_dict()
        for fmt, path in corpora.items()
    }
    for fmt in FORMATS:
        assert rows[fmt]["words"] == rows["brat"]["words"] and rows[fmt]["tags"] == rows["brat"]["tags"], fmt


def test_a_parquet_file_and_a_tokens_column_read_the_same(corpora, tmp_path):
    import datasets

    saved = datasets.load_from_disk(str(corpora["hf"]))
    saved["train"].to_parquet(str(tmp_path / "train.parquet"))
    one = view(user("hf", tmp_path / "train.parquet", split={"test": 0}))
    brat = view(user("brat", corpora["brat"] / "train", split={"test": 0}))
    assert one == brat
    # tokens + tags with ClassLabel ids, as a hub NER dataset has them
    names = ["O", "B-ACTOR", "I-ACTOR", "B-EVENT", "I-EVENT"]
    features = datasets.Features(
        {
            "id": datasets.Value("string"),
            "tokens": datasets.Sequence(datasets.Value("string")),
            "tags": datasets.Sequence(datasets.ClassLabel(names=names)),
        }
    )
    ds = datasets.Dataset.from_list(
        [{"id": "a", "tokens": ["Putin", "met", "the", "union"], "tags": [1, 3, 1, 2]}], features=features
    )
    ds.save_to_disk(str(tmp_path / "tok"))
    (doc,) = Corpus(user("hf", tmp_path / "tok", split={"test": 0, "dev": 0})).documents(EA, "train")
    assert [(doc.text[c.start : c.end], c.label) for c in doc.char_spans()] == [
        ("Putin", "ACTOR"),
        ("met", "EVENT"),
        ("the union", "ACTOR"),
    ]


def test_splits_are_by_article_seeded_and_nested(corpora):
    pool = corpora["brat"] / "train"  # one pool of 9 articles: test and dev carved from it
    a = Corpus(user("brat", pool, split={"seed": 0, "test": 0.3, "dev": 0.2})).reader.split_ids()
    b = Corpus(user("brat", pool, split={"seed": 0, "test": 0.3, "dev": 0.2})).reader.split_ids()
    c = Corpus(user("brat", pool, split={"seed": 1, "test": 0.3, "dev": 0.2})).reader.split_ids()
    assert a == b and a != c
    assert sorted(sum(a.values(), [])) == sorted(p.stem for p in pool.glob("*.txt"))  # every article once
    folds = [Corpus(user("brat", pool, split={"folds": 3, "fold": k})).reader.split_ids() for k in range(3)]
    assert sorted(sum((f["test"] for f in folds), [])) == sorted(p.stem for p in pool.glob("*.txt"))
    small = Corpus(user("brat", corpora["brat"], split={"train_limit": 3})).reader.split_ids()["train"]
    larger = Corpus(user("brat", corpora["brat"], split={"train_limit": 5})).reader.split_ids()["train"]
    assert len(small) == 3 and set(small) < set(larger)


def test_the_data_s_own_labels_and_an_unknown_label(corpora, tmp_path):
    known = known_types(sorted((CONFIGS / "labels").glob("*.yaml")))
    from_data = LabelScheme.from_config("from_data", None)
    scheme = Corpus(user("jsonl", corpora["jsonl"])).scheme(from_data, known)
    assert scheme.entity_types == ["EVENT", "ACTOR"] and scheme.roles == {"event": "EVENT", "actor": "ACTOR"}
    assert "ACTION_*" in scheme.types["EVENT"]  # ECB+ joined through data.also maps to the user's EVENT
    typo = tmp_path / "typo.jsonl"
    typo.write_text(
        json.dumps({"id": "a", "text": "Putin met Xi", "spans": [{"start": 6, "end": 9, "label": "EVNT"}]}) + "\n"
    )
    with pytest.raises(DatelineError, match=r"typo\.jsonl \(line 1\).*'EVNT'.*drop_labels") as err:
        Corpus(user("jsonl", typo, split={"test": 0, "dev": 0})).documents(EA, "train")
    assert "Traceback" not in str(err.value)
    dropped = Corpus({**user("jsonl", typo, split={"test": 0, "dev": 0}), "drop_labels": ["EVNT"]})
    (doc,) = dropped.documents(EA, "train")
    assert doc.spans == [] and dropped.stats["train"].dropped == {"EVNT": 1}
    assert dropped.summary(EA)["splits"]["train"]["dropped_labels"] == {"EVNT": 1}
