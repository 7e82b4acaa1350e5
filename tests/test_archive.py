"""`dateline tag`: an archive in (.txt folder, .jsonl[.gz], .parquet), Parquet shards out; bad
articles recorded and skipped; a killed run resumes to the same output; two processes give what
one gives; the Python API is the same code path."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.entry import ROOT, run, tiny_model_dir

WORDS = "Police arrested two suspects in Geneva on Monday after talks with the minister ended".split()


def texts(n: int) -> list[str]:
    return [" ".join(WORDS[(i % 7) :] + WORDS[: (i % 5) + 1]) + f" . Item {i} ." for i in range(n)]


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    # a strong `O` penalty: the random tiny model then tags spans in every article
    return tiny_model_dir(tmp_path_factory.mktemp("model") / "m", o_bias=4.0)


def archive(root: Path) -> Path:
    """A folder with .txt articles (one not UTF-8, one empty) and a .jsonl.gz (one malformed
    line, one far too long article)."""
    root.mkdir(parents=True)
    for i, text in enumerate(texts(5)):
        (root / f"a{i}.txt").write_text(text, encoding="utf-8")
    (root / "bad_bytes.txt").write_bytes(b"caf\xe9 opened")
    (root / "blank.txt").write_text("  \n")
    lines = [json.dumps({"id": f"j{i}", "text": t}) for i, t in enumerate(texts(6))]
    lines.insert(2, '{"id": "broken", "text": ')
    lines.append(json.dumps({"id": "huge", "text": "word " * 5000}))
    with gzip.open(root / "feed.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return root


def tables(out: Path) -> dict[str, list]:
    import pyarrow.parquet as pq

    return {p.name: pq.read_table(p).to_pylist() for p in sorted(out.glob("part-*.parquet"))}


def test_an_archive_is_tagged_into_shards_with_errors_recorded(model: Path, tmp_path: Path):
    src = archive(tmp_path / "in")
    out = tmp_path / "out"
    res = run("tag", f"input={src}", f"out={out}", f"ckpt={model}", "shard_size=4", "max_chars=10000", "progress=false")
    assert res.returncode == 0, res.stderr[-3000:]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["exactly_once"] == {
        "input_articles": 15,
        "output_articles": 15,
        "duplicate_ids_in_input": 0,
        "ok": True,
    }
    assert (
        manifest["counts"]["shards"] == 4 and manifest["counts"]["tagged"] == 11 and manifest["counts"]["errors"] == 4
    )
    assert len(manifest["model_fingerprint"]) == 16 and manifest["git"]["commit"]
    errors = {e["article_id"]: e["reason"] for e in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    assert set(errors) == {"bad_bytes", "blank", "feed.jsonl.gz:3", "huge"}
    assert errors["bad_bytes"].startswith("not UTF-8") and errors["blank"] == "empty"
    assert errors["feed.jsonl.gz:3"].startswith("malformed JSON line") and errors["huge"].startswith("far too long")
    spans = [row for name, rows in tables(out).items() if not name.endswith(".articles.parquet") for row in rows]
    originals = {f"a{i}": t for i, t in enumerate(texts(5))} | {f"j{i}": t for i, t in enumerate(texts(6))}
    assert spans and all(originals[s["article_id"]][s["start"] : s["end"]] == s["text"] for s in spans)
    assert manifest["counts"]["rows"] == len(spans)


def test_bad_model_or_input_stops_before_any_work(model: Path, tmp_path: Path):
    src = archive(tmp_path / "in")
    for args, message in (
        ([f"input={tmp_path / 'nowhere'}", f"ckpt={model}"], "the input does not exist"),
        ([f"input={src}", f"ckpt={tmp_path / 'no_model'}"], "model directory does not exist"),
    ):
        res = run("tag", *args, f"out={tmp_path / 'out'}", "progress=false")
        assert res.returncode == 2 and message in res.stderr.strip().splitlines()[-1]
        assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


def test_a_killed_run_resumes_to_the_uninterrupted_output(model: Path, tmp_path: Path):
    src = archive(tmp_path / "in")
    common = [f"input={src}", f"ckpt={model}", "shard_size=3", "max_chars=10000", "progress=false"]
    whole = run("tag", *common, f"out={tmp_path / 'whole'}")
    assert whole.returncode == 0, whole.stderr[-3000:]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    killed = subprocess.run(
        [sys.executable, "-m", "tests.kill_after_shard", "2", *common, f"out={tmp_path / 'resumed'}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -9 and len(list((tmp_path / "resumed").glob("*.done.json"))) == 2
    again = run("tag", *common, f"out={tmp_path / 'resumed'}")
    assert again.returncode == 0, again.stderr[-3000:]
    manifest = json.loads((tmp_path / "resumed" / "manifest.json").read_text())
    assert manifest["this_run"]["resumed_shards"] == 2 and manifest["exactly_once"]["ok"]
    assert tables(tmp_path / "resumed") == tables(tmp_path / "whole") != {}


def test_the_python_api_gives_what_the_command_line_writes(model: Path, tmp_path: Path):
    from dateline.tagging.api import ArticleTagger

    tagger = ArticleTagger(model)
    results = tagger.tag(texts(3))
    assert [r["id"] for r in results] == ["0", "1", "2"]
    for r, text in zip(results, texts(3)):
        assert r["text"] == text and all(text[s["start"] : s["end"]] == s["text"] for s in r["spans"])
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts(3))))
    res = run("tag", f"input={src}", f"out={tmp_path / 'out'}", f"ckpt={model}", "progress=false")
    assert res.returncode == 0, res.stderr[-3000:]
    written = tables(tmp_path / "out")["part-000000.parquet"]
    assert written == [{"article_id": r["id"], **s} for r in results for s in r["spans"]]


@pytest.mark.slow
def test_two_processes_write_what_one_writes(model: Path, tmp_path: Path):
    src = tmp_path / "in.parquet"
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": [f"p{i}" for i in range(20)], "text": texts(20)}), src)
    common = [f"input={src}", f"ckpt={model}", "shard_size=3", "progress=false"]
    one = run("tag", *common, f"out={tmp_path / 'one'}", "threads=2")
    assert one.returncode == 0, one.stderr[-3000:]
    torchrun = [str(Path(sys.executable).with_name("torchrun")), "--standalone", "--nproc_per_node=2"]
    two = subprocess.run(
        [*torchrun, "-m", "dateline.tagging.archive", *common, f"out={tmp_path / 'two'}", "threads=1"],
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert two.returncode == 0, two.stderr[-3000:]
    assert tables(tmp_path / "two") == tables(tmp_path / "one") != {}
    manifest = json.loads((tmp_path / "two" / "manifest.json").read_text())
    assert manifest["processes"] == 2 and manifest["exactly_once"]["ok"] and manifest["counts"]["articles"] == 20


def test_tagging_workers_give_the_scores_of_one(model: Path):
    """Several workers tag batches at once, each on one core: the same numbers as one worker on one
    core (one worker on several threads may sum an fp32 matmul in another order)."""
    import numpy as np
    import torch

    from dateline.tagging.tagger import Tagger

    threads = torch.get_num_threads()
    try:
        words = [t.split() for t in texts(40)]
        torch.set_num_threads(1)
        one = Tagger(model, batch_size=4, workers=1).scores(words)
        two = Tagger(model, batch_size=4, workers=2).scores(words)
        assert len(one) == 40 and all(np.array_equal(a, b) for a, b in zip(one, two))
    finally:
        torch.set_num_threads(threads)
