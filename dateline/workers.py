"""Batches of forward passes on worker threads: how the event tagger and the classifiers read at
marked positions (the modality classifier, the linker) use the cores of one process. Each
batch writes its own rows of the output, so the batches may finish in any order; where the
caller set torch to one thread, each pass runs on one core and its arithmetic does not depend
on the number of workers (docs/tagging.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor


def run_batches(run: Callable[[object], None], batches: Sequence, workers: int = 1) -> None:
    """`run(batch)` for every batch: `workers` at once on threads when more than one, else in order.
    A worker thread must enter `torch.inference_mode()` itself (it is thread-local)."""
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, batches))
    else:
        for batch in batches:
            run(batch)
