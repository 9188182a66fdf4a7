"""Ctrl-C and SIGTERM: a run that is stopped stops whole, at once, and leaves nothing half-written.

The parent turns SIGTERM into an exception, as Python does SIGINT, so both unwind the run:
the worker processes are terminated, and every write in progress removes its temporary file
(cache entries and fixed files are written to a temporary file and renamed, and each write
cleans up whatever stops it). Workers leave SIGINT to the parent (Ctrl-C reaches the whole
process group; one message, from the parent, is enough), turn SIGTERM into an exception too,
and on Linux ask the kernel for SIGTERM when the parent dies, however it dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Iterator
from types import FrameType

EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM
_PR_SET_PDEATHSIG = 1


class Terminated(SystemExit):
    """SIGTERM arrived. A SystemExit: whatever lets an exit through (no `except Exception`
    stops it, and the checker re-raises it) lets this through."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(EXIT_TERMINATED)


@contextlib.contextmanager
def termination_as_exception() -> Iterator[None]:
    """Within the block, SIGTERM raises `Terminated` in the main thread."""
    try:
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread (an embedding application): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def stop_signals_held() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM wait (they are delivered when it ends). Worker
    processes started within it start with them held too, until `prepare_worker` has set them
    up: a Ctrl-C that reaches a worker before that would kill it in the middle of a task, and
    the pool would wait for that task forever."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def prepare_worker(parent: int) -> None:
    """In a worker process of the process `parent`, before any file: see the module docstring."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_terminated)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(EXIT_TERMINATED)
    if hasattr(signal, "pthread_sigmask"):
        try:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        except Terminated:  # the run was stopped while this worker started: nothing to clean up
            os._exit(EXIT_TERMINATED)
