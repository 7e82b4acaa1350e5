"""`dateline tag input=<folder | .jsonl[.gz] | .parquet> out=<dir>`: tag a whole news archive.

Articles are read as a stream, in a fixed order (the files of a folder sorted by path, the lines
or rows of each file in order), and cut into fixed shards of `shard_size` articles. A shard is
the unit of work, of output and of resuming: its articles are tagged together (the tagger
batches windows across them), and it is written as `part-NNNNNN.parquet` (one row per span or
record, with the article id and character offsets) and `part-NNNNNN.articles.parquet` (one
row per article: tagged, or refused with its reason), each written atomically, then a
`part-NNNNNN.done.json` marker. A run that is killed and started again with the same command
skips the shards that are done and redoes the rest; since the batches are formed within fixed
shards, a resumed or split run computes exactly what an uninterrupted one does.

Scale-out is `torchrun` (`make tag NPROC=2`, or `--nnodes` over machines): process `RANK` of
`WORLD_SIZE` takes the shards whose number is `RANK` modulo `WORLD_SIZE` — a deterministic share
that needs no coordinator — and all processes meet at a barrier before process 0 writes
`errors.jsonl` and `manifest.json` (model and its fingerprint, commit, input fingerprint,
counts, throughput, and the check that every input article is in the output exactly once).
Memory is bounded by the shard, never by the archive.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dateline.cli import hydra_entry
from dateline.errors import DatelineError
from dateline.io import write_json_atomic, write_text_atomic

FORMATS = ("spans", "records")
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
PARQUET_SUFFIXES = (".parquet",)


@dataclass(frozen=True)
class Article:
    """One input article: its id and text, or the reason it cannot be tagged."""

    id: str
    text: str = ""
    error: str = ""


def kind_of(path: Path) -> str | None:
    name = path.name
    for kind, suffixes in (("txt", TEXT_SUFFIXES), ("jsonl", JSONL_SUFFIXES), ("parquet", PARQUET_SUFFIXES)):
        if any(name.endswith(s) for s in suffixes):
            return kind
    return None


def input_files(path: Path) -> list[Path]:
    """The files of the archive in their fixed order; one clear error when there are none."""
    if not path.exists():
        raise DatelineError("the input does not exist", path)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file() and kind_of(p))
    if not files or kind_of(files[0]) is None:
        raise DatelineError("no articles here: expected .txt files, .jsonl[.gz] or .parquet", path)
    return files


def checked(article_id: str, text, max_chars: int) -> Article:
    """An article, or the reason it is refused: no text, only whitespace, or far too long."""
    if not isinstance(text, str):
        return Article(article_id, error='no "text" string')
    if not text.strip():
        return Article(article_id, error="empty")
    if len(text) > max_chars:
        return Article(article_id, error=f"far too long: {len(text)} characters (max_chars={max_chars})")
    return Article(article_id, text)


def text_article(path: Path, root: Path, max_chars: int) -> Article:
    article_id = str(path.relative_to(root).with_suffix("")) if root.is_dir() else path.stem
    data = path.read_bytes()
    try:
        return checked(article_id, data.decode("utf-8"), max_chars)
    except UnicodeDecodeError as e:
        return Article(article_id, error=f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})")


def jsonl_articles(path: Path, max_chars: int) -> Iterator[Article]:
    """`{"id", "text"}` per line (`id` defaults to `<file>:<line>`); a bad line is an error row."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as f:
        for lineno, raw in enumerate(f, start=1):
            where = f"{path.name}:{lineno}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield Article(where, error=f"not UTF-8 (byte at offset {e.start} of the line)")
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield Article(where, error=f"malformed JSON line: {e.msg} (column {e.colno})")
                continue
            if not isinstance(obj, dict):
                yield Article(where, error="a JSON line must be an object with a text")
                continue
            yield checked(str(obj.get("id", where)), obj.get("text"), max_chars)


def parquet_articles(path: Path, max_chars: int, batch_rows: int = 1024) -> Iterator[Article]:
    """Rows with a `text` column (and `id`, else `<file>:<row>`), read a batch at a time."""
    import pyarrow.parquet as pq

    table = pq.ParquetFile(path)
    names = table.schema_arrow.names
    if "text" not in names:
        raise DatelineError('a Parquet input needs a "text" column', path)
    row = 0
    for batch in table.iter_batches(batch_size=batch_rows, columns=[c for c in ("id", "text") if c in names]):
        cols = batch.to_pydict()
        for i, text in enumerate(cols["text"]):
            ident = cols["id"][i] if "id" in cols and cols["id"][i] is not None else f"{path.name}:{row}"
            yield checked(str(ident), text, max_chars)
            row += 1


