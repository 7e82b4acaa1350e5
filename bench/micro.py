"""What each speed switch gives on its own: `dateline bench-micro` (also `make bench-micro`).

Training steps of MiniLM (forward, backward, clipping, fused AdamW) on random batches of 48
subwords, with one switch changed at a time, interleaved round-robin so that every variant
sees the same machine load; and the tagger over the bench articles with an fp32 and a bf16
copy of a trained model (when `bench/work` holds one); and the encoder's own matmuls at the
training batch, alone, against the large-matmul peak: the ceiling of `peak_fraction` in
`make bench` before any overhead. Medians; writes bench/micro.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import torch

from dateline.cli import hydra_entry
from dateline.io import write_text_atomic

TRAIN_VARIANTS = {
    "fp32, batch 16 (before)": dict(batch=16),
    "+ bf16 autocast": dict(batch=16, bf16=True),
    "+ frozen word embeddings (fp32)": dict(batch=16, freeze=True),
    "+ bf16 + frozen embeddings": dict(batch=16, bf16=True, freeze=True),
    "+ bf16 + frozen + fast dropout masks (harness default)": dict(batch=16, bf16=True, freeze=True, fast_dropout=True),
    "+ bf16 + frozen + fast dropout + batch 32 (not adopted)": dict(
        batch=32, bf16=True, freeze=True, fast_dropout=True
    ),
    "+ no dropout, fp32 (not adopted: changes the model)": dict(batch=16, dropout=False),
}


PROFILED = "+ bf16 + frozen + fast dropout masks (harness default)"


def training_steps(rounds: int, length: int = 48) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """Subwords per second of one optimizer step, median over `rounds` rounds of 3 steps; and
    where the harness default's step spends its time (torch.profiler, share of self CPU time
    of the top operators over 5 steps)."""
    from transformers import AutoModelForTokenClassification
    from transformers import logging as hf_logging

    from dateline.paths import minilm_path
    from dateline.training.dropout import install as install_fast_dropout

    hf_logging.set_verbosity_error()
    torch.manual_seed(0)
    state = {}
    for name, v in TRAIN_VARIANTS.items():
        extra = {} if v.get("dropout", True) else {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0}
        model = AutoModelForTokenClassification.from_pretrained(minilm_path(), num_labels=5, **extra).train()
        if v.get("freeze"):
            model.get_input_embeddings().weight.requires_grad_(False)
        if v.get("fast_dropout"):
            install_fast_dropout(model)
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5, fused=True)
        state[name] = (model, opt)

    def step(name: str) -> float:
        v, (model, opt) = TRAIN_VARIANTS[name], state[name]
        ids = torch.randint(1000, 30000, (v["batch"], length))
        labels = torch.randint(0, 5, (v["batch"], length))
        started = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=v.get("bf16", False)):
            loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        return v["batch"] * length / (time.perf_counter() - started)

    rates = {name: [] for name in TRAIN_VARIANTS}
    for r in range(rounds + 1):
        for name in TRAIN_VARIANTS:
            rate = statistics.median(step(name) for _ in range(3))
            if r:  # round 0 warms up
                rates[name].append(rate)
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(5):
            step(PROFILED)
    events = prof.key_averages()
    total = sum(e.self_cpu_time_total for e in events)
    shares = sorted(((e.key, e.self_cpu_time_total / total) for e in events), key=lambda kv: -kv[1])
    return {name: statistics.median(v) for name, v in rates.items()}, shares[:8]


def encoder_gemms(batch: int, length: int, hidden: int = 384, inter: int = 1536, heads: int = 12) -> list[tuple]:
    """(count, batch, m, k, n) of every matmul one MiniLM layer runs in a training step:
    forward, then the input and weight gradients of each (attention per head, batched)."""
    t, d = batch * length, hidden // heads
    dense = [(4, t, hidden, hidden), (1, t, hidden, inter), (1, t, inter, hidden)]
    out = []
    for count, m, k, n in dense:
        out += [(count, 1, m, k, n), (count, 1, m, n, k), (count, 1, k, m, n)]
    bh = batch * heads
    for m, k, n in [(length, d, length), (length, length, d)]:  # scores, weighted sum
        out += [(1, bh, m, k, n), (1, bh, m, n, k), (1, bh, k, m, n)]
    return out


def matmul_ceiling(rounds: int, batch: int = 16, length: int = 48) -> dict[str, float]:
    """GFLOP/s of the encoder's own bf16 matmuls at the training batch, run back to back with
    nothing else (the most a training step could reach), and the peak (bench.run.matmul_peak),
    interleaved so that both see the same load."""
    from dateline.bench.run import best_seconds, matmul_peak

    shapes = encoder_gemms(batch, length)
    mats = [
        (c, torch.randn(b, m, k, dtype=torch.bfloat16), torch.randn(b, n, k, dtype=torch.bfloat16))
        for c, b, m, k, n in shapes
    ]
    flops = sum(2 * c * b * m * k * n for c, b, m, k, n in shapes)

    def gemms() -> None:
        for c, a, w in mats:
            for _ in range(c):
                if a.shape[0] == 1:
                    torch.nn.functional.linear(a[0], w[0])  # the dense layers' call
                else:
                    torch.matmul(a, w.mT)  # attention, batched over sequences x heads

    ceiling, peak = [], []
    for _ in range(rounds):
        ceiling.append(flops / best_seconds(gemms, 5) / 1e9)
        peak.append(matmul_peak("bf16", repeats=5))
    return {"ceiling": statistics.median(ceiling), "peak": statistics.median(peak)}


def tagging(model_dir: Path, rounds: int) -> dict[str, float]:
    """Articles per second of the tagger with an fp32 and a bf16 copy of the model."""
    from dateline.bench.phases import articles
    from dateline.tagging.tagger import Tagger

    docs = articles({})
    taggers = {p: Tagger(model_dir, precision=p) for p in ("fp32", "bf16")}
    for t in taggers.values():
        t.tag_documents(docs[:3])
    rates = {p: [] for p in taggers}
    for _ in range(rounds):
        for p, t in taggers.items():
            started = time.perf_counter()
            t.tag_documents(docs)
            rates[p].append(len(docs) / (time.perf_counter() - started))
    return {p: statistics.median(v) for p, v in rates.items()}


@hydra_entry("bench_micro")
def main(cfg) -> None:
    args = argparse.Namespace(rounds=cfg.rounds, model=Path(cfg.model_dir), out=Path(cfg.out))
    train, shares = training_steps(args.rounds)
    base = next(iter(train.values()))
    lines = ["| training step (MiniLM, 48 subwords) | subwords/s | vs before |", "|---|---|---|"]
    lines += [f"| {name} | {rate:.0f} | {rate / base:.2f}x |" for name, rate in train.items()]
    lines += ["", "| where the harness default's step goes (torch.profiler) | share of CPU time |", "|---|---|"]
    lines += [f"| `{op}` | {100 * share:.1f}% |" for op, share in shares]
    ceilings = {batch: matmul_ceiling(args.rounds, batch=batch) for batch in (16, 64)}
    lines += [
        "",
        "| bf16 matmuls alone | GFLOP/s | peak measured alongside (best of bench.run.PEAK_SHAPES) | % of that peak |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| MiniLM's matmuls of one training step, batch {batch} x 48 subwords | {mm['ceiling']:.0f} "
        f"| {mm['peak']:.0f} | {100 * mm['ceiling'] / mm['peak']:.0f}% |"
        for batch, mm in ceilings.items()
    ]
    if (args.model / "config.json").is_file():
        tag = tagging(args.model, max(3, args.rounds // 2))
        lines += ["", "| tagger (bench articles) | articles/s | vs fp32 |", "|---|---|---|"]
        lines += [f"| {p} model copy | {rate:.2f} | {rate / tag['fp32']:.2f}x |" for p, rate in tag.items()]
    md = "\n".join(lines) + "\n"
    write_text_atomic(args.out, "# bench.micro: one switch at a time\n\n" + md)
    print(md)


if __name__ == "__main__":
    main()
