"""`experiment=mpnet trainer=gpu` on a GPU, measured in one run (the MPNet issue, item 4).

1. The GPU's practical bf16 matmul peak: the best of a few large `linear` calls.
2. `dateline train experiment=mpnet trainer=gpu` end to end (train, tune decoding, evaluate):
   wall time, the harness's training seconds and subwords/s, and the fraction of the peak
   its training reaches (FLOPs as `make bench` counts them: bench/run.py).
3. Where that fraction goes: one training step of the same model (CRF, frozen word vectors,
   bf16 autocast, fused AdamW) timed alone over a grid of batch x sequence length, and the
   step at the run's own shape profiled (CUDA kernels per step, the GPU's busy share of the
   step's wall time); with `torch.compile(mode="reduce-overhead")` (CUDA graphs) where time allows.

With `--random-weights ARCH`, the model is all-mpnet-base-v2's architecture (ARCH holds its
config.json and tokenizer) with random weights, saved where `model=mpnet` looks for its weights:
speed is the real model's, F1 is not. Writes OUT/gpu_mpnet.json after every stage and
OUT/gpu_mpnet.md at the end.

    python scripts/gpu_mpnet.py --out results/bench/gpu_mpnet [--random-weights DIR] [--commit SHA]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

from dateline.bench.run import encoder_flops_per_token, matmul_peak
from dateline.eval.compare import flatten
from dateline.io import write_json_atomic
from dateline.paths import PROJECT_ROOT

DEVICE = "cuda"  # --device cpu: a dry run of the script itself
LABELS = ["O", "B-EVENT", "I-EVENT", "B-ACTOR", "I-ACTOR"]
PEAK_SHAPES = ((8192, 8192, 8192), (16384, 768, 3072), (16384, 3072, 768), (16384, 768, 768))
GRID = ((32, 32), (32, 64), (64, 64), (32, 128), (64, 128), (128, 128), (64, 256), (128, 256), (256, 256), (512, 128))
TOKENIZER_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")


def sync() -> None:
    if DEVICE == "cuda":
        torch.cuda.synchronize()


def free() -> None:
    if DEVICE == "cuda":
        torch.cuda.empty_cache()


def write(out: Path, record: dict) -> None:
    write_json_atomic(out / "gpu_mpnet.json", record)


def random_mpnet(arch: Path, target: Path) -> None:
    """MPNet-base's architecture with random weights (seed 0) where `model=mpnet` loads from."""
    from transformers import AutoConfig, AutoModelForMaskedLM

    target.mkdir(parents=True, exist_ok=True)
    for name in TOKENIZER_FILES:
        shutil.copy(arch / name, target / name)
    torch.manual_seed(0)
    AutoModelForMaskedLM.from_config(AutoConfig.from_pretrained(arch)).save_pretrained(target)


def end_to_end(out: Path, extra: list[str], timeout: int) -> dict:
    """`dateline train experiment=mpnet trainer=gpu` in its own process; its record's figures."""
    run_dir = out / "run"
    cmd = [sys.executable, "-m", "dateline.cli", "train", "experiment=mpnet", "trainer=gpu", "seed=1"]
    cmd += [f"hydra.run.dir={run_dir}", "logger=none", *extra]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - started
    (out / "train_stdout.log").write_text(proc.stdout[-200_000:] + "\n--- stderr ---\n" + proc.stderr[-200_000:])
    rec: dict = {"command": " ".join(cmd[2:]), "wall_seconds": round(wall, 1), "returncode": proc.returncode}
    results = run_dir / "results.json"
    if proc.returncode or not results.is_file():
        rec["error_tail"] = proc.stderr[-3000:]
        return rec
    r = json.loads(results.read_text())
    shutil.copy(results, out / "run_results.json")
    t = r["training"]
    epochs = r["config"]["trainer"]["args"]["num_train_epochs"]
    seq = t["train_subwords"] / t["train_windows"]
    rec |= {
        "training_seconds": t["seconds"],
        "train_windows": t["train_windows"],
        "train_subwords_per_epoch": t["train_subwords"],
        "epochs": epochs,
        "mean_window_subwords": round(seq, 1),
        "batch_size": r["config"]["trainer"]["args"]["per_device_train_batch_size"],
        "subwords_per_second": round(t["train_subwords"] * epochs / t["seconds"], 1),
        "gold_tokens_per_second": t["gold_tokens_per_second"],
        "precision": t.get("precision"),
        "device": r.get("evaluation", {}).get("device"),
        "scores": {k: v for k, v in flatten(r).items() if k.startswith("results.") and k.endswith(".strict.micro.f1")},
    }
    return rec


