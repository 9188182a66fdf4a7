"""Blocking-call rules: calls that stall the event loop when made inside a coroutine."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.rules.base import Invalid, Rule


class BlockingSleep(Rule):
    """Flags `time.sleep(...)` inside an `async def` (through any import spelling:
    `import time as t`, `from time import sleep`)."""

    code = "ASL300"
    name = "blocking-sleep"
    summary = "`time.sleep()` inside `async def`"
    why = (
        "`time.sleep()` blocks the whole thread, and the event loop runs every task on that one "
        "thread: while one coroutine sleeps, no other request, stream or timer makes progress. "
        "`await asyncio.sleep()` suspends only the current task and lets the loop run the others."
    )
    proof = "tests/runtime/test_asl300.py"
    fix_safety = (
        "Safe: `time.sleep(x)` becomes `await asyncio.sleep(x)` (using the module's existing "
        "`asyncio` import or alias, and adding `import asyncio` when there is none). Not offered "
        "inside a generator expression, where `await` would turn it into an async generator, or "
        "where the name `asyncio` means something else."
    )
    not_flagged = (
        "`time.sleep` in a plain `def`, including a sync `def` nested inside an `async def` "
        "(it runs wherever it is called, often a worker thread).",
        "`time.sleep` handed to a thread: `await asyncio.to_thread(time.sleep, 1)`, "
        "`loop.run_in_executor(None, time.sleep, 1)` (it is passed, not called).",
        "A sync FastAPI route (`def`, not `async def`): FastAPI runs those in a threadpool.",
        "A `sleep` that is not `time.sleep` (`trio.sleep`, a local function named `sleep`).",
    )
    valid = (
        """
        import time

        def retry_later():
            time.sleep(1)
        """,
        """
        import asyncio
        import time

        async def handler():
            await asyncio.to_thread(time.sleep, 1)
        """,
        """
        import time

        async def handler():
            def slow():
                time.sleep(1)
            return slow
        """,
        """
        async def handler(sleep):
            sleep(1)
        """,
    )
    invalid = (
        Invalid(
            """
            import time

            async def fetch_data():
                time.sleep(2)
                return {"id": 1}
            """,
            fixed="""
            import asyncio
            import time

            async def fetch_data():
                await asyncio.sleep(2)
                return {"id": 1}
            """,
        ),
        Invalid(
            """
            import asyncio as aio
            from time import sleep

            async def poll():
                while True:
                    sleep(0.5)
                    await aio.sleep(0)
            """,
            fixed="""
            import asyncio as aio
            from time import sleep

            async def poll():
                while True:
                    await aio.sleep(0.5)
                    await aio.sleep(0)
            """,
        ),
    )

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        if not ctx.in_async_function or ctx.resolve(node.func) != "time.sleep":
            return
        if "time.sleep" in self.options.allow_blocking:
            return
        function = ctx.function
        assert function is not None
        fix = None
        reference = ctx.module_reference("asyncio") if ctx.can_await else None
        if reference is not None:
            asyncio_name, imports = reference
            replacement = cst.Await(
                expression=cst.Call(
                    func=cst.Attribute(value=cst.Name(asyncio_name), attr=cst.Name("sleep")),
                    args=node.args,
                )
            )
            fix = NodeFix(
                f"Replace with `{ctx.module.code_for_node(replacement)}`",
                Applicability.SAFE,
                ((node, replacement),),
                imports,
            )
        ctx.report(
            self.code,
            node,
            f"`time.sleep()` inside `async def {function.name}` blocks the event loop; "
            "use `await asyncio.sleep()`",
            fix,
        )
