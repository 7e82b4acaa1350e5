"""Test helper: run `dateline tag` and SIGKILL the process once it has written N shards, as a
crash would (no cleanup). Usage: python -m tests.kill_after_shard N overrides..."""

import os
import signal
import sys

from dateline.tagging import archive

if __name__ == "__main__":
    limit = int(sys.argv.pop(1))
    original, written = archive.tag_shard, []

    def tag_then_maybe_die(*args, **kwargs):
        done = original(*args, **kwargs)
        written.append(done)
        if len(written) >= limit:
            os.kill(os.getpid(), signal.SIGKILL)
        return done

    archive.tag_shard = tag_then_maybe_die
    archive.main()
