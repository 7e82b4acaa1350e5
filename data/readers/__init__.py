"""Corpus readers: one protocol, registered by name, chosen by a `configs/data/` group.

A reader turns a corpus on disk into `Document`s (data/document.py), one split at a time, each
with its raw mentions (`meta["mentions"]`: the corpus's own tags, before a label scheme maps
them) and, for corpora annotated on characters, the spans as offsets into the text as given
(`meta["char_spans"]`). It also lists the files it reads (the `datasets` cache key) and says
which splits exist. Training, tuning and evaluation only ever call these three methods.

Every `configs/data/<name>.yaml` names its reader class under `reader._target_` with the
reader's options; `reader_from_config` builds it. A class registers itself under its `name`
(`registered()`), which the tests walk, so that every reader is
fuzzed with bad input. Adding a corpus: a module here, a config in `configs/data/`, a test
(docs/new_corpus.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import ClassVar

from dateline.data.document import Document
from dateline.errors import DatelineError

READERS: dict[str, type[Reader]] = {}
SPLITS = ("train", "dev", "test")


class Reader:
    """What every reader provides. `tagset` is the corpus's whole tag vocabulary where it is
    fixed by a guideline (ECB+, TimeML): a scheme may then map only some of its tags, and the
    types it maps none to are unannotated there (partial labels). Where it is None (the user's
    own files), every tag must be one the label scheme maps, or one the config drops."""

    name: ClassVar[str] = ""
    tagset: ClassVar[tuple[str, ...] | None] = None
    # the labels a user's corpus declares unwanted (`data.drop_labels`): dropped and counted
    drop_labels: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name"):
            READERS[cls.name] = cls

    def splits(self) -> tuple[str, ...]:
        """The splits `documents` can give (a subset of train, dev, test)."""
        raise NotImplementedError

    def documents(self, split: str) -> Iterator[Document]:
        """The documents of one split, in a stable order."""
        raise NotImplementedError

    def files(self) -> list[Path]:
        """Every file the splits are read from (what the `datasets` cache fingerprints)."""
        raise NotImplementedError

    def describe(self) -> str:
        """A few words for the model card: which corpus, in which format."""
        return self.name

    def split_ids(self) -> dict[str, list[str]]:
        """The document ids of each split (written to the run directory)."""
        return {s: [d.id for d in self.documents(s)] for s in self.splits()}

    def check_split(self, split: str) -> None:
        if split not in self.splits():
            raise DatelineError(
                f"this {self.name} corpus has no {split} split (it has: {', '.join(self.splits()) or 'none'})"
            )


def registered() -> dict[str, type[Reader]]:
    """Every reader class of this package by name (its modules imported, so each registers)."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return dict(READERS)


def reader_from_config(data_cfg) -> Reader:
    """The reader a `data` config group names (`reader._target_` and its options)."""
    from hydra.utils import instantiate
    from omegaconf import DictConfig, OmegaConf

    node = data_cfg.get("reader") if isinstance(data_cfg, (Mapping, DictConfig)) else None
    if node is None or "_target_" not in node:
        raise DatelineError(
            "the data config names no reader (expected data.reader._target_, e.g. dateline.data.readers.brat.BratReader)"
        )
    if isinstance(node, DictConfig):
        node = OmegaConf.to_container(node, resolve=True)
    reader = instantiate(node, _convert_="all")
    if not isinstance(reader, Reader):
        raise DatelineError(f"data.reader._target_ {node['_target_']} is not a corpus reader")
    return reader


def data_group(name: str, overrides: list[str] | None = None):
    """The `data` config of group `configs/data/<name>.yaml` as a training job would compose it
    (its defaults applied, its interpolations resolved): how `data.also` names more corpora."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    from dateline.paths import CONFIGS

    if not (CONFIGS / "data" / f"{name}.yaml").is_file():
        known = sorted(p.stem for p in (CONFIGS / "data").glob("*.yaml"))
        raise DatelineError(f"no data group {name!r} (configs/data/ has: {', '.join(known)})")
    args = [f"data={name}", *(overrides or [])]
    if GlobalHydra.instance().is_initialized():
        cfg = compose(config_name="train", overrides=args)
    else:
        with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
            cfg = compose(config_name="train", overrides=args)
    return OmegaConf.create(OmegaConf.to_container(cfg.data, resolve=True))
