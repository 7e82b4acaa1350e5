"""Strict micro-F1 of trained models or ensembles on a data group's dev split, decoded as the
tagger decodes them (their own biases): for choices between finished models, on dev.

    python scripts/dev_f1.py <model dir> [<model dir> ...] -- experiment=tempeval3_class_mpnet
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hydra import compose, initialize_config_dir
from seqeval.metrics import f1_score
from seqeval.scheme import IOB2

from dateline.runs import register_resolvers
from dateline.tagging.tagger import Tagger
from dateline.tagging.tune import dev_gold

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def dev_f1(model_dir: Path, cfg) -> float:
    words, gold = dev_gold(cfg, model_dir)
    tags = [p.tags for p in Tagger(model_dir).predict(words)]
    return f1_score(gold, tags, mode="strict", scheme=IOB2, zero_division=0)


def main(argv: list[str]) -> None:
    split = argv.index("--") if "--" in argv else len(argv)
    register_resolvers()
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        cfg = compose(config_name="train", overrides=argv[split + 1 :])
    print(json.dumps({m: round(dev_f1(Path(m), cfg), 4) for m in argv[:split]}, indent=1))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
