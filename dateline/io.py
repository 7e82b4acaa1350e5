"""Atomic file writes: a reader (or a kill) sees the old file or the new one, never half."""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path

from dateline.errors import DatelineError


def write_text_atomic(path: str | Path, text: str) -> None:
    """UTF-8 text; gzip-compressed where the name ends in .gz (with no timestamp inside, so the
    same text gives the same bytes and a committed file changes only when its content does)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    data = text.encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: str | Path, obj) -> None:
    write_text_atomic(path, json.dumps(obj, indent=2, default=str) + "\n")


def read_text(path: str | Path) -> str:
    """A UTF-8 text file, through gzip where its name ends in .gz; refused in one line otherwise.
    Nothing is changed (line endings and a byte-order mark stay), so offsets index the file exactly."""
    data = Path(path).read_bytes()
    try:
        return (gzip.decompress(data) if str(path).endswith(".gz") else data).decode("utf-8")
    except (OSError, EOFError) as e:
        raise DatelineError(f"not a readable gzip file ({e})", path) from None
    except UnicodeDecodeError as e:
        raise DatelineError(
            f"not UTF-8 text (byte 0x{e.object[e.start]:02x} at offset {e.start}); convert it to UTF-8", path
        ) from None


def jsonl_objects(path: str | Path, text: str | None = None):
    """(where, object) per non-blank line of a JSONL file, `where` being "line N"; a line that is
    not JSON is refused naming the file and the line. Lines end at \\n only, as in a file; a
    name ending in .gz is read through gzip."""
    if text is None:
        text = read_text(path)
    for lineno, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        where = f"line {lineno}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as e:
            raise DatelineError(f"not JSON: {e.msg} (column {e.colno})", path, where) from None
