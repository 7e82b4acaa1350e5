"""Do per-type decoding biases help text they were not tuned on? Two-fold cross-validation on dev.

The dev documents are split in two (alternating, in their order); on each half the decoding
biases are tuned with and without `type_bias` (the grid of `decoding.grid`, type values
below), and the other half is scored with each choice (strict micro-F1, typed). Dev alone
decides whether the per-type bonus is taken; the test set is not read.

    python scripts/type_bias_dev_cv.py <model dir> [<model dir> ...] -- experiment=tempeval3_class_mpnet
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hydra import compose, initialize_config_dir
from seqeval.metrics import f1_score
from seqeval.scheme import IOB2

from dateline.data.dataset import gold_sentences, load_split, split_options
from dateline.data.labels import LabelScheme
from dateline.runs import META_FILE, register_resolvers
from dateline.tagging.tagger import Tagger, tune_biases

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
TYPE_VALUES = [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5]


def held_out_f1(tagger: Tagger, tune_on, score_on, grid: dict) -> tuple[float, dict]:
    chosen, _ = tune_biases(tagger, *gold_sentences(tune_on), grid)
    words, gold = gold_sentences(score_on)
    tags = [
        p.tags
        for p in tagger.decode(tagger.scores(words), chosen["o_bias"], chosen["i_bias"], chosen.get("type_bias", {}))
    ]
    return f1_score(gold, tags, mode="strict", scheme=IOB2, zero_division=0), chosen


def model_cv(model_dir: Path, cfg) -> dict:
    meta = json.loads((model_dir / META_FILE).read_text())
    scheme = LabelScheme.from_config(meta["labels"], meta["types"])
    docs = load_split(cfg.corpora, scheme, "dev", **split_options(cfg.data))
    halves = [docs[0::2], docs[1::2]]
    tagger = Tagger(model_dir)
    base = {k: list(v) for k, v in cfg.decoding.grid.items() if k != "type_bias"}
    out = {"model": str(model_dir), "folds": []}
    for k in (0, 1):
        without, _ = held_out_f1(tagger, halves[k], halves[1 - k], base)
        with_types, chosen = held_out_f1(tagger, halves[k], halves[1 - k], {**base, "type_bias": TYPE_VALUES})
        out["folds"].append(
            {"tuned_on_half": k, "without": round(without, 4), "with_type_bias": round(with_types, 4), "chosen": chosen}
        )
    out["mean_gain"] = round(sum(f["with_type_bias"] - f["without"] for f in out["folds"]) / 2, 4)
    return out


def main(argv: list[str]) -> None:
    split = argv.index("--") if "--" in argv else len(argv)
    models, overrides = argv[:split], argv[split + 1 :]
    register_resolvers()
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        cfg = compose(config_name="train", overrides=overrides)
    results = [model_cv(Path(m), cfg) for m in models]
    print(
        json.dumps(
            {
                "overrides": overrides,
                "type_values": TYPE_VALUES,
                "models": results,
                "mean_gain": round(sum(r["mean_gain"] for r in results) / len(results), 4),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
