"""Atomic file writes: a reader (or a kill) sees the old file or the new one, never half."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from dateline.errors import DatelineError


def write_text_atomic(path: str | Path, text: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: str | Path, obj) -> None:
    write_text_atomic(path, json.dumps(obj, indent=2, default=str) + "\n")


def jsonl_objects(path: str | Path, text: str | None = None):
    """(where, object) per non-blank line of a JSONL file, `where` being "line N"; a line that is
    not JSON is refused naming the file and the line. Lines end at \\n only, as in a file."""
    text = Path(path).read_text(encoding="utf-8") if text is None else text
    for lineno, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        where = f"line {lineno}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as e:
            raise DatelineError(f"not JSON: {e.msg} (column {e.colno})", path, where) from None
