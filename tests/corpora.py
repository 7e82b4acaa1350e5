"""`data` configs of the test corpora, as a `configs/data/` group would give them."""

from __future__ import annotations

from pathlib import Path

from dateline.data.dataset import Corpus
from dateline.data.document import Document
from dateline.data.labels import LabelScheme


def ecbplus(root: Path, dev=(2, 5, 12, 18, 21, 23, 34, 35), test=tuple(range(36, 46)), extra="annotated") -> dict:
    reader = {"_target_": "dateline.data.readers.ecbplus.EcbPlusReader", "root": str(root)}
    return {"name": "ecbplus", "reader": {**reader, "dev_topics": list(dev), "test_topics": list(test)}, "extra": extra}


def timeml(root: Path, dev_every: int = 10) -> dict:
    reader = {"_target_": "dateline.data.readers.timeml.TimeMLReader", "root": str(root), "dev_every": dev_every}
    return {"name": "tempeval3", "reader": reader, "extra": "none"}


def conll(path: Path, dev_every: int = 10, name: str = "roles") -> dict:
    reader = {
        "_target_": "dateline.data.readers.conll.ConllReader",
        "path": str(path),
        "split": {"dev_every": dev_every},
    }
    return {"name": name, "reader": reader, "extra": "none"}


def user(fmt: str, path: Path, name: str = "mine", **reader) -> dict:
    """A data config of the user's own files in `fmt` (brat, jsonl, conll, hf, labelstudio, doccano)."""
    targets = {
        "brat": "brat.BratReader",
        "jsonl": "jsonl.JsonlReader",
        "conll": "conll.ConllReader",
        "hf": "hf.HFReader",
        "labelstudio": "labelstudio.LabelStudioReader",
        "doccano": "doccano.DoccanoReader",
    }
    spec = {"_target_": f"dateline.data.readers.{targets[fmt]}", "path": str(path), **reader}
    return {"name": name, "task": name, "reader": spec, "extra": "none"}


def documents(data: dict, scheme: LabelScheme, split: str) -> list[Document]:
    return Corpus(data).documents(scheme, split)