def build_step(model_dir: Path, compiled: bool = False):
    """One harness training step of the MPNet tagger on the GPU, as `dateline train` builds it."""
    from dateline.training.model import ModelSpec

    spec = ModelSpec(
        name="mpnet", pretrained=str(model_dir), tokenizer=str(model_dir), crf=True, freeze_word_embeddings=True
    )
    model = spec.build(LABELS).to(DEVICE).train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=5e-5, fused=True)
    forward = torch.compile(model, mode="reduce-overhead", dynamic=False) if compiled else model

    def step(ids: torch.Tensor, labels: torch.Tensor) -> None:
        with torch.autocast(DEVICE, dtype=torch.bfloat16):
            loss = forward(input_ids=ids, attention_mask=torch.ones_like(ids), labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)

    return model, step


def time_steps(step, batch: int, seq: int, warmup: int = 3, timed: int = 10) -> float:
    """Median seconds of one step on random subwords, after `warmup` untimed steps."""
    ids = torch.randint(1000, 30000, (batch, seq), device=DEVICE)
    labels = torch.randint(0, len(LABELS), (batch, seq), device=DEVICE)
    for _ in range(warmup):
        step(ids, labels)
    sync()
    times = []
    for _ in range(timed):
        started = time.perf_counter()
        step(ids, labels)
        sync()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def step_row(config, batch: int, seq: int, seconds: float, peak: float) -> dict:
    flops = 3 * encoder_flops_per_token(config, seq) * batch * seq
    return {
        "batch": batch,
        "seq": seq,
        "step_ms": round(1000 * seconds, 2),
        "subwords_per_s": round(batch * seq / seconds),
        "tflops": round(flops / seconds / 1e12, 1),
        "peak_fraction": round(flops / seconds / 1e9 / peak, 4),
    }


def profile_step(step, batch: int, seq: int, steps: int = 5) -> dict:
    """CUDA kernels per step and the share of the step's wall time the GPU spends in them."""
    from torch.profiler import ProfilerActivity, profile

    if DEVICE != "cuda":
        return {}

    ids = torch.randint(1000, 30000, (batch, seq), device=DEVICE)
    labels = torch.randint(0, len(LABELS), (batch, seq), device=DEVICE)
    for _ in range(3):
        step(ids, labels)
    sync()
    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        started = time.perf_counter()
        for _ in range(steps):
            step(ids, labels)
        sync()
        wall = time.perf_counter() - started
    kernels = [e for e in prof.events() if e.device_type == torch.autograd.DeviceType.CUDA]
    busy_us = sum(e.time_range.elapsed_us() for e in kernels)
    top = prof.key_averages().table(sort_by="self_device_time_total", row_limit=12)
    return {
        "batch": batch,
        "seq": seq,
        "kernels_per_step": round(len(kernels) / steps),
        "gpu_busy_ms_per_step": round(busy_us / 1000 / steps, 2),
        "wall_ms_per_step_profiled": round(1000 * wall / steps, 2),
        "gpu_busy_share": round(busy_us / 1e6 / wall, 3),
        "top_kernels": top,
    }


