"""One measured phase of `dateline bench`, run in its own process: python -m dateline.bench.phases NAME ARGS_JSON.
Prints one JSON line; peak RSS is this process's (or its training child's) own."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEME = {"EVENT": ["ACTION_*", "NEG_ACTION_*", "EVENT"], "ACTOR": ["HUMAN_PART*", "ACTOR"]}


def corpora(args: dict) -> str:
    from dateline.paths import default_corpora_dir

    return args.get("corpora") or default_corpora_dir()


def rss_mib(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def strict_f1(model_dir: Path, args: dict, split: str, decoding: str, precision: str = "fp32") -> float:
    """Strict micro-F1 on the ECB+ gold sentences of a split, scored the same way for both."""
    from dateline.data.dataset import Corpus, gold_sentences
    from dateline.data.labels import LabelScheme
    from dateline.data.readers import data_group
    from dateline.eval.metrics import strict_scores
    from dateline.tagging.tagger import Tagger

    tagger = Tagger(model_dir, decoding=decoding, precision=precision)
    ecbplus = Corpus(data_group("ecbplus", [f"corpora={corpora(args)}"]))
    words, gold = gold_sentences(ecbplus.documents(LabelScheme.from_config("events_actors", SCHEME), split))
    preds = tagger.predict(words)
    return strict_scores(gold, [p.tags for p in preds])["micro"]["f1"]


def train_recipe(args: dict) -> dict:
    from transformers import AutoConfig

    from dateline.bench.recipe import train_recipe as run
    from dateline.data.dataset import build_dataset
    from dateline.data.labels import LabelScheme
    from dateline.data.readers import data_group
    from dateline.paths import minilm_path

    scheme = LabelScheme.from_config("events_actors", SCHEME)
    ecbplus = data_group("ecbplus", [f"corpora={corpora(args)}"])
    rows = build_dataset(ecbplus, scheme, "train", "none", cache_dir=f"{args['work']}/cache")
    out = Path(args["work"]) / f"recipe_s{args['seed']}"
    model, tokenizer, seconds = run(
        minilm_path(), rows, scheme.bio_labels, str(out / "checkpoints"), args["epochs"], args["seed"]
    )
    model.save_pretrained(out / "model")
    tokenizer.save_pretrained(out / "model")
    gold = sum(len(w) for w in rows["words"])
    lengths = [len(tokenizer(w, is_split_into_words=True, truncation=True)["input_ids"]) for w in rows["words"]]
    flops = 3 * sum(n * encoder_flops(AutoConfig.from_pretrained(minilm_path()), n) for n in lengths) * args["epochs"]
    return {
        "seconds": seconds,
        "gold_tokens_per_s": gold * args["epochs"] / seconds,
        "gflops": flops / seconds / 1e9,
        "precision": "fp32",
        "dev_f1": strict_f1(out / "model", args, "dev", "argmax"),
        "test_f1": strict_f1(out / "model", args, "test", "argmax"),
        "peak_rss_mib": rss_mib(),
    }


def encoder_flops(config, seq_len: float) -> float:
    from dateline.bench.run import encoder_flops_per_token

    return encoder_flops_per_token(config, seq_len)


def train_harness(args: dict) -> dict:
    from transformers import AutoConfig

    from dateline.paths import minilm_path

    run_dir = Path(args["work"]).resolve() / f"harness_s{args['seed']}"
    cmd = [
        sys.executable,
        "-m",
        "dateline.training.train",
        "data.extra=none",
        "evaluate.enabled=false",
        f"trainer.args.num_train_epochs={args['epochs']}",
        f"seed={args['seed']}",
        f"hydra.run.dir={run_dir}",
        f"cache_dir={Path(args['work']).resolve() / 'cache'}",
        *args["harness_args"],
    ]
    if args.get("corpora"):
        cmd.append(f"corpora={args['corpora']}")
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    if res.returncode != 0:
        raise SystemExit(res.stderr[-3000:])
    rec = json.loads((run_dir / "results.json").read_text())
    t = rec["training"]
    seconds = t["seconds"]
    config = AutoConfig.from_pretrained(minilm_path())
    mean_len = t["train_subwords"] / max(t["train_windows"], 1)
    flops = 3 * t["train_subwords"] * encoder_flops(config, mean_len) * args["epochs"]
    return {
        "seconds": seconds,
        "gold_tokens_per_s": t["gold_tokens"] * args["epochs"] / seconds,
        "gflops": flops / seconds / 1e9,
        "precision": t["precision"],
        "dev_f1": strict_f1(run_dir / "model", args, "dev", "viterbi", "auto"),
        "test_f1": strict_f1(run_dir / "model", args, "test", "viterbi", "auto"),
        "test_f1_fp32_tagging": strict_f1(run_dir / "model", args, "test", "viterbi", "fp32"),
        "peak_rss_mib": rss_mib(resource.RUSAGE_CHILDREN),
    }


def articles(args: dict):
    """Raw articles to tag: the MEANTIME Wikinews texts and the held-out articles, as plain text."""
    from dateline.data.articles import read_any
    from dateline.data.readers.meantime import iter_documents
    from dateline.data.text import document_from_text
    from dateline.paths import default_heldout_dir

    texts = [d.text.replace(" \n", "\n") for d in iter_documents(Path(corpora(args)))]
    texts += [d.text for d in read_any(Path(default_heldout_dir()))]
    return [document_from_text(f"a{i}", t) for i, t in enumerate(texts)]


def timed_tagging(tag_all, docs, repeats: int = 3) -> dict:
    """Throughput (median of `repeats`) and peak memory of `tag_all(docs)` after a warm-up."""
    import statistics

    tag_all(docs[:1])
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        tag_all(docs)
        times.append(time.perf_counter() - started)
    seconds = statistics.median(times)
    tokens = sum(len(d.tokens) for d in docs)
    return {
        "articles": len(docs),
        "tokens": tokens,
        "seconds": seconds,
        "articles_per_s": len(docs) / seconds,
        "tokens_per_s": tokens / seconds,
        "peak_rss_mib": rss_mib(),
    }


def precision_agreement(model_dir: str | Path, docs) -> dict:
    """How often the tagger's fast path (a bf16 copy of the model) tags a word as fp32 does."""
    from dateline.tagging.tagger import Tagger

    fp32, fast = Tagger(model_dir, precision="fp32"), Tagger(model_dir, precision="bf16")
    pairs = [
        (x, y)
        for p, q in zip(fp32.tag_documents(docs), fast.tag_documents(docs))
        for x, y in zip(p.tags, q.tags, strict=True)
    ]
    same = sum(x == y for x, y in pairs)
    return {
        "words": len(pairs),
        "agreeing": same,
        "agreement": same / max(len(pairs), 1),
        "tagged_by_fp32": sum(x != "O" for x, _ in pairs),
    }


