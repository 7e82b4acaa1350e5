"""An ensemble is a model directory whose `dateline.json` lists member model directories.

`dateline ensemble models=[<model dir>,<model dir>,...] out=<dir>` (`make ensemble`) writes
it; the tagger then averages the members' per-word label probabilities (each member reads its
own windows), averages their CRF scores and decoding biases, and decodes once. Everything that
takes a model directory (eval, predict, the leaderboard) takes an ensemble the same way.

Members must agree on what they predict (labels, types); they
may differ in seed, schedule or any other training choice.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from dateline.cli import hydra_entry
from dateline.errors import DatelineError
from dateline.io import write_json_atomic
from dateline.runs import META_FILE, is_model_dir

# what every member must share: the same outputs, read from the same kind of segments
SHARED = ("labels", "types")


def member_meta(model_dir: Path) -> dict:
    path = model_dir / META_FILE
    if not is_model_dir(model_dir) or not path.is_file():
        raise DatelineError(
            "not a trained model directory (config.json, weights and dateline.json expected)", model_dir
        )
    meta = json.loads(path.read_text())
    if "ensemble" in meta:
        raise DatelineError("an ensemble cannot be a member of another ensemble", model_dir)
    return meta


def ensemble_meta(members: list[Path], out: Path) -> dict:
    """The ensemble's dateline.json: the members (relative to `out`, so the folders can move
    together), what they share, their mean CRF scores and decoding biases."""
    if len(members) < 2:
        raise DatelineError("an ensemble needs at least two model directories")
    metas = [member_meta(m) for m in members]
    labels = [json.loads((m / "config.json").read_text()).get("id2label") for m in members]
    for m, meta, lab in zip(members[1:], metas[1:], labels[1:]):
        differs = [k for k in SHARED if meta.get(k) != metas[0].get(k)] + (["id2label"] if lab != labels[0] else [])
        if differs:
            raise DatelineError(f"differs from {members[0]} in {', '.join(differs)}: not one ensemble", m)
    has_crf = {"crf" in m for m in metas}
    if len(has_crf) > 1:
        raise DatelineError("some members were trained with a CRF and some without: not one ensemble")
    meta = {k: metas[0][k] for k in SHARED if k in metas[0]}
    meta["ensemble"] = [os.path.relpath(m.resolve(), out.resolve()) for m in members]
    meta["o_bias"] = float(np.mean([m.get("o_bias", 0.0) for m in metas]))
    meta["i_bias"] = float(np.mean([m.get("i_bias", 0.0) for m in metas]))
    if True in has_crf:
        meta["crf"] = {
            k: np.mean([np.asarray(m["crf"][k], dtype=np.float64) for m in metas], axis=0).tolist()
            for k in metas[0]["crf"]
        }
    return meta


def write_ensemble(members: list[Path], out: Path) -> Path:
    meta = ensemble_meta([Path(m) for m in members], out)
    out.mkdir(parents=True, exist_ok=True)
    write_json_atomic(out / META_FILE, meta)
    return out


@hydra_entry("ensemble")
def main(cfg) -> None:
    members = [Path(m) for m in cfg.models]
    out = write_ensemble(members, Path(cfg.out))
    print(f"ensemble of {len(members)} models written to {out}")


if __name__ == "__main__":
    main()
