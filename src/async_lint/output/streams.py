"""Where a report is written: standard output, which a reader may close early, or a file.

Both take file names as the file system gave them: a name that is not valid UTF-8 is written
back as its original bytes (`surrogateescape`), not a UnicodeEncodeError.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO


class PipeSafeWriter:
    """A text stream whose reader may go away (`async-lint check | head -1`): the first write
    that finds the pipe closed points the stream at the null device, and the rest of the
    report is dropped quietly, as `head` asked. The run's exit status is not changed."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._drop_the_rest()
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._drop_the_rest()

    def _drop_the_rest(self) -> None:
        self.reader_gone = True
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, self.stream.fileno())  # what is still buffered goes nowhere, quietly, at exit
        finally:
            os.close(null)


def standard_output() -> PipeSafeWriter:
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="surrogateescape")
    return PipeSafeWriter(sys.stdout)


def open_report_file(path: Path) -> TextIO:
    return open(path, "w", encoding="utf-8", errors="surrogateescape")  # noqa: SIM115 - closed by the caller
