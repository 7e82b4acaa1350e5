"""`make bench`: the plain recipe (bench/recipe.py) and the harness default, measured side by
side in one run on this machine. Each phase runs in its own process so its peak RSS is its own.

Writes bench/results.json (train_speedup, tag_speedup, test_f1_delta in F1 points harness minus
recipe, peak_fraction) and bench/results.md, and prints the table.

FLOPs of the encoder per subword token (forward): 2 x non-embedding parameters + 4 x layers x
sequence length x hidden size (attention scores and weighted sum); training is 3 x forward.
The machine's peak is measured in the same run with a large square matmul (fp32 and bf16).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def matmul_peak(dtype_name: str, n: int = 2048, repeats: int = 5) -> float:
    """GFLOP/s of an n x n matmul (best of `repeats`), the machine's practical peak."""
    import torch

    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16}[dtype_name]
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    torch.matmul(a, b)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        torch.matmul(a, b)
        best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best / 1e9


def encoder_flops_per_token(config, seq_len: float) -> float:
    """Forward FLOPs per token of a BERT-style encoder (embeddings excluded)."""
    h, layers, inter = config.hidden_size, config.num_hidden_layers, config.intermediate_size
    params = layers * (4 * h * h + 2 * h * inter)  # attention projections + feed-forward
    return 2 * params + 4 * layers * seq_len * h


def phase(name: str, args: argparse.Namespace) -> dict:
    """Run one phase in a child process and return its JSON result (which holds its own peak RSS)."""
    res = subprocess.run(
        [sys.executable, "-m", "bench.phases", name, json.dumps(vars(args), default=str)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        raise SystemExit(f"bench phase {name} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def table(r: dict) -> str:
    rec, har = r["train"]["recipe"], r["train"]["harness"]
    trec, thar = r["tag"]["recipe"], r["tag"]["harness"]
    lines = [
        "| | plain recipe | harness default | ratio |",
        "|---|---|---|---|",
        f"| training: gold tokens/s | {rec['gold_tokens_per_s']:.0f} | {har['gold_tokens_per_s']:.0f} | {r['train_speedup']:.2f}x |",
        f"| training: wall time (s) | {rec['seconds']:.0f} | {har['seconds']:.0f} | |",
        f"| training: peak RSS (MiB) | {rec['peak_rss_mib']:.0f} | {har['peak_rss_mib']:.0f} | |",
        f"| training: achieved GFLOP/s | {rec['gflops']:.1f} | {har['gflops']:.1f} | |",
        f"| dev strict F1 | {rec['dev_f1']:.4f} | {har['dev_f1']:.4f} | |",
        f"| test strict F1 | {rec['test_f1']:.4f} | {har['test_f1']:.4f} | {r['test_f1_delta']:+.2f} pts |",
        f"| tagging: articles/s | {trec['articles_per_s']:.2f} | {thar['articles_per_s']:.2f} | {r['tag_speedup']:.2f}x |",
        f"| tagging: tokens/s | {trec['tokens_per_s']:.0f} | {thar['tokens_per_s']:.0f} | |",
        f"| tagging: peak RSS (MiB) | {trec['peak_rss_mib']:.0f} | {thar['peak_rss_mib']:.0f} | |",
        "",
        f"Matmul peak on this machine: fp32 {r['peak_gflops']['fp32']:.0f} GFLOP/s, bf16 {r['peak_gflops']['bf16']:.0f} GFLOP/s. "
        f"Harness training precision: {har['precision']}; achieved {har['gflops']:.1f} GFLOP/s = "
        f"{100 * r['peak_fraction']:.1f}% of the {har['precision']} peak.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpora", default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    parser.add_argument("--harness-args", default="", help="extra Hydra overrides for the harness run")
    args = parser.parse_args(argv)
    args.work = str(args.out / "work")
    started = time.time()
    peaks = {"fp32": matmul_peak("fp32"), "bf16": matmul_peak("bf16")}
    r = {"train": {"recipe": phase("train_recipe", args), "harness": phase("train_harness", args)}}
    r["tag"] = {"recipe": phase("tag_recipe", args), "harness": phase("tag_harness", args)}
    har, rec = r["train"]["harness"], r["train"]["recipe"]
    r.update(
        {
            "peak_gflops": peaks,
            "train_speedup": har["gold_tokens_per_s"] / rec["gold_tokens_per_s"],
            "tag_speedup": r["tag"]["harness"]["articles_per_s"] / r["tag"]["recipe"]["articles_per_s"],
            "test_f1_delta": 100 * (har["test_f1"] - rec["test_f1"]),
            "peak_fraction": har["gflops"] / peaks[har["precision"]],
            "settings": {"epochs": args.epochs, "seed": args.seed, "harness_args": args.harness_args},
            "machine": {"platform": platform.platform(), "python": platform.python_version()},
            "seconds": round(time.time() - started, 1),
        }
    )
    args.out.mkdir(parents=True, exist_ok=True)
    from data.io import write_json_atomic, write_text_atomic

    write_json_atomic(args.out / "results.json", r)
    md = table(r)
    write_text_atomic(args.out / "results.md", "# make bench\n\n" + md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
