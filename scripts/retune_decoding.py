"""Re-choose a trained model's decoding biases on dev with another grid, in a copy of it.

    python scripts/retune_decoding.py <model dir> <out dir> experiment=tempeval3_class \
        "decoding.grid.type_bias=[-1.0,-0.5,0.0,0.5,1.0]"

The copy links the weights and gets its own dateline.json with the new biases (the original is
left as it is), so `make eval CKPT=<out dir>` scores the same weights decoded the new way. The
train config composed from the overrides says where dev is and which grid to search
(tagging/tune.py, as after training).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hydra import compose, initialize_config_dir

from dateline.runs import META_FILE, register_resolvers
from dateline.tagging.tune import tune_decoding

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def copy_model(model_dir: Path, out: Path) -> None:
    """Links every file but dateline.json, which is copied less its tuned biases."""
    out.mkdir(parents=True, exist_ok=True)
    for f in model_dir.iterdir():
        if f.is_file() and f.name != META_FILE and not (out / f.name).exists():
            (out / f.name).symlink_to(f.resolve())
    meta = json.loads((model_dir / META_FILE).read_text())
    for key in ("o_bias", "i_bias", "type_bias", "decoding_dev_f1"):
        meta.pop(key, None)
    (out / META_FILE).write_text(json.dumps(meta, indent=2))


def main(model_dir: str, out: str, *overrides: str) -> None:
    register_resolvers()
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        cfg = compose(config_name="train", overrides=list(overrides))
    copy_model(Path(model_dir), Path(out))
    meta = tune_decoding(cfg, Path(out))
    print(json.dumps({k: meta.get(k) for k in ("o_bias", "i_bias", "type_bias", "decoding_dev_f1")}))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
