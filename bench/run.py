"""`dateline bench` (`make bench`): the plain recipe (bench/recipe.py) and the harness default, measured side by
side in one run on this machine. Each phase runs in its own process so its peak RSS is its own.

Both sides train once per seed (default 1, 2, 3; interleaved so both see the same load): speed
is the median over seeds, F1 the mean and standard deviation. Tagging is timed on the first
seed's models in rounds (default 3; in each, the recipe, the harness in its fast path and in
fp32, one process each, median of 3 passes): throughput is the median over rounds, the speed-up
the median of the rounds' ratios; one synthetic
article of 1k, 10k and 100k words checks that throughput and memory do not grow with length.

Writes bench/results.json (train_speedup, tag_speedup, test_f1_delta in F1 points harness minus
recipe (means over seeds), peak_fraction) and bench/results.md, and prints the table.

FLOPs of the encoder per subword token (forward): 2 x non-embedding parameters + 4 x layers x
sequence length x hidden size (attention scores and weighted sum); training is 3 x forward.
The machine's peak is measured in the same run: the best of a few large matmuls (fp32, bf16).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from dateline.cli import hydra_entry
from dateline.errors import DatelineError
from dateline.io import write_json_atomic, write_text_atomic
from dateline.paths import PROJECT_ROOT as ROOT

# (m, k, n) of the matmuls whose best speed is taken as the peak: large squares, and the
# encoder's feed-forward shapes at a 4096-token batch. AMX's speed depends on the shape (what
# fits its tiles and the caches): on this machine a 2048 x 2048 bf16 matmul reaches less than
# half of what a 4096 x 384 x 1536 one does, so one square matmul would understate the peak.
PEAK_SHAPES = ((1024, 1024, 1024), (2048, 2048, 2048), (4096, 4096, 4096), (4096, 384, 1536), (4096, 1536, 384))


def best_seconds(fn, repeats: int) -> float:
    """The fastest of `repeats` timed calls of `fn`, after one untimed warm-up call."""
    fn()
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def matmul_peak(dtype_name: str, shapes=PEAK_SHAPES, repeats: int = 10, device: str = "cpu") -> float:
    """The machine's practical matmul peak in GFLOP/s: the best of `repeats` runs of each shape,
    best over the shapes (`torch.nn.functional.linear`, the call the encoder makes); on a GPU
    each call is waited for, so the time is the kernel's."""
    import torch

    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16}[dtype_name]
    rates = []
    for m, k, n in shapes:
        a, w = torch.randn(m, k, dtype=dtype, device=device), torch.randn(n, k, dtype=dtype, device=device)

        def call(a=a, w=w):
            torch.nn.functional.linear(a, w)
            if device != "cpu":
                torch.cuda.synchronize()

        rates.append(2 * m * k * n / best_seconds(call, repeats) / 1e9)
    return max(rates)


def encoder_flops_per_token(config, seq_len: float) -> float:
    """Forward FLOPs per token of a BERT-style encoder (embeddings excluded)."""
    h, layers, inter = config.hidden_size, config.num_hidden_layers, config.intermediate_size
    params = layers * (4 * h * h + 2 * h * inter)  # attention projections + feed-forward
    return 2 * params + 4 * layers * seq_len * h