def read_articles(path: Path, max_chars: int) -> Iterator[Article]:
    """Every article of the archive, in its fixed order, tagged or not."""
    for f in input_files(path):
        kind = kind_of(f)
        if kind == "txt":
            yield text_article(f, path, max_chars)
        elif kind == "jsonl":
            yield from jsonl_articles(f, max_chars)
        else:
            yield from parquet_articles(f, max_chars)


def shards(articles: Iterator[Article], size: int) -> Iterator[tuple[int, list[Article]]]:
    """Consecutive fixed shards of `size` articles, numbered from 0."""
    batch, number = [], 0
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield number, batch
            batch, number = [], number + 1
    if batch:
        yield number, batch


def id_hash(article_id: str) -> int:
    """A 63-bit hash of an article id: the exactly-once check keeps 8 bytes per article."""
    return int.from_bytes(hashlib.blake2b(article_id.encode(), digest_size=8).digest(), "little") >> 1


def part(out: Path, shard: int, what: str) -> Path:
    return out / f"part-{shard:06d}{what}"


def write_parquet_atomic(path: Path, table) -> None:
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def article_table(articles: list[Article], tokens: dict[str, int], rows: dict[str, int]):
    import pyarrow as pa

    return pa.table(
        {
            "article_id": [a.id for a in articles],
            "status": ["error" if a.error else "tagged" for a in articles],
            "reason": [a.error for a in articles],
            "tokens": [tokens.get(a.id, 0) if not a.error else 0 for a in articles],
            "rows": [rows.get(a.id, 0) if not a.error else 0 for a in articles],
        }
    )


def tag_shard(tagger, shard: int, articles: list[Article], out: Path) -> dict:
    """Tag one shard's articles together and write its files; return its counts."""
    from dateline.tagging.api import rows_table

    started = time.time()
    good = [a for a in articles if not a.error]
    results = tagger.tag([(a.id, a.text) for a in good])
    table = rows_table(results, tagger.format)
    rows = Counter(table.column("article_id").to_pylist()) if table.num_rows else Counter()
    tokens = {r["id"]: r["tokens"] for r in results}
    write_parquet_atomic(part(out, shard, ".parquet"), table)
    write_parquet_atomic(part(out, shard, ".articles.parquet"), article_table(articles, tokens, rows))
    done = {
        "shard": shard,
        "articles": len(articles),
        "tagged": len(good),
        "errors": len(articles) - len(good),
        "rows": table.num_rows,
        "tokens": sum(tokens.values()),
        "seconds": round(time.time() - started, 3),
    }
    write_json_atomic(part(out, shard, ".done.json"), done)
    return done


def distributed() -> tuple[int, int]:
    """(rank, world size) from torchrun's environment; (0, 1) when run alone."""
    return int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))


def barrier(world: int) -> None:
    """All processes meet (gloo over torchrun's rendezvous) before process 0 sums up."""
    if world > 1:
        import torch.distributed as dist

        if not dist.is_initialized():
            dist.init_process_group("gloo")
        dist.barrier()


def count_articles(path: Path) -> int:
    """How many articles the archive holds (for the progress bar's total and time left)."""
    return sum(1 for _ in read_articles(path, max_chars=1 << 62))


