"""Run ``drone-ledger`` with a fault injected from outside the package: the child process tests/test_faults.py starts.

    python tests/fault_injection.py kill-after STEP -- import SOURCE --ledger DIR ...
        SIGKILL the process right after the STEP-th step of a ledger commit: each temporary written, the journal
        (the commit point), each rename (drone_ledger.storage's ``_stage``, ``_write_journal``, ``_rename``).
    python tests/fault_injection.py pause-after-load GATE -- import SOURCE --ledger DIR ...
        Once a writer has loaded the ledger (inside ``open_for_write``, holding its lock), create GATE.paused and
        wait (up to two minutes) until GATE exists, so a test can start a second writer at exactly that moment.

The package has no such switch: the steps are wrapped here, by monkeypatching, before the command runs.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drone_ledger import storage, writing
from drone_ledger.cli import run

COMMIT_STEPS = ("_stage", "_write_journal", "_rename")


def kill_after(step: int) -> None:
    """Make the process kill itself (SIGKILL: no cleanup) right after the ``step``-th commit step."""
    done = 0

    def counted(real: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(real)
        def step_then_maybe_die(*args: Any) -> Any:
            nonlocal done
            result = real(*args)
            done += 1
            if done == step:
                os.kill(os.getpid(), signal.SIGKILL)
            return result

        return step_then_maybe_die

    for name in COMMIT_STEPS:
        setattr(storage, name, counted(getattr(storage, name)))


def pause_after_load(gate: str) -> None:
    """Make a writer wait, once it has loaded the ledger, until ``gate`` exists (it creates ``gate``.paused)."""
    real = writing.load_ledger

    @functools.wraps(real)
    def load_then_pause(*args: Any, **kwargs: Any) -> Any:
        ledger = real(*args, **kwargs)
        Path(gate + ".paused").touch()
        deadline = time.monotonic() + 120
        while not os.path.exists(gate) and time.monotonic() < deadline:
            time.sleep(0.02)
        return ledger

    writing.load_ledger = load_then_pause  # type: ignore[assignment]


def main(argv: list[str]) -> None:
    fault, value, separator, *command = argv
    assert separator == "--", "usage: fault_injection.py kill-after STEP | pause-after-load GATE -- COMMAND ..."
    if fault == "kill-after":
        kill_after(int(value))
    elif fault == "pause-after-load":
        pause_after_load(value)
    else:
        raise SystemExit(f"unknown fault {fault!r}")
    sys.argv = ["drone-ledger", *command]
    run()


if __name__ == "__main__":
    main(sys.argv[1:])