def markdown(r: dict) -> str:
    lines = [f"# `experiment=mpnet trainer=gpu` on {r['env']['gpu']}", ""]
    lines.append(
        f"Commit {r['env'].get('commit')}; torch {r['env']['torch']}, transformers {r['env']['transformers']}. "
    )
    lines.append(f"Weights: {r['weights']}.\n")
    lines.append(
        f"bf16 matmul peak (best `linear` of m x k x n in {r['peak_shapes']}): **{r['peak_gflops_bf16'] / 1000:.0f} TFLOP/s**.\n"
    )
    e = r.get("end_to_end", {})
    if "training_seconds" in e:
        lines += [
            "| end to end | |",
            "|---|---|",
            f"| command | `{e['command']}` |",
            f"| wall time (train, tune decoding, evaluate) | {e['wall_seconds']:.0f} s |",
            f"| training (the harness's timer: epochs, dev evaluation, checkpoints) | {e['training_seconds']:.1f} s |",
            f"| windows x epochs, batch | {e['train_windows']} x {e['epochs']}, {e['batch_size']} (mean {e['mean_window_subwords']} subwords) |",
            f"| subwords/s | {e['subwords_per_second']:.0f} |",
            f"| fraction of the bf16 peak | {100 * e['peak_fraction']:.2f}% |",
            "",
        ]
        lines += [f"- {k}: {v:.4f}" for k, v in sorted(e["scores"].items()) if isinstance(v, float)]
        lines.append("")
    elif e:
        lines.append(f"End to end failed (rc {e.get('returncode')}):\n\n```\n{e.get('error_tail', '')}\n```\n")
    for key, title in (("grid", "eager"), ("grid_compiled", "torch.compile, reduce-overhead (CUDA graphs)")):
        if r.get(key):
            lines += [
                f"One training step alone, {title}:",
                "",
                "| batch | seq | step ms | subwords/s | TFLOP/s | of peak |",
            ]
            lines.append("|---|---|---|---|---|---|")
            lines += [
                f"| {g['batch']} | {g['seq']} | {g['step_ms']} | {g['subwords_per_s']} | {g['tflops']} | {100 * g['peak_fraction']:.1f}% |"
                for g in r[key]
            ]
            lines.append("")
    if r.get("profile"):
        p = r["profile"]
        lines.append(
            f"Profiled step at batch {p['batch']} x {p['seq']}: {p['kernels_per_step']} CUDA kernels per step, "
            f"GPU busy {p['gpu_busy_ms_per_step']} ms of {p['wall_ms_per_step_profiled']} ms "
            f"({100 * p['gpu_busy_share']:.0f}%).\n"
        )
        lines.append("```\n" + p["top_kernels"] + "\n```\n")
    for err in r.get("errors", []):
        lines.append(f"- error: {err}")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "gpu_mpnet")
    ap.add_argument("--random-weights", type=Path, help="folder with MPNet's config.json and tokenizer")
    ap.add_argument("--commit", default=None)
    ap.add_argument("--budget-s", type=float, default=480, help="skip the compiled grid past this")
    ap.add_argument("--train-timeout-s", type=int, default=300)
    ap.add_argument("--device", default="cuda", help="cpu: a dry run of this script")
    ap.add_argument("--grid", nargs="*", default=None, help="BATCHxSEQ shapes instead of the default grid")
    ap.add_argument("overrides", nargs="*", help="extra overrides for the end-to-end run")
    args = ap.parse_args()
    global DEVICE
    DEVICE = args.device
    grid = [tuple(int(x) for x in g.split("x")) for g in args.grid] if args.grid is not None else GRID
    started = time.perf_counter()
    import transformers

    from dateline.paths import mpnet_dir
    from dateline.training.mpnet import ensure_mpnet

    args.out.mkdir(parents=True, exist_ok=True)
    r: dict = {
        "env": {
            "gpu": torch.cuda.get_device_name() if DEVICE == "cuda" else "cpu (dry run)",
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "commit": args.commit,
        },
        "errors": [],
    }
    shapes = PEAK_SHAPES if DEVICE == "cuda" else ((256, 256, 256),)
    r["peak_shapes"] = [list(x) for x in shapes]
    r["peak_gflops_bf16"] = matmul_peak("bf16", shapes, repeats=10, device=DEVICE)
    write(args.out, r)
    if args.random_weights:
        random_mpnet(args.random_weights, Path(mpnet_dir()))
        r["weights"] = (
            "all-mpnet-base-v2's architecture with random weights (the real weights could not be brought here)"
        )
    else:
        ensure_mpnet()
        r["weights"] = "all-mpnet-base-v2 (real)"
    model_dir = Path(mpnet_dir())
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(model_dir)
    try:
        e = end_to_end(args.out, args.overrides, args.train_timeout_s)
        if "training_seconds" in e:
            flops = 3 * encoder_flops_per_token(config, e["mean_window_subwords"])
            e["tflops"] = round(flops * e["subwords_per_second"] / 1e12, 2)
            e["peak_fraction"] = round(flops * e["subwords_per_second"] / 1e9 / r["peak_gflops_bf16"], 5)
        r["end_to_end"] = e
    except Exception as exc:  # noqa: BLE001 - the step grid still runs and is written
        r["errors"].append(f"end to end: {exc!r}")
    write(args.out, r)
    shape = (32, round(r.get("end_to_end", {}).get("mean_window_subwords", 32)))
    model, step = build_step(model_dir)
    r["grid"] = []
    for batch, seq in (shape, *grid):
        try:
            r["grid"].append(step_row(config, batch, seq, time_steps(step, batch, seq), r["peak_gflops_bf16"]))
        except Exception as exc:  # noqa: BLE001 - e.g. out of memory at the largest shapes
            r["errors"].append(f"step {batch}x{seq}: {exc!r}")
            free()
        write(args.out, r)
    try:
        r["profile"] = profile_step(step, *shape)
    except Exception as exc:  # noqa: BLE001
        r["errors"].append(f"profile: {exc!r}")
    write(args.out, r)
    del model, step
    free()
    r["grid_compiled"] = []
    for batch, seq in (shape, (256, 256)) if DEVICE == "cuda" else ():
        if time.perf_counter() - started > args.budget_s:
            r["errors"].append(f"compiled {batch}x{seq}: skipped, past the time budget")
            continue
        try:
            _, cstep = build_step(model_dir, compiled=True)
            r["grid_compiled"].append(
                step_row(config, batch, seq, time_steps(cstep, batch, seq, warmup=4), r["peak_gflops_bf16"])
            )
            del cstep
        except Exception as exc:  # noqa: BLE001
            r["errors"].append(f"compiled {batch}x{seq}: {exc!r}"[:2000])
        free()
        write(args.out, r)
    r["seconds"] = round(time.perf_counter() - started, 1)
    write(args.out, r)
    (args.out / "gpu_mpnet.md").write_text(markdown(r))
    print(markdown(r))


if __name__ == "__main__":
    main()