def run_shards(cfg, tagger, out: Path, rank: int, world: int) -> dict:
    """This process's share of the shards, skipping those already done; its counts."""
    from tqdm import tqdm

    path, size = Path(cfg.input), int(cfg.shard_size)
    total = count_articles(path)
    mine = sum(min(size, total - s * size) for s in range((total + size - 1) // size) if s % world == rank)
    bar = tqdm(total=mine, unit="article", disable=not cfg.progress, position=rank, desc=f"tag [{rank}/{world}]")
    started, stats = time.time(), {"articles": 0, "tokens": 0, "shards": 0, "resumed_shards": 0}
    for shard, articles in shards(read_articles(path, int(cfg.max_chars)), size):
        if shard % world != rank:
            continue
        if part(out, shard, ".done.json").is_file():
            stats["resumed_shards"] += 1
        else:
            done = tag_shard(tagger, shard, articles, out)
            stats["articles"] += done["articles"]
            stats["tokens"] += done["tokens"]
            stats["shards"] += 1
        bar.update(len(articles))
    bar.close()
    stats["seconds"] = round(time.time() - started, 3)
    write_json_atomic(out / f"rank-{rank:03d}.json", stats)
    return stats


def read_article_tables(out: Path) -> tuple[np.ndarray, list[dict]]:
    """The shards' article tables, read once: every article id as a 63-bit hash, and the refused
    articles with their reasons."""
    import pyarrow.parquet as pq

    hashes, errors = [], []
    for t in sorted(out.glob("part-*.articles.parquet")):
        rows = pq.read_table(t, columns=["article_id", "status", "reason"]).to_pylist()
        hashes.append(np.fromiter((id_hash(r["article_id"]) for r in rows), np.int64, count=len(rows)))
        errors += [{"article_id": r["article_id"], "reason": r["reason"]} for r in rows if r["status"] == "error"]
    return (np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.int64)), errors


def exactly_once(path: Path, found: np.ndarray) -> dict:
    """Every input article in the output exactly once: the ids of the input and of the shards'
    article tables (`found`), compared as sorted 63-bit hashes (8 bytes per article, whatever the size)."""
    wanted = np.fromiter((id_hash(a.id) for a in read_articles(path, 1 << 62)), dtype=np.int64)
    wanted.sort()
    found = np.sort(found)
    return {
        "input_articles": int(len(wanted)),
        "output_articles": int(len(found)),
        "duplicate_ids_in_input": int(np.sum(wanted[1:] == wanted[:-1])),
        "ok": bool(len(wanted) == len(found) and np.array_equal(wanted, found)),
    }


def summarise(cfg, tagger, out: Path, world: int, started: float) -> dict:
    """errors.jsonl and manifest.json, by process 0 once every process has finished."""
    from dateline.data.fingerprints import data_fingerprint
    from dateline.provenance import provenance

    done = [json.loads(p.read_text()) for p in sorted(out.glob("part-*.done.json"))]
    found, errors = read_article_tables(out)
    write_text_atomic(out / "errors.jsonl", "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors))
    ranks = [json.loads((out / f"rank-{r:03d}.json").read_text()) for r in range(world)]
    seconds = max((r["seconds"] for r in ranks), default=0.0)
    tokens = sum(r["tokens"] for r in ranks)
    articles = sum(r["articles"] for r in ranks)
    path = Path(cfg.input)
    manifest = {
        "model": str(tagger.model_dir),
        "model_fingerprint": tagger.fingerprint,
        "format": tagger.format,
        "modality_model": str(tagger.modality_dir) if tagger.modality_dir else None,
        "linking": cfg.linking if tagger.format == "records" else None,
        "linker_model": str(tagger.linker_dir) if tagger.linker_dir else None,
        "input": str(path.resolve()),
        "input_fingerprint": data_fingerprint(input_files(path)),
        "shard_size": int(cfg.shard_size),
        "processes": world,
        "threads_per_process": cfg.threads,
        "counts": {
            "shards": len(done),
            "articles": sum(d["articles"] for d in done),
            "tagged": sum(d["tagged"] for d in done),
            "errors": len(errors),
            "rows": sum(d["rows"] for d in done),
            "tokens": sum(d["tokens"] for d in done),
        },
        "this_run": {
            "articles": articles,
            "tokens": tokens,
            "seconds": seconds,
            "articles_per_s": round(articles / seconds, 2) if seconds else None,
            "tokens_per_s": round(tokens / seconds, 1) if seconds else None,
            "resumed_shards": sum(r["resumed_shards"] for r in ranks),
        },
        "exactly_once": exactly_once(path, found),
        **provenance(started, tagger.device),
    }
    write_json_atomic(out / "manifest.json", manifest)
    return manifest


def workers(cfg) -> int:
    """Tagging workers in this process (`threads`; default: torch's threads, one per core),
    each forward pass on one core, so the output is the same for any processes x threads."""
    import torch

    count = int(cfg.threads or torch.get_num_threads())
    torch.set_num_threads(1)
    return count


@hydra_entry("tag")
def main(cfg) -> None:
    from dateline.tagging.api import ArticleTagger

    if not cfg.input or not cfg.out:
        raise DatelineError("tag needs input=<folder | .jsonl[.gz] | .parquet> and out=<dir> (make tag INPUT=… OUT=…)")
    started = time.time()
    rank, world = distributed()
    input_files(Path(cfg.input))  # a bad input path stops the run before any work
    tagger = ArticleTagger(
        cfg.ckpt,
        cfg.format,
        cfg.modality,
        cfg.linking,
        cfg.precision,
        cfg.batch_size,
        cfg.runs_root,
        workers(cfg),
        cfg.get("linker"),
    )
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"rank-{rank:03d}.json").unlink(missing_ok=True)  # this process's counts of an earlier invocation
    run_shards(cfg, tagger, out, rank, world)
    barrier(world)
    if rank == 0:
        manifest = summarise(cfg, tagger, out, world, started)
        check = manifest["exactly_once"]
        print(
            f"{manifest['counts']['tagged']} articles tagged, {manifest['counts']['errors']} refused (errors.jsonl), "
            f"{manifest['counts']['rows']} {tagger.format} rows in {manifest['counts']['shards']} shards -> {out}; "
            f"every input article exactly once: {'yes' if check['ok'] else 'NO'}"
        )


if __name__ == "__main__":
    main()
