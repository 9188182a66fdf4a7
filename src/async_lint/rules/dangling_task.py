"""ASL104 dangling-task: a task whose only strong reference is dropped."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.reports import NodeFix
from async_lint.analysis.tasks import TaskCreation, never_read, task_creation
from async_lint.analysis.walker import FrameKind, ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.rules.base import Invalid, Rule, dedent_example

_KEEP_A_REFERENCE = "Keep a reference (a set, plus `task.add_done_callback(tasks.discard)`), or use an `asyncio.TaskGroup`"


class DanglingTask(Rule):
    """Flags a task created with `asyncio.create_task()`, `asyncio.ensure_future()` or
    `loop.create_task()` (on a loop from `asyncio.get_running_loop()` and friends) whose result
    is dropped: used as a statement, or assigned to a local name that is never read again
    (as ruff's RUF006 does)."""

    code = "ASL104"
    name = "dangling-task"
    summary = "the task from `asyncio.create_task()` is not kept"
    why = (
        "The event loop keeps only a weak reference to a task. A task nothing else refers to can be "
        "garbage-collected while it waits: the work silently stops half-way, its exception is never "
        "seen (at best `Task was destroyed but it is pending!` in the log), and it happens only "
        "sometimes, when the garbage collector happens to run at that moment."
    )
    use_instead = dedent_example(
        """
        import asyncio

        background_tasks = set()

        async def notify(users, send):
            for user in users:
                task = asyncio.create_task(send(user))
                background_tasks.add(task)
                task.add_done_callback(background_tasks.discard)
        """
    )
    proof = "tests/runtime/test_asl104.py"
    fix_safety = (
        "Suggestion only: whether the task should be awaited here, kept in a set of background tasks "
        "(with `add_done_callback(set.discard)`), or run in an `asyncio.TaskGroup` is a design choice."
    )
    not_flagged = (
        "`tg.create_task(...)` on an `asyncio.TaskGroup` (or any receiver not shown to be an event loop): "
        "the group keeps its tasks.",
        "A task assigned to a name that is read later (awaited, returned, added to a set, given a "
        "callback), to an attribute, a global, or an element of a container. This is where ruff's "
        "RUF006 (0.17) draws the line too: a dropped call, or a local name never read again.",
        "A task bound by a walrus (`(task := asyncio.create_task(...))`): not analysed.",
        "`loop.create_task(...)` on a `loop` nobody can show to be an event loop.",
        "A module-level or class-level assignment: the name keeps the task alive.",
    )
    valid = (
        """
        import asyncio

        async def main(work):
            task = asyncio.create_task(work())
            await task
        """,
        """
        import asyncio

        async def crawl(urls, fetch):
            async with asyncio.TaskGroup() as tg:
                for url in urls:
                    tg.create_task(fetch(url))
        """,
        """
        import asyncio

        background_tasks = set()

        async def notify(user, send):
            task = asyncio.create_task(send(user))
            background_tasks.add(task)
            task.add_done_callback(background_tasks.discard)
        """,
    )
    invalid = (
        Invalid(
            """
            import asyncio

            async def notify(users, send):
                for user in users:
                    asyncio.create_task(send(user))
            """,
        ),
        Invalid(
            """
            import asyncio

            async def start(worker):
                loop = asyncio.get_running_loop()
                loop.create_task(worker())
            """,
        ),
        Invalid(
            """
            import asyncio

            async def start(worker):
                task = asyncio.ensure_future(worker())
                return "started"
            """,
        ),
    )
    triggers = ("create_task", "ensure_future")

    def visit_Expr(self, node: cst.Expr, ctx: ModuleWalker) -> None:
        if isinstance(node.value, cst.Call):
            task = task_creation(node.value, ctx)
            if task is not None:
                self._report(node.value, f"`{_shown(task)}()` returns a task that is dropped", ctx)

    def visit_Assign(self, node: cst.Assign, ctx: ModuleWalker) -> None:
        if len(node.targets) == 1:
            self._check_assignment(node.targets[0].target, node.value, ctx)

    def visit_AnnAssign(self, node: cst.AnnAssign, ctx: ModuleWalker) -> None:
        if node.value is not None:
            self._check_assignment(node.target, node.value, ctx)

    def _check_assignment(self, target: cst.BaseExpression, value: cst.BaseExpression, ctx: ModuleWalker) -> None:
        if not isinstance(target, cst.Name) or not isinstance(value, cst.Call) or ctx.frame.kind is not FrameKind.FUNCTION:
            return
        task = task_creation(value, ctx)
        function = ctx.frame.node
        if task is None or not isinstance(function, cst.FunctionDef):
            return
        if never_read(target, function):
            self._report(value, f"`{target.value}` is never used again, so the task from `{_shown(task)}()` is dropped", ctx)

    def _report(self, call: cst.Call, what: str, ctx: ModuleWalker) -> None:
        ctx.report(
            self.code,
            call,
            f"{what}: the event loop keeps only a weak reference, so it can be garbage-collected before it finishes",
            NodeFix(_KEEP_A_REFERENCE, Applicability.SUGGESTION),
        )


def _shown(task: TaskCreation) -> str:
    return f"loop.{task.factory}" if task.on_event_loop else task.factory
