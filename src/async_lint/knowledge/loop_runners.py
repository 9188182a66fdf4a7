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
    new_loop_per_call: bool = False
    """Whether every call creates (and closes) its own event loop."""


_ASYNCIO_RUN_ERROR = "RuntimeError: asyncio.run() cannot be called from a running event loop"
_LOOP_RUNNING_ERROR = "RuntimeError: This event loop is already running"

LOOP_RUNNER_FUNCTIONS: dict[str, LoopRunner] = {
    "asyncio.run": LoopRunner("asyncio.run()", False, _ASYNCIO_RUN_ERROR, True),
    "asyncio.runners.run": LoopRunner("asyncio.run()", False, _ASYNCIO_RUN_ERROR, True),
    "anyio.run": LoopRunner("anyio.run()", True, "RuntimeError: Already running asyncio in this thread", True),
    "trio.run": LoopRunner("trio.run()", True, "RuntimeError: Attempted to call run() from inside a run()", True),
}

LOOP_RUNNER_METHODS: dict[str, LoopRunner] = {
    # The name is asyncio's alone (uvloop and trio-asyncio loops share it), so any receiver counts.
    "run_until_complete": LoopRunner("run_until_complete()", False, _LOOP_RUNNING_ERROR),
}

LOOP_RUNNER_TRIGGERS = ("asyncio", "anyio", "trio", "run_until_complete", "runners")
"""What a file must contain to call a loop runner: the functions above are found through the
file's imports (`import asyncio as aio`, `from asyncio import run`, `from .runners import run`
inside a package named asyncio), the method by its name. A rule that needs a loop runner call
can use these as its `triggers`: they are sound, and far rarer than the word `run`."""

RUNNER_CONSTRUCTORS = frozenset({"asyncio.Runner", "asyncio.runners.Runner"})
"""`asyncio.Runner().run(coro)` / `with asyncio.Runner() as r: r.run(coro)`."""
RUNNER_METHODS: dict[str, LoopRunner] = {
    "run": LoopRunner("asyncio.Runner().run()", False, "RuntimeError: Runner.run() cannot be called from a running event loop"),
}
"""Methods of what `RUNNER_CONSTRUCTORS` make that run a loop."""

LOOP_FACTORIES = frozenset({"asyncio.new_event_loop", "asyncio.events.new_event_loop"})
"""`asyncio.new_event_loop().run_until_complete(...)` makes a loop per call (and never closes it)."""
CURRENT_LOOP_GETTERS = frozenset(
    {"asyncio.get_event_loop", "asyncio.events.get_event_loop", "asyncio.get_running_loop", "asyncio.events.get_running_loop"}
)
"""Calls that return the thread's current loop: `if asyncio.get_event_loop().is_running():`."""
ANOTHER_LOOP_RUNNING = "Cannot run the event loop while another loop is running"
"""The `RuntimeError` of `run_until_complete` on a loop that is not the running one (one made
with `new_event_loop()`)."""
LOOP_RUNNING_CHECK = "is_running"
"""`loop.is_running()`: the branches of an `if` on it run only while the loop runs, or only while it does not."""
LOOP_STATE_CHECKS = frozenset({"get_running_loop", "_get_running_loop", LOOP_RUNNING_CHECK})
"""Calls that ask whether a loop is running: a function making one chooses what to do about
it, so its loop runners are not findings and a call chain does not go through it."""
NESTED_LOOP_PATCHES = frozenset({"nest_asyncio.apply"})
"""Calls that patch asyncio to allow a loop runner inside a running loop, on purpose."""

ASYNC_VARIANT_NAMES = ("a{name}", "{name}_async")
"""How a project names the async variant of a sync function (`arun` next to `run`,
`run_async`): a chain that reaches a loop runner through `run` is better served by awaiting it."""
