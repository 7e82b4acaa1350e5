"""cameo_roles: the CoNLL reader, its split, and a roles model trained and scored by the harness."""

import json
from pathlib import Path

import pytest

from dateline.data.labels import LabelScheme
from dateline.errors import DatelineError
from tests.corpora import conll, documents
from tests.entry import run

ROLES = LabelScheme.from_config("roles", {"SOURCE": ["S"], "TARGET": ["T"], "JOINT": ["R"]})
TRAIN = """Iraqi B-S
troops I-S
attacked O
the B-T
rebels I-T
. O

Talks O
between O
Kiev I-R
and O
Moscow B-R
resumed O
"""


def make_roles_corpus(root: Path, n_train: int = 20) -> Path:
    folder = root / "roles"
    folder.mkdir(parents=True)
    (folder / "train.txt").write_text("\n".join([TRAIN] * (n_train // 2)))
    (folder / "test.txt").write_text(TRAIN)
    return root


def test_sentences_become_documents_with_role_spans(tmp_path: Path):
    root = make_roles_corpus(tmp_path)
    docs = documents(conll(root / "roles"), ROLES, "test")
    assert [d.text for d in docs] == ["Iraqi troops attacked the rebels .\n", "Talks between Kiev and Moscow resumed\n"]
    first, second = docs
    assert [(first.span_text(s), s.label) for s in first.spans] == [
        ("Iraqi troops", "SOURCE"),
        ("the rebels", "TARGET"),
    ]
    # an I- that opens a span is read as B- (conlleval), so no gold span is lost
    assert [(second.span_text(s), s.label) for s in second.spans] == [("Kiev", "JOINT"), ("Moscow", "JOINT")]


def test_dev_is_every_tenth_training_sentence_and_disjoint_from_train(tmp_path: Path):
    root = make_roles_corpus(tmp_path, n_train=30)
    train = documents(conll(root / "roles", dev_every=10), ROLES, "train")
    dev = documents(conll(root / "roles", dev_every=10), ROLES, "dev")
    assert [d.id for d in dev] == ["train#9", "train#19", "train#29"]
    assert len(train) == 27 and not {d.id.split("#")[1] for d in train} & {"9", "19", "29"}


@pytest.mark.parametrize(
    "line, problem", [("Iraqi B-S extra", "O, B-<type>"), ("Iraqi X-S", "O, B-<type>"), ("Iraqi B-", "O, B-<type>")]
)
def test_malformed_line_is_refused_with_file_and_line(tmp_path: Path, line: str, problem: str):
    root = make_roles_corpus(tmp_path)
    path = root / "roles" / "test.txt"
    path.write_text(TRAIN + "\n" + line + "\n")
    with pytest.raises(DatelineError) as err:
        documents(conll(root / "roles"), ROLES, "test")
    assert str(path) in str(err.value) and "line 15" in str(err.value) and problem in str(err.value)


def test_missing_corpus_names_what_was_expected(tmp_path: Path):
    with pytest.raises(DatelineError, match="roles.*no such file or folder"):
        documents(conll(tmp_path / "roles"), ROLES, "train")


def train_tiny_roles(root: Path, run_dir: Path, *overrides: str):
    """`experiment=roles` with the tiny model on a corpus made by `make_roles_corpus`."""
    return run(
        "train",
        "experiment=roles",
        "model=tiny",
        f"data.reader.path={root / 'roles'}",
        "trainer.args.num_train_epochs=1",
        f"corpora={root}",
        f"cache_dir={run_dir.parent / 'cache'}",
        f"hydra.run.dir={run_dir}",
        *overrides,
    )


@pytest.mark.slow
def test_roles_experiment_trains_and_scores_each_role(tmp_path: Path):
    root = make_roles_corpus(tmp_path / "corpora")
    run_dir = tmp_path / "run"
    res = train_tiny_roles(
        root,
        run_dir,
        'evaluate.overrides=["tasks=[cameo_roles_test]","leaderboard_dir=null"]',
    )
    assert res.returncode == 0, res.stderr[-3000:]
    results = json.loads((run_dir / "results.json").read_text())
    assert "cameo_roles_dev" in results["results"]
    test = results["results"]["cameo_roles_test"]
    for schema in ("strict", "partial"):
        assert {"SOURCE", "TARGET", "JOINT", "micro"} <= set(test[schema])
        assert {"f1", "ci_low", "ci_high"} <= set(test[schema]["micro"])
    assert test["strict"]["micro"]["support"] == 4
    assert json.loads((run_dir / "model" / "dateline.json").read_text())["labels"] == "roles"
