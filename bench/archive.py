"""`dateline bench-archive` (make bench-archive): `dateline tag` over a synthetic archive, measured.

One run, side by side on this machine: the bench's own tagging (the tagger called in-process on
a batch of raw articles, as `make bench` times it) on a sample of the archive; then `dateline
tag` over the whole archive as one process with 2 threads, as 2 processes with one thread each
(torchrun), and killed part-way and resumed. Throughput is tokens/s per core; peak RSS is the
largest process's. The outputs of the three tag runs are compared table by table.

Writes bench/archive.json and bench/archive.md.
"""

from __future__ import annotations

import gzip
import json
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from dateline.bench.synthetic import news_like_text
from dateline.cli import hydra_entry
from dateline.errors import DatelineError
from dateline.io import write_json_atomic, write_text_atomic
from dateline.paths import PROJECT_ROOT


def write_archive(path: Path, n: int, seed: int) -> int:
    """`n` synthetic news-like articles of 150-350 words as JSONL.gz; returns the word count."""
    rng, words = random.Random(seed), 0
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(n):
            k = rng.randint(150, 350)
            words += k
            f.write(json.dumps({"id": f"art{i:06d}", "text": news_like_text(k, seed=seed * 100003 + i)}) + "\n")
    return words


def tag_command(cfg, out: Path, processes: int, threads: int) -> list[str]:
    common = [
        f"input={cfg.work}/archive.jsonl.gz",
        f"out={out}",
        f"ckpt={cfg.model_dir}",
        f"shard_size={cfg.shard_size}",
    ]
    common.append("progress=false")
    if processes == 1:
        return [sys.executable, "-m", "dateline.cli", "tag", *common, f"threads={threads}"]
    torchrun = str(Path(sys.executable).with_name("torchrun"))
    return [
        torchrun,
        "--standalone",
        f"--nproc_per_node={processes}",
        "-m",
        "dateline.tagging.archive",
        *common,
        "threads=1",
    ]


