"""Issue 38's throughput check: `make tag` (one process per core, as users run it) over the same
articles as spans and as records (the default linking, syntax, and the modality classifier),
articles per second of each and their ratio, on real news text: the ECB+ test topics' articles,
written as {"id", "text"} lines. Several modality models (comma-separated) are each timed as
records, after the spans, in one run. The articles are cut into one shard per process, so each
process works. `NPROC=1` in the environment: one process (`dateline tag`).

    .venv/bin/python scripts/records_throughput.py <event model> <modality model>[,<another>] <n articles> <work dir>
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from dateline.data.dataset import Corpus
from dateline.data.readers import data_group
from dateline.paths import default_corpora_dir
from dateline.runs import register_resolvers


def main(model: str, modalities: str, n: int, work: Path) -> dict:
    register_resolvers()
    work.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(data_group("ecbplus", [f"corpora={default_corpora_dir()}"]))
    docs = list(corpus.reader.documents("test"))[:n]
    articles = work / "articles.jsonl"
    articles.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in docs))
    # a shard per process, so every process works (tag.yaml's 256 articles a shard would give one
    # process all of a few hundred articles)
    nproc = int(os.environ.get("NPROC") or os.cpu_count() or 1)
    shard = -(-len(docs) // nproc)
    out = {
        "articles": len(docs),
        "shard_size": shard,
        "characters": sum(len(d.text) for d in docs),
        "nproc": os.environ.get("NPROC", "cores"),
    }
    models = modalities.split(",")
    for fmt, modality in [("spans", None)] + [("records", m) for m in models]:
        # a model is named by its folder and its parent's (fold models share their folder names)
        name = (
            fmt if len(models) == 1 or fmt == "spans" else f"records {Path(modality).parent.name}/{Path(modality).name}"
        )
        target = work / name.replace(" ", "_").replace("/", "_")
        subprocess.run(["rm", "-rf", str(target)], check=True)
        cmd = ["make", "tag", f"INPUT={articles}", f"OUT={target}", f"FORMAT={fmt}", f"CKPT={model}"]
        cmd += [f"ARGS=shard_size={shard}"]
        cmd += [f"MODALITY={modality}"] if fmt == "records" else []
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        seconds = time.perf_counter() - start
        out[name] = {"seconds": round(seconds, 1), "articles_per_second": round(len(docs) / seconds, 2)}
        if fmt == "records":
            ratio = out[name]["articles_per_second"] / out["spans"]["articles_per_second"]
            out[name] |= {"modality": modality, "records_over_spans": round(ratio, 3)}
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])), indent=2))