def phase(name: str, args: argparse.Namespace, **extra) -> dict:
    """Run one phase in a child process and return its JSON result (which holds its own peak RSS)."""
    res = subprocess.run(
        [sys.executable, "-m", "dateline.bench.phases", name, json.dumps({**vars(args), **extra}, default=str)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        raise DatelineError(f"bench phase {name} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def summarise(runs: list[dict]) -> dict:
    """Medians of the speed figures and mean +- std of the F1s over the seeds' runs."""
    from dateline.eval.compare import mean_std

    out = {k: statistics.median(r[k] for r in runs) for k in ("seconds", "gold_tokens_per_s", "gflops", "peak_rss_mib")}
    for k in ("dev_f1", "test_f1", "test_f1_fp32_tagging"):
        if k in runs[0]:
            out[k], out[f"{k}_std"] = mean_std([r[k] for r in runs])
    return {**out, "precision": runs[0]["precision"], "per_seed": runs}


def median_tagging(rounds: list[dict]) -> dict:
    """One tagging phase run in several rounds: median throughput, highest peak memory."""
    rates = [r["articles_per_s"] for r in rounds]
    out = {k: statistics.median(r[k] for r in rounds) for k in ("seconds", "articles_per_s", "tokens_per_s")}
    return {
        **rounds[0],
        **out,
        "peak_rss_mib": max(r["peak_rss_mib"] for r in rounds),
        "articles_per_s_per_round": rates,
    }


def f1_cell(d: dict, key: str) -> str:
    return f"{d[key]:.4f} ± {d[key + '_std']:.4f}"


def table(r: dict) -> str:
    rec, har = r["train"]["recipe"], r["train"]["harness"]
    trec, thar, t32 = r["tag"]["recipe"], r["tag"]["harness"], r["tag"]["harness_fp32"]
    n = len(r["settings"]["seeds"])
    lines = [
        "| | plain recipe | harness default | ratio |",
        "|---|---|---|---|",
        f"| training: gold tokens/s (median of {n} seeds; ratio: median of the per-seed ratios) | {rec['gold_tokens_per_s']:.0f} | {har['gold_tokens_per_s']:.0f} | {r['train_speedup']:.2f}x |",
        f"| training: speed-up per seed | | | {', '.join(f'{x:.2f}x' for x in r['train_speedup_per_seed'])} |",
        f"| training: wall time (s) | {rec['seconds']:.0f} | {har['seconds']:.0f} | |",
        f"| training: peak RSS (MiB) | {rec['peak_rss_mib']:.0f} | {har['peak_rss_mib']:.0f} | |",
        f"| training: precision | {rec['precision']} | {har['precision']} | |",
        f"| training: achieved GFLOP/s | {rec['gflops']:.1f} | {har['gflops']:.1f} | |",
        f"| dev strict F1 (mean ± std, {n} seeds) | {f1_cell(rec, 'dev_f1')} | {f1_cell(har, 'dev_f1')} | |",
        f"| test strict F1 | {f1_cell(rec, 'test_f1')} | {f1_cell(har, 'test_f1')} | {r['test_f1_delta']:+.2f} pts |",
        f"| test strict F1, harness tagging in fp32 | | {f1_cell(har, 'test_f1_fp32_tagging')} | |",
        f"| tagging: articles/s ({trec['articles']} articles, median of {len(trec['articles_per_s_per_round'])} rounds; ratio: median of the per-round ratios) | {trec['articles_per_s']:.2f} | {thar['articles_per_s']:.2f} ({thar['precision']}) | {r['tag_speedup']:.2f}x |",
        f"| tagging: articles/s, harness in fp32 | | {t32['articles_per_s']:.2f} | {t32['articles_per_s'] / trec['articles_per_s']:.2f}x |",
        f"| tagging: speed-up per round | | | {', '.join(f'{x:.2f}x' for x in r['tag_speedup_per_round'])} |",
        f"| tagging: tokens/s | {trec['tokens_per_s']:.0f} | {thar['tokens_per_s']:.0f} | |",
        f"| tagging: peak RSS (MiB) | {trec['peak_rss_mib']:.0f} | {thar['peak_rss_mib']:.0f} | |",
        "",
        "| one long article (harness) | " + " | ".join(f"{x['words']:,} words" for x in r["tag"]["long"]) + " |",
        "|---|" + "---|" * len(r["tag"]["long"]),
        "| tokens/s | " + " | ".join(f"{x['tokens_per_s']:.0f}" for x in r["tag"]["long"]) + " |",
        "| peak RSS (MiB) | " + " | ".join(f"{x['peak_rss_mib']:.0f}" for x in r["tag"]["long"]) + " |",
        "",
        f"Matmul peak on this machine: fp32 {r['peak_gflops']['fp32']:.0f} GFLOP/s, bf16 {r['peak_gflops']['bf16']:.0f} GFLOP/s. "
        f"Harness training precision: {har['precision']}; achieved {har['gflops']:.1f} GFLOP/s = "
        f"{100 * r['peak_fraction']:.1f}% of the {har['precision']} peak "
        f"({100 * har['gflops'] / r['peak_gflops']['fp32']:.1f}% of the fp32 peak).",
    ]
    return "\n".join(lines) + "\n"


@hydra_entry("bench")
def main(cfg) -> None:
    """`dateline bench`: training speed and F1 side by side over the seeds, then tagging rounds."""
    out = Path(cfg.out)
    args = argparse.Namespace(
        epochs=cfg.epochs,
        corpora=cfg.corpora,
        work=str(out / "work"),
        harness_args=list(cfg.harness_args),
    )
    seeds = [int(x) for x in cfg.seeds]
    started = time.time()
    peaks = {"fp32": matmul_peak("fp32"), "bf16": matmul_peak("bf16")}
    runs = {"recipe": [], "harness": []}
    for seed in seeds:  # interleaved, so that both sides see the same machine load
        runs["recipe"].append(phase("train_recipe", args, seed=seed))
        runs["harness"].append(phase("train_harness", args, seed=seed))
    r = {"train": {k: summarise(v) for k, v in runs.items()}}
    first = seeds[0]
    tagging = {"recipe": [], "harness": [], "harness_fp32": []}
    for _ in range(cfg.tag_rounds):  # interleaved too: one process per side and round
        tagging["recipe"].append(phase("tag_recipe", args, seed=first))
        tagging["harness"].append(phase("tag_harness", args, seed=first, precision="auto"))
        tagging["harness_fp32"].append(phase("tag_harness", args, seed=first, precision="fp32"))
    tag_speedups = [h["articles_per_s"] / p["articles_per_s"] for h, p in zip(tagging["harness"], tagging["recipe"])]
    r["tag"] = {
        **{k: median_tagging(v) for k, v in tagging.items()},
        "long": [phase("tag_long", args, seed=first, precision="auto", words=int(w)) for w in cfg.long_words],
    }
    # the peak is what the machine can do: the best of a measurement before and after the runs
    peaks = {k: max(v, matmul_peak(k)) for k, v in peaks.items()}
    har, rec = r["train"]["harness"], r["train"]["recipe"]
    speedups = [h["gold_tokens_per_s"] / p["gold_tokens_per_s"] for h, p in zip(runs["harness"], runs["recipe"])]
    r.update(
        {
            "peak_gflops": peaks,
            "train_speedup": statistics.median(speedups),
            "train_speedup_per_seed": speedups,
            "tag_speedup": statistics.median(tag_speedups),
            "tag_speedup_per_round": tag_speedups,
            "test_f1_delta": 100 * (har["test_f1"] - rec["test_f1"]),
            "test_f1_delta_per_seed": [
                100 * (h["test_f1"] - p["test_f1"]) for h, p in zip(runs["harness"], runs["recipe"])
            ],
            "peak_fraction": har["gflops"] / peaks[har["precision"]],
            "settings": {"epochs": cfg.epochs, "seeds": seeds, "harness_args": args.harness_args},
            "machine": {"platform": platform.platform(), "python": platform.python_version()},
            "seconds": round(time.time() - started, 1),
        }
    )
    out.mkdir(parents=True, exist_ok=True)
    write_json_atomic(out / "results.json", r)
    md = table(r)
    write_text_atomic(out / "results.md", "# dateline bench\n\n" + md)
    print(md)


if __name__ == "__main__":
    main()