def child_peak_rss_mib() -> float:
    """The largest peak RSS among the children that have ended so far (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_tag(cfg, out: Path, processes: int, threads: int = 2, kill_after: float | None = None) -> dict:
    """One `dateline tag` run (killed after `kill_after` seconds when given); its manifest figures."""
    started = time.time()
    proc = subprocess.Popen(tag_command(cfg, out, processes, threads), cwd=PROJECT_ROOT, start_new_session=True)
    try:
        proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        import os

        os.killpg(proc.pid, signal.SIGKILL)  # the whole process group: torchrun and its workers
        proc.wait()
        return {"killed_after_s": kill_after, "shards_done": len(list(out.glob("part-*.done.json")))}
    if proc.returncode != 0:
        raise DatelineError(f"dateline tag exited with {proc.returncode}")
    m = json.loads((out / "manifest.json").read_text())
    cores = 2
    return {
        "processes": processes,
        "threads_per_process": threads,
        "wall_s": round(time.time() - started, 1),
        "tokens": m["this_run"]["tokens"],
        "tokens_per_s": m["this_run"]["tokens_per_s"],
        "tokens_per_s_per_core": round(m["this_run"]["tokens_per_s"] / cores, 1),
        "articles_per_s": m["this_run"]["articles_per_s"],
        "resumed_shards": m["this_run"]["resumed_shards"],
        "exactly_once": m["exactly_once"],
        "errors": m["counts"]["errors"],
    }


def in_process_tagging(cfg, sample: int) -> dict:
    """The bench's way: the tagger on raw articles in one batched call, in this process (2 threads)."""
    from dateline.data.text import document_from_text
    from dateline.tagging.tagger import Tagger

    with gzip.open(Path(cfg.work) / "archive.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(next(f)) for _ in range(sample)]
    tagger = Tagger(cfg.model_dir)
    tagger.tag_documents([document_from_text("warm", rows[0]["text"])])
    started = time.perf_counter()
    docs = [document_from_text(r["id"], r["text"]) for r in rows]
    tagger.tag_documents(docs)
    seconds = time.perf_counter() - started
    tokens = sum(len(d.tokens) for d in docs)
    return {
        "articles": sample,
        "tokens": tokens,
        "tokens_per_s": round(tokens / seconds, 1),
        "tokens_per_s_per_core": round(tokens / seconds / 2, 1),
    }


def compare_outputs(a: Path, b: Path) -> dict:
    """Whether two runs wrote the same tables; if not, whether the spans are the same and how
    many confidences differ, by how much at most."""
    import pyarrow.parquet as pq

    names = sorted(p.name for p in a.glob("part-*.parquet"))
    if names != sorted(p.name for p in b.glob("part-*.parquet")):
        return {"identical": False, "same_shards": False}
    identical, same_spans, rows, differ, most = True, True, 0, 0, 0.0
    for n in names:
        ta, tb = pq.read_table(a / n), pq.read_table(b / n)
        if ta.equals(tb):
            rows += ta.num_rows
            continue
        identical = False
        ra, rb = ta.to_pylist(), tb.to_pylist()
        rows += len(ra)
        strip = lambda rs: [{k: v for k, v in r.items() if k != "confidence"} for r in rs]  # noqa: E731
        same_spans = same_spans and strip(ra) == strip(rb)
        if "confidence" in ta.column_names and len(ra) == len(rb):
            gaps = [abs(x["confidence"] - y["confidence"]) for x, y in zip(ra, rb)]
            differ += sum(g > 0 for g in gaps)
            most = max([most, *gaps])
    return {
        "identical": identical,
        "same_rows_but_confidence": same_spans,
        "rows": rows,
        "confidences_differing": differ,
        "largest_confidence_gap": round(most, 4),
    }


@hydra_entry("bench_archive")
def main(cfg) -> None:
    import shutil

    from dateline.runs import latest_model

    cfg.model_dir = str(cfg.model_dir or latest_model(Path(cfg.runs_root)))
    work = Path(cfg.work)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    words = write_archive(work / "archive.jsonl.gz", cfg.articles, cfg.seed)
    r = {"articles": cfg.articles, "words": words, "model": str(cfg.model_dir), "shard_size": cfg.shard_size}
    r["in_process_sample"] = in_process_tagging(cfg, cfg.sample)
    r["one_process_two_threads"] = run_tag(cfg, work / "one", 1, threads=2)
    r["peak_rss_mib_one_process"] = round(child_peak_rss_mib(), 1)
    r["two_processes_one_thread"] = run_tag(cfg, work / "two", 2, threads=1)
    r["one_process_one_thread"] = run_tag(cfg, work / "one_thread", 1, threads=1)
    r["peak_rss_mib_any_process"] = round(child_peak_rss_mib(), 1)
    kill_at = round(0.4 * r["one_process_two_threads"]["wall_s"], 1)
    r["killed"] = run_tag(cfg, work / "resumed", 1, threads=2, kill_after=kill_at)
    r["resumed"] = run_tag(cfg, work / "resumed", 1, threads=2)
    r["outputs"] = {
        "two_processes_vs_one_process_one_thread": compare_outputs(work / "one_thread", work / "two"),
        "two_processes_vs_one_process_two_threads": compare_outputs(work / "one", work / "two"),
        "resumed_vs_uninterrupted": compare_outputs(work / "one", work / "resumed"),
    }
    r["two_vs_one_speed"] = round(
        r["two_processes_one_thread"]["tokens_per_s"] / r["one_process_two_threads"]["tokens_per_s"], 3
    )
    write_json_atomic(Path(cfg.out) / "archive.json", r)
    write_text_atomic(Path(cfg.out) / "archive.md", markdown(r))
    print(markdown(r))


def markdown(r: dict) -> str:
    one, two, res = r["one_process_two_threads"], r["two_processes_one_thread"], r["resumed"]
    single, outs = r["one_process_one_thread"], r["outputs"]
    lines = [
        "# dateline bench-archive",
        "",
        f"{r['articles']:,} synthetic articles ({r['words']:,} words), model `{r['model']}`, shards of {r['shard_size']}.",
        "",
        "| run | tokens/s | tokens/s per core | articles/s | wall s | every article once |",
        "|---|---|---|---|---|---|",
        f"| the tagger in-process on {r['in_process_sample']['articles']} articles (the bench's way, 2 threads) "
        f"| {r['in_process_sample']['tokens_per_s']:.0f} | {r['in_process_sample']['tokens_per_s_per_core']:.0f} | | | |",
        f"| `dateline tag`, 1 process x 2 threads | {one['tokens_per_s']:.0f} | {one['tokens_per_s_per_core']:.0f} "
        f"| {one['articles_per_s']:.1f} | {one['wall_s']} | {one['exactly_once']['ok']} |",
        f"| `dateline tag`, 2 processes x 1 thread (torchrun) | {two['tokens_per_s']:.0f} | {two['tokens_per_s_per_core']:.0f} "
        f"| {two['articles_per_s']:.1f} | {two['wall_s']} | {two['exactly_once']['ok']} |",
        f"| `dateline tag`, 1 process x 1 thread | {single['tokens_per_s']:.0f} | {single['tokens_per_s']:.0f} "
        f"| {single['articles_per_s']:.1f} | {single['wall_s']} | {single['exactly_once']['ok']} |",
        f"| killed after {r['killed']['killed_after_s']} s ({r['killed']['shards_done']} shards done), then resumed "
        f"| {res['tokens_per_s']:.0f} | | | {res['wall_s']} | {res['exactly_once']['ok']} |",
        "",
        f"2 processes x 1 thread / 1 process x 2 threads: {r['two_vs_one_speed']:.3f}x. Peak RSS: "
        f"{r['peak_rss_mib_one_process']:.0f} MiB (1 process), {r['peak_rss_mib_any_process']:.0f} MiB (largest "
        f"process of all runs). ({res['resumed_shards']} shards of the killed run were reused.)",
        "",
        "| outputs compared (span and article tables) | tables identical | rows the same but for confidence | confidences differing, of the rows compared | largest gap |",
        "|---|---|---|---|---|",
        *[
            f"| {name.replace('_', ' ')} | {o['identical']} | {o.get('same_rows_but_confidence', '')} "
            f"| {o.get('confidences_differing', '')} of {o.get('rows', '')} | {o.get('largest_confidence_gap', '')} |"
            for name, o in outs.items()
        ],
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
