"""The progress line of long CLI runs: `checked 120/1274 files (85 files/s)` on stderr, redrawn
in place, only on a terminal, never in CI logs or around machine-readable output."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TextIO

ERASE = "\r\x1b[K"
"""Back to the start of the line, and clear it."""
DELAY = 0.5
"""Seconds of silence first: short runs never show the line."""
INTERVAL = 0.1
"""Seconds between redraws, at least."""


def progress_wanted(stream: TextIO, output_format: str, to_file: bool, quiet: bool, environ: Mapping[str, str]) -> bool:
    """On a terminal that is not a CI log, with the report for people on stdout or in a file."""
    if quiet or environ.get("CI", "").lower() not in ("", "0", "false") or environ.get("TERM") == "dumb":
        return False
    if not (output_format == "text" or to_file):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """Counts checked files; draws the line once the run has lasted `DELAY`, at most every
    `INTERVAL`; `close()` erases it (call it before printing anything else)."""

    def __init__(self, stream: TextIO, enabled: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.enabled = enabled
        self.clock = clock
        self.started = clock()
        self.drawn_at: float | None = None
        self.done = 0

    @classmethod
    def for_run(cls, stream: TextIO, output_format: str, to_file: bool, quiet: bool) -> Progress:
        return cls(stream, progress_wanted(stream, output_format, to_file, quiet, os.environ))

    def counter(self, total: int) -> Callable[[object], None]:
        """An `on_result` callback: one more file done of `total`."""

        def count(_result: object) -> None:
            self.done += 1
            self.update(self.done, total)

        return count

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        elapsed = now - self.started
        if elapsed < DELAY or (self.drawn_at is not None and now - self.drawn_at < INTERVAL):
            return
        self.stream.write(f"\rchecked {done}/{total} files ({done / elapsed:.0f} files/s)\x1b[K")
        self.stream.flush()
        self.drawn_at = now

    def close(self) -> None:
        if self.drawn_at is not None:
            self.stream.write(ERASE)
            self.stream.flush()
            self.drawn_at = None
