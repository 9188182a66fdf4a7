"""Calls that create a task the event loop holds only weakly, and what reads a function's local
names without naming them (ASL104)."""

from __future__ import annotations

TASK_FACTORIES: dict[str, str] = {
    "asyncio.create_task": "asyncio.create_task",
    "asyncio.ensure_future": "asyncio.ensure_future",
    "asyncio.tasks.create_task": "asyncio.create_task",
    "asyncio.tasks.ensure_future": "asyncio.ensure_future",
}
"""Functions returning a task the event loop holds only weakly, by qualified name -> the name
they are documented under."""

LOOP_TASK_METHOD = "create_task"
"""The event loop's method that does what `asyncio.create_task` does (a `TaskGroup`'s method of
the same name keeps its tasks)."""

LOCALS_READERS = frozenset({"locals", "vars"})
"""Builtins that read every local name of the function calling them."""
