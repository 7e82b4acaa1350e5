"""The Makefile's shortcuts (`make predict CKPT=… FILE=…`) as config values.

Make hands the variables of its command line to the job's environment, and each job's config
reads the ones it takes: `ckpt: ${make:CKPT}`. So the Makefile only names jobs, and a value
reaches the job exactly as typed, whatever it holds (spaces, `=`, commas: sweep run folders
have them), with no quoting between the two. The variables are read only when `make` started
the job (it sets MAKELEVEL), so a FILE or OUT left in a shell never changes a `dateline` call.
"""

from __future__ import annotations

import os
from typing import Any


def under_make() -> bool:
    return "MAKELEVEL" in os.environ


def make_variable(name: str, default: Any = None) -> Any:
    """`${make:NAME,default}`: the make variable NAME as typed; `default` where make did not set
    it, or set it empty (`make eval CKPT=`)."""
    value = os.environ.get(name, "") if under_make() else ""
    return value if value != "" else default


def make_words(name: str, default: Any = None) -> Any:
    """`${make_words:NAME,default}`: a make variable holding several values, one per word
    (`make compare RUNS="study8 runs/sweeps/x"`), as a list."""
    value = make_variable(name)
    return value.split() if value is not None else default


RESOLVERS = {"make": make_variable, "make_words": make_words}
