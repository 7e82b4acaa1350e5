"""The project's one error type: a user-facing message that names the file and the problem."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path


class DatelineError(Exception):
    """An input or configuration problem the user can fix; printed as one line, no traceback."""

    def __init__(self, message: str, path: str | Path | None = None, where: str | None = None):
        self.path = None if path is None else str(path)
        self.where = where
        prefix = ""
        if self.path:
            prefix = f"{self.path}" + (f" ({where})" if where else "") + ": "
        super().__init__(prefix + message)


class CorpusNotFoundError(DatelineError):
    """The corpora folder (or one corpus inside it) is missing."""


@contextmanager
def reported_as_one_line():
    """Entry points: a DatelineError becomes one line on stderr and exit status 2, no traceback
    (set HYDRA_FULL_ERROR=1 or DATELINE_DEBUG=1 to see it)."""
    try:
        yield
    except DatelineError as e:
        if os.environ.get("HYDRA_FULL_ERROR") == "1" or os.environ.get("DATELINE_DEBUG") == "1":
            raise
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
