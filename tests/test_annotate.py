"""The annotation loop: `dateline annotate` writes the model's spans as pre-annotations in each
tool's import format, least confident article first; read back unchanged, they are the same
spans (the user corrected nothing)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dateline.data.dataset import Corpus
from dateline.data.labels import LabelScheme
from dateline.errors import DatelineError
from dateline.tagging.annotate import FORMATS, annotate, pre_annotations, ranked
from dateline.tagging.tagger import Prediction, Tagger
from tests.corpora import user
from tests.entry import run, tiny_model_dir

EA = LabelScheme.from_config("events_actors", {"EVENT": ["EVENT"], "ACTOR": ["ACTOR"]})
TEXTS = {
    "kremlin": "Putin met Trump in Da Nang on Saturday.\nThe Kremlin said talks went well.",
    "pyongyang": "North Korea fired two missiles, Seoul said.",
    "nested/un": "The UN condemned the strike and called for restraint.",
}


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    for name, text in TEXTS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


class Sure:
    """A stand-in tagger whose confidence is chosen per article: its spans are the first word."""

    entity_types = ["EVENT", "ACTOR"]

    def __init__(self, confidence: dict[str, float]):
        self.confidence = confidence

    def tag_documents(self, docs):
        out = []
        for d in docs:
            tags = ["B-ACTOR"] + ["O"] * (len(d.tokens) - 1)
            out.append(Prediction(tags, [self.confidence[d.id]] * len(d.tokens)))
        return out


def test_articles_are_ranked_least_confident_first(articles):
    from dateline.data.articles import read_any

    docs = read_any(articles)
    items = pre_annotations(Sure({"kremlin": 0.9, "pyongyang": 0.5, "nested/un": 0.99}), docs)
    assert [a["id"] for a in ranked(items, None)] == ["pyongyang", "kremlin", "nested/un"]
    assert [a["id"] for a in ranked(items, 1)] == ["pyongyang"]
    assert items[0]["uncertainty"] == pytest.approx(0.1)  # 1 - the geometric mean of the tags' probabilities
    # a long article is not more uncertain for being long: the mean is per word
    same = pre_annotations(Sure(dict.fromkeys(TEXTS, 0.8)), docs)
    assert len({len(d.tokens) for d in docs}) == 3 and len({round(a["uncertainty"], 9) for a in same}) == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_pre_annotations_read_back_unchanged(articles, tmp_path, fmt):
    model = tiny_model_dir(tmp_path / "model")
    out = tmp_path / "out"
    info = annotate(model, articles, out, fmt)
    assert info["written"] == 3 and (out / "ranking.tsv").is_file() and (out / "annotate.json").is_file()
    from dateline.data.articles import read_any

    docs = read_any(articles)
    tagger = Tagger(model)
    want = {
        d.id: sorted((c.start, c.end, c.label) for c in (d.to_char_span(s) for s, _ in p.spans()))
        for d, p in zip(docs, tagger.tag_documents(docs))
    }
    assert sum(map(len, want.values())) > 0  # a random model still marks something
    path = {"brat": out, "labelstudio": out / "tasks.json", "doccano": out / "articles.jsonl"}[fmt]
    options = {"include_predictions": True} if fmt == "labelstudio" else {}
    back = Corpus(user(fmt, path, split={"test": 0, "dev": 0}, **options)).documents(EA, "train")
    got = {d.id: sorted((c.start, c.end, c.label) for c in d.char_spans()) for d in back}
    texts = {d.id: d.text for d in back}
    assert got == want and texts == {k: v for k, v in TEXTS.items()}
    ranking = [line.split("\t")[1] for line in (out / "ranking.tsv").read_text().splitlines()[1:]]
    uncertainty = [float(line.split("\t")[2]) for line in (out / "ranking.tsv").read_text().splitlines()[1:]]
    assert sorted(ranking) == sorted(TEXTS) and uncertainty == sorted(uncertainty, reverse=True)
    if fmt == "labelstudio":  # as Label Studio exports it once each task is submitted unchanged
        tasks = json.loads(path.read_text())
        assert [t["data"]["article_id"] for t in tasks] == ranking
        for t in tasks:
            t["annotations"] = [{"result": t.pop("predictions")[0]["result"], "was_cancelled": False}]
        path.write_text(json.dumps(tasks))
        again = Corpus(user(fmt, path, split={"test": 0, "dev": 0})).documents(EA, "train")
        assert {d.id: sorted((c.start, c.end, c.label) for c in d.char_spans()) for d in again} == want
    if fmt == "brat":
        notes = [line for p in out.rglob("*.ann") for line in p.read_text().splitlines() if line.startswith("#")]
        assert notes and all("AnnotatorNotes" in n and "confidence" in n for n in notes)
        assert "[entities]" in (out / "annotation.conf").read_text()


def test_annotate_refuses_a_full_folder_and_writes_nothing_half(articles, tmp_path):
    model = tiny_model_dir(tmp_path / "model")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(DatelineError, match="not empty"):
        annotate(model, articles, out, "brat")
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    res = run("annotate", f"ckpt={model}", f"input={articles}", f"out={tmp_path / 'o2'}", "format=csv")
    assert res.returncode == 2 and "format must be one of" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "o2").exists()
    res = run("annotate", f"ckpt={model}", f"input={articles}", f"out={tmp_path / 'o3'}", "format=doccano", "limit=2")
    assert res.returncode == 0, res.stderr[-2000:]
    lines = (tmp_path / "o3" / "articles.jsonl").read_text().splitlines()
    assert len(lines) == 2 and [json.loads(x)["rank"] for x in lines] == [1, 2]
    assert np.all(np.diff([json.loads(x)["uncertainty"] for x in lines]) <= 0)
