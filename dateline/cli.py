"""`dateline <job> [key=value ...]`: one command line for every job.

Every job is a Hydra entry with a config of its own in `configs/<job>.yaml` (hyphens become
underscores), so settings are given the same way everywhere: `key=value` overrides, as
`dateline train` takes them. `dateline <job> --help` shows a job's settings; the Makefile's
targets call these jobs.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from functools import wraps

from dateline.paths import CONFIGS

# job -> (module whose `main` runs it, what it does)
JOBS: dict[str, tuple[str, str]] = {
    "train": ("dateline.training.train", "fine-tune a tagger (Hydra overrides), then evaluate it"),
    "sweep": ("dateline.training.train", "Hydra multirun of train: every combination trained and evaluated"),
    "eval": ("dateline.eval.evaluate", "score a model directory on every benchmark task"),
    "predict": ("dateline.tagging.predict", "events and actors (or event records) in raw articles"),
    "tag": ("dateline.tagging.archive", "tag a whole archive into Parquet shards; resumable, scales out"),
    "annotate": (
        "dateline.tagging.annotate",
        "pre-annotations for brat, Label Studio or doccano, least confident first",
    ),
    "compare": ("dateline.eval.compare", "systems x tasks table over runs, with significance"),
    "cv": ("dateline.eval.cv", "pool a k-fold cross-validation sweep: F1 over every article, CI over articles"),
    "curve": ("dateline.eval.curve", "F1 against the number of training articles, beside the default model"),
    "ensemble": ("dateline.training.ensemble", "one model directory averaging trained models"),
    "pseudo": ("dateline.tagging.pseudo", "a teacher's labels on the unlabeled training sentences"),
    "modality": ("dateline.training.modality", "train the event-modality classifier"),
    "modality-cv": ("dateline.eval.modality_cv", "modality on MEANTIME, cross-validated by topic"),
    "linker": ("dateline.training.linker", "train the event-participant linker on MEANTIME's links"),
    "linker-cv": ("dateline.eval.linking_cv", "learned linker vs the position rule, MEANTIME by topic"),
    "eval-records": ("dateline.eval.records", "score event records against gold records"),
    "bench": ("dateline.bench.run", "the harness against the plain HF recipe, side by side"),
    "bench-micro": ("dateline.bench.micro", "what each speed switch gives on its own"),
    "bench-archive": ("dateline.bench.archive", "dateline tag over a synthetic archive: speed, memory, resume"),
    "data": ("dateline.data.download", "download the public ECB+ release unless a copy is found"),
}


def hydra_entry(config_name: str) -> Callable:
    """Make `fn(cfg)` the Hydra entry of job `config_name`: its config composed from
    `configs/<config_name>.yaml` and the command line's overrides, and a `DatelineError` printed
    as one line (exit status 2) instead of a traceback."""
    import hydra

    from dateline.errors import reported_as_one_line
    from dateline.runs import register_resolvers

    register_resolvers()

    def wrap(fn: Callable) -> Callable:
        @hydra.main(version_base="1.3", config_path=str(CONFIGS), config_name=config_name)
        @wraps(fn)
        def main(cfg):
            with reported_as_one_line():
                return fn(cfg)

        return main

    return wrap


def usage() -> str:
    width = max(map(len, JOBS))
    lines = ["usage: dateline <job> [key=value ...]   (dateline <job> --help: its settings)", "", "jobs:"]
    lines += [f"  {job:<{width}}  {what}" for job, (_, what) in JOBS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    job, rest = argv[0], argv[1:]
    if job not in JOBS:
        print(f"error: no job {job!r}\n\n{usage()}", file=sys.stderr)
        return 2
    sys.argv = [f"dateline {job}", *(["--multirun"] if job == "sweep" else []), *rest]
    importlib.import_module(JOBS[job][0]).main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
