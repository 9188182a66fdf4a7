"""Deeply recursive work (LibCST's parser, its code generation, the rule walker, the module
summariser) on one thread with a large stack and a high recursion limit.

CPython compiles code nested up to about 2,900 levels (a generated `a + a + ... + a` of 1,000
terms is 1,000 levels deep). Every level costs a few Python frames in the visitors and more
in LibCST's native parser: on the main thread's 8 MB stack and the default limit of 1,000
frames such a file would raise RecursionError, or overflow the native stack and end the
process. Here it is an ordinary file. The stack is address space reserved, not memory used:
pages are touched only as deep as the recursion goes.

A leaf module (it imports nothing of async-lint): every layer may use it.
"""

from __future__ import annotations

import functools
import os
import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import ParamSpec, TypeVar

STACK_BYTES = 1024 * 1024 * 1024
RECURSION_LIMIT = 200_000
"""Enough frames for the deepest code CPython compiles; the stack above holds them."""

_Parameters = ParamSpec("_Parameters")
_Result = TypeVar("_Result")

_lock = threading.Lock()
_jobs: queue.SimpleQueue[tuple[Callable[[], object], Future[object]]] | None = None
_owner = 0
"""The process the deep thread belongs to (a forked worker needs its own)."""
_thread_ident: int | None = None
_depth = 0
"""How many `run_deep` calls are in progress on the deep thread (only the outermost sets and
restores the recursion limit)."""


def _start() -> queue.SimpleQueue[tuple[Callable[[], object], Future[object]]]:
    """The deep thread's queue, starting the thread first when this process has none. A daemon
    thread: a run stopped by Ctrl-C does not wait for the file it is on."""
    global _jobs, _owner  # noqa: PLW0603 - one deep thread per process
    with _lock:
        if _jobs is None or _owner != os.getpid():
            jobs: queue.SimpleQueue[tuple[Callable[[], object], Future[object]]] = queue.SimpleQueue()
            started = threading.Event()

            def serve() -> None:
                global _thread_ident  # noqa: PLW0603
                _thread_ident = threading.get_ident()
                started.set()
                while True:
                    job, future = jobs.get()
                    if future.set_running_or_notify_cancel():
                        try:
                            future.set_result(job())
                        except BaseException as error:  # noqa: BLE001 - handed to the caller
                            future.set_exception(error)

            previous = threading.stack_size()
            threading.stack_size(STACK_BYTES)
            try:
                threading.Thread(target=serve, name="async-lint-deep", daemon=True).start()
            finally:
                threading.stack_size(previous)
            started.wait()
            _jobs, _owner = jobs, os.getpid()
        return _jobs


def on_deep_thread() -> bool:
    return _owner == os.getpid() and threading.get_ident() == _thread_ident


def submit_deep(function: Callable[_Parameters, _Result], *args: _Parameters.args, **kwargs: _Parameters.kwargs) -> Future[_Result]:
    """Queue `function(*args, **kwargs)` for the deep thread (as `run_deep` runs it); its future."""
    future: Future[_Result] = Future()
    _start().put((functools.partial(run_deep, function, *args, **kwargs), future))  # type: ignore[arg-type]
    return future


def run_deep(function: Callable[_Parameters, _Result], *args: _Parameters.args, **kwargs: _Parameters.kwargs) -> _Result:
    """`function(*args, **kwargs)`, run on the deep thread with the high recursion limit."""
    if not on_deep_thread():
        return submit_deep(function, *args, **kwargs).result()
    global _depth  # noqa: PLW0603 - only the deep thread changes it
    previous = sys.getrecursionlimit()
    if _depth == 0:
        sys.setrecursionlimit(max(previous, RECURSION_LIMIT))
    _depth += 1
    try:
        return function(*args, **kwargs)
    finally:
        _depth -= 1
        if _depth == 0:
            sys.setrecursionlimit(previous)
