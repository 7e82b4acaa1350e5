"""Splits of a user's corpus that can be trusted: by article, never by sentence, and seeded.

- The user's own train / dev / test (subfolders or files named so) are used as given.
- What is missing is carved out **by article** with a seeded shuffle of the article ids (the
  split seed, `data.split.seed`, not the training seed: runs of different seeds share one
  split): test from the whole corpus when no test part is given, dev from the training part
  when no dev part is given.
- `folds: k` (k >= 2): k-fold cross-validation by article over every article given; fold `fold`
  is the test part, dev is carved from the rest as above (`make cv`).
- `train_limit: n`: only the first n training articles of a seeded order, nested (the 5 of a
  5-article run are among the 10 of a 10-article run): the learning curve (`make curve`).
- `dev_every: n`: dev is every n-th training article in corpus order instead of a seeded
  sample (the fixed dev of cameo_roles and TBAQ, kept so their published figures reproduce).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dateline.errors import DatelineError


@dataclass(frozen=True)
class SplitSpec:
    """How the parts a corpus does not give are made (`data.split`)."""

    seed: int = 0
    dev: float = 0.15
    test: float = 0.2
    folds: int = 0
    fold: int = 0
    train_limit: int | None = None
    dev_every: int = 0

    @classmethod
    def from_config(cls, cfg: Mapping | None) -> SplitSpec:
        cfg = dict(cfg or {})
        unknown = sorted(set(cfg) - set(cls.__dataclass_fields__))
        if unknown:
            raise DatelineError(
                f"data.split has no option {', '.join(unknown)} (options: {', '.join(cls.__dataclass_fields__)})"
            )
        spec = cls(**{k: v for k, v in cfg.items() if v is not None or k == "train_limit"})
        if not (0 <= spec.dev < 1 and 0 <= spec.test < 1):
            raise DatelineError(
                f"data.split.dev and data.split.test are fractions in [0, 1), not {spec.dev} / {spec.test}"
            )
        if spec.folds == 1 or spec.folds < 0 or (spec.folds and not 0 <= spec.fold < spec.folds):
            raise DatelineError(
                f"data.split.folds must be 0 (none) or >= 2 with 0 <= fold < folds, not {spec.folds}/{spec.fold}"
            )
        if spec.train_limit is not None and spec.train_limit < 1:
            raise DatelineError(f"data.split.train_limit must be a positive number of articles, not {spec.train_limit}")
        return spec


def shuffled(ids: Sequence[str], seed: int, salt: str) -> list[str]:
    """A seeded order of `ids` that depends only on the ids themselves, not on their order."""
    order = sorted(ids)
    random.Random(f"{seed}:{salt}").shuffle(order)
    return order


def carve(ids: Sequence[str], fraction: float, seed: int, salt: str) -> tuple[list[str], list[str]]:
    """(kept, carved): `fraction` of the articles (at least one, never all) carved out, seeded."""
    if fraction <= 0 or len(ids) < 2:
        return list(ids), []
    order = shuffled(ids, seed, salt)
    n = min(len(ids) - 1, max(1, round(fraction * len(ids))))
    carved = set(order[:n])
    return [i for i in ids if i not in carved], [i for i in ids if i in carved]


def assign(given: Mapping[str, Sequence[str]], spec: SplitSpec) -> dict[str, list[str]]:
    """Article ids per split from the parts the corpus gives (`given`: "train" / "dev" / "test",
    or "all" for a corpus given as one pool), each list in corpus order."""
    pool = [i for part in ("all", "train", "dev", "test") for i in given.get(part, [])]
    if not pool:
        raise DatelineError("the corpus holds no articles")
    if spec.folds:
        if len(pool) < spec.folds:
            raise DatelineError(
                f"{spec.folds}-fold cross-validation needs at least {spec.folds} articles, not {len(pool)}"
            )
        order = shuffled(pool, spec.seed, "folds")
        test = set(order[spec.fold :: spec.folds])
        train, test_ids = [i for i in pool if i not in test], [i for i in pool if i in test]
        train, dev = dev_part(train, spec)
        return limited({"train": train, "dev": dev, "test": test_ids}, spec)
    train = list(given.get("all", [])) + list(given.get("train", []))
    test = list(given.get("test", []))
    if "test" not in given:
        train, test = carve(train, spec.test, spec.seed, "test")
    if "dev" in given:
        dev = list(given["dev"])
    else:
        train, dev = dev_part(train, spec)
    return limited({"train": train, "dev": dev, "test": test}, spec)


def dev_part(train: list[str], spec: SplitSpec) -> tuple[list[str], list[str]]:
    if spec.dev_every > 0:
        dev = set(train[spec.dev_every - 1 :: spec.dev_every])
        return [i for i in train if i not in dev], [i for i in train if i in dev]
    return carve(train, spec.dev, spec.seed, "dev")


def limited(parts: dict[str, list[str]], spec: SplitSpec) -> dict[str, list[str]]:
    if spec.train_limit is None or spec.train_limit >= len(parts["train"]):
        return parts
    keep = set(shuffled(parts["train"], spec.seed, "curve")[: spec.train_limit])
    return {**parts, "train": [i for i in parts["train"] if i in keep]}
