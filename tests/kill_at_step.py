"""Test helper: run the training entry and SIGKILL the process at a given optimizer step, as a
crash or an OOM-killer would (no cleanup, no flush). Usage: python -m tests.kill_at_step N overrides..."""

import os
import signal
import sys

from transformers import Trainer, TrainerCallback


class KillAt(TrainerCallback):
    def __init__(self, step: int):
        self.step = step

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step >= self.step:
            os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    step = int(sys.argv.pop(1))
    original = Trainer.__init__

    def patched(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.add_callback(KillAt(step))

    Trainer.__init__ = patched
    from dateline.training.train import main

    main()
