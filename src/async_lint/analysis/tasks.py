"""Task creation (ASL104): which calls create a task the event loop holds only weakly, and
whether the name a task is assigned to is ever read again."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.async_protocols import EVENT_LOOP_GETTERS, EVENT_LOOP_TYPES
from async_lint.knowledge.tasks import LOCALS_READERS, LOOP_TASK_METHOD, TASK_FACTORIES


@dataclass(frozen=True)
class TaskCreation:
    """A call that returns a task nothing but the caller refers to."""

    factory: str
    """The function's documented name (`asyncio.create_task`), or the event loop's method."""
    on_event_loop: bool = False
    """`loop.create_task(...)` on an event loop."""


def task_creation(call: cst.Call, ctx: ModuleWalker) -> TaskCreation | None:
    """`asyncio.create_task` / `asyncio.ensure_future` / `loop.create_task`, when `call` is one
    of them; `tg.create_task` and other receivers are not."""
    qualified = ctx.resolve(call.func)
    if qualified is not None and qualified in TASK_FACTORIES:
        return TaskCreation(TASK_FACTORIES[qualified])
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == LOOP_TASK_METHOD and _is_event_loop(func.value, ctx):
        return TaskCreation(LOOP_TASK_METHOD, on_event_loop=True)
    return None


def _is_event_loop(expr: cst.BaseExpression, ctx: ModuleWalker) -> bool:
    """`asyncio.get_running_loop()` (or a name bound to one, here or elsewhere), or a name
    annotated as an event loop."""
    maker = ctx.made_by(expr)
    return maker in EVENT_LOOP_GETTERS or maker in EVENT_LOOP_TYPES


def never_read(target: cst.Name, function: cst.FunctionDef) -> bool:
    """Whether the name `target` assigns is never read anywhere else in the function (nested
    functions included), nor declared `global`/`nonlocal`, nor reachable via `locals()`."""
    reads = _Reads(target)
    traversal.visit(function.body, reads)
    return not reads.found


class _Reads(cst.CSTVisitor):
    def __init__(self, target: cst.Name) -> None:
        super().__init__()
        self.name = target.value
        self.stores: set[cst.CSTNode] = {target}
        self.found = False

    def visit_Name(self, node: cst.Name) -> None:
        if (node.value == self.name or node.value in LOCALS_READERS) and node not in self.stores:
            self.found = True

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name):
            self.stores.add(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self.stores.add(node.target)
