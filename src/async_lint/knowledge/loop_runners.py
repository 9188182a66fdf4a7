"""Calls that start an event loop and run it to completion, so they fail (or deadlock) when
a loop is already running in the thread."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoopRunner:
    display: str
    """How the message names the call."""
    takes_function: bool
    """`anyio.run(fn, *args)` / `trio.run(fn, *args)` take a function and its arguments;
    `asyncio.run(coro)` / `loop.run_until_complete(coro)` take an awaitable."""
    error: str
    """What happens at run time inside a running loop."""


_ASYNCIO_RUN_ERROR = "RuntimeError: asyncio.run() cannot be called from a running event loop"
_LOOP_RUNNING_ERROR = "RuntimeError: This event loop is already running"

LOOP_RUNNER_FUNCTIONS: dict[str, LoopRunner] = {
    "asyncio.run": LoopRunner("asyncio.run()", False, _ASYNCIO_RUN_ERROR),
    "asyncio.runners.run": LoopRunner("asyncio.run()", False, _ASYNCIO_RUN_ERROR),
    "anyio.run": LoopRunner("anyio.run()", True, "RuntimeError: Already running asyncio in this thread"),
    "trio.run": LoopRunner("trio.run()", True, "RuntimeError: Attempted to call run() from inside a run()"),
}

LOOP_RUNNER_METHODS: dict[str, LoopRunner] = {
    # The name is asyncio's alone (uvloop and trio-asyncio loops share it), so any receiver counts.
    "run_until_complete": LoopRunner("run_until_complete()", False, _LOOP_RUNNING_ERROR),
}

RUNNER_CONSTRUCTORS = frozenset({"asyncio.Runner", "asyncio.runners.Runner"})
"""`asyncio.Runner().run(coro)` / `with asyncio.Runner() as r: r.run(coro)`."""
RUNNER_METHOD = LoopRunner("asyncio.Runner().run()", False, "RuntimeError: Runner.run() cannot be called from a running event loop")
