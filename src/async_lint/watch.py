"""`async-lint check --watch`: check, then check again whenever a checked file, a directory
holding one, or the configuration changes, until interrupted.

Each check is a whole run with the run record (`engine/run_record.py`): the files nothing
changed for are answered from it, so a re-check costs about what checking the changed files
costs. Changes are seen by polling (size, modification time) stamps: no dependency, and the
same on every platform."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TextIO

POLL_SECONDS = 0.25

Stamps = dict[str, tuple[int, int] | None]


def stamps(paths: Iterable[Path]) -> Stamps:
    """(size, modification time) of each path; None for one that is gone."""
    found: Stamps = {}
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            found[str(path)] = None
        else:
            found[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return found


def watch(check: Callable[[], Stamps], log: TextIO, poll_seconds: float = POLL_SECONDS) -> int:
    """Run `check` (which reports, and returns the stamps, taken before it read anything, of
    the paths whose changes call for another run), and again after every change, until Ctrl-C;
    then exit status 0. A change made while a check runs is seen by the next poll."""
    log.write(_line("watching for changes (Ctrl-C to stop)"))
    try:
        while True:
            seen = check()
            log.flush()
            while stamps(Path(path) for path in seen) == seen:
                time.sleep(poll_seconds)
            log.write(_line("a file changed, checking again"))
    except KeyboardInterrupt:
        return 0


def _line(text: str) -> str:
    return f"[{datetime.now():%H:%M:%S}] async-lint: {text}\n"