def tag_recipe(args: dict) -> dict:
    """The recipe's inference: a pipeline, one article at a time."""
    from transformers import pipeline

    tagger = pipeline(
        "token-classification",
        model=str(Path(args["work"]) / f"recipe_s{args['seed']}" / "model"),
        aggregation_strategy="first",
        stride=64,
    )
    return timed_tagging(lambda docs: [tagger(d.text) for d in docs], articles(args))


def harness_tagger(args: dict):
    from dateline.tagging.tagger import Tagger

    return Tagger(Path(args["work"]).resolve() / f"harness_s{args['seed']}" / "model", precision=args["precision"])


def from_raw_text(tagger):
    """The harness's whole path from raw text, as the recipe's pipeline gets it: words and
    sentences (with their offsets) first, then one batched call of the tagger."""
    from dateline.data.text import document_from_text

    return lambda docs: tagger.tag_documents([document_from_text(d.id, d.text) for d in docs])


def tag_harness(args: dict) -> dict:
    """The harness: all articles in one batched call of the tagger (precision: auto or fp32)."""
    tagger = harness_tagger(args)
    return {**timed_tagging(from_raw_text(tagger), articles(args)), "precision": tagger.precision}


def tag_long(args: dict) -> dict:
    """One article of `args["words"]` words: throughput and peak memory (bounded by the batch)."""
    from dateline.bench.synthetic import news_like_text
    from dateline.data.text import document_from_text

    tagger = harness_tagger(args)
    doc = document_from_text("long", news_like_text(args["words"]))
    return {**timed_tagging(from_raw_text(tagger), [doc], repeats=1), "words": args["words"]}


if __name__ == "__main__":
    name, raw = sys.argv[1], json.loads(sys.argv[2])
    result = {
        "train_recipe": train_recipe,
        "train_harness": train_harness,
        "tag_recipe": tag_recipe,
        "tag_harness": tag_harness,
        "tag_long": tag_long,
    }[name](raw)
    print(json.dumps(result))
