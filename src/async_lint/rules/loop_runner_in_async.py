"""ASL200 loop-runner-in-async: a loop runner where a loop is already running."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.loop_runners import RunnerInCoroutine, RunnerUnderRunningGuard, loop_runner_call
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.loop_runners import LOOP_RUNNING_CHECK
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.fix_builders import as_operand, awaited_runner_call


class LoopRunnerInAsync(Rule):
    """Flags a call that starts an event loop (`asyncio.run`, `loop.run_until_complete`,
    `asyncio.get_event_loop().run_until_complete`, `asyncio.new_event_loop().run_until_complete`,
    `asyncio.Runner().run`, `anyio.run`, `trio.run`) where a loop is already running: inside an
    `async def`, and in the branch of an inverted guard, `if loop.is_running():
    loop.run_until_complete(...)` (the branch only runs while the loop runs, in sync code too)."""

    code = "ASL200"
    name = "loop-runner-in-async"
    summary = "`asyncio.run()` / `run_until_complete()` inside `async def` or under `if loop.is_running():`"
    triggers = ("async", LOOP_RUNNING_CHECK)
    why = (
        "An `async def` only runs inside a running event loop, and a thread has one loop at a time. "
        "`asyncio.run()` there raises `RuntimeError: asyncio.run() cannot be called from a running "
        "event loop`; `loop.run_until_complete()` raises `RuntimeError: This event loop is already "
        "running`. The coroutine never runs, and in a FastAPI handler every request fails with a 500. "
        "A script enters the loop once, with `asyncio.run(main())`; code already inside the loop "
        "uses `await`. The guard `if loop.is_running(): loop.run_until_complete(coro)` gets the test "
        "backwards: its branch only runs when the call is certain to raise."
    )
    proof = "tests/runtime/test_asl200.py"
    fix_safety = (
        "Safe: `asyncio.run(coro)` and `loop.run_until_complete(coro)` become `await coro`, and "
        "`anyio.run(fn, *args)` / `trio.run(fn, *args)` become `await fn(*args)`: the same "
        "coroutine, run by the loop that is already there. No fix is offered when the call passes "
        "options (`debug=True`, `backend=...`) that `await` cannot express, or inside a generator "
        "expression, or for the `is_running()` guard in sync code (`await` needs an `async def`)."
    )
    not_flagged = (
        "`asyncio.run(main())` in a plain `def` or at module level (the script's entry point).",
        "A loop runner in a sync `def` nested inside an `async def` (it runs wherever it is called; ASL202 follows such calls).",
        "`asyncio.run` passed as a value (`executor.submit(asyncio.run, coro)`), since nothing is called here.",
        "A `.run()` method on objects not shown to be an `asyncio.Runner`.",
        ("The right way round: `if not loop.is_running(): loop.run_until_complete(coro)`, and "
        "`asyncio.run` under `self.loop.is_running()` (that loop may run in another thread)."),
        "A module that calls `nest_asyncio.apply()`: it patches asyncio so nested runs work, on purpose.",
    )
    valid = (
        """
        import asyncio

        async def main():
            await asyncio.sleep(1)

        if __name__ == "__main__":
            asyncio.run(main())
        """,
        """
        import asyncio

        def sync_entry(coro):
            return asyncio.run(coro)
        """,
        """
        import asyncio

        async def handler(pool, coro):
            def in_thread():
                return asyncio.run(coro)
            return await asyncio.to_thread(in_thread)
        """,
        """
        async def start(app):
            app.run()
        """,
        """
        import asyncio

        def run_sync(coro):
            loop = asyncio.get_event_loop()
            if not loop.is_running():
                return loop.run_until_complete(coro)
            raise RuntimeError("call the async API from async code")
        """,
        """
        import asyncio

        import nest_asyncio

        nest_asyncio.apply()

        async def notebook_cell(coro):
            return asyncio.run(coro)
        """,
    )
    invalid = (
        Invalid(
            """
            import asyncio

            async def fetch_data():
                return {"id": 1}

            async def handler():
                data = asyncio.run(fetch_data())
                return data
            """,
            fixed="""
            import asyncio

            async def fetch_data():
                return {"id": 1}

            async def handler():
                data = await fetch_data()
                return data
            """,
        ),
        Invalid(
            """
            import asyncio

            async def handler(coro):
                loop = asyncio.get_event_loop()
                return loop.run_until_complete(coro)
            """,
            fixed="""
            import asyncio

            async def handler(coro):
                loop = asyncio.get_event_loop()
                return await coro
            """,
        ),
        Invalid(
            """
            from asyncio import run

            async def handler(graph, state):
                return run(graph.ainvoke(state), debug=True)
            """,
        ),
        Invalid(
            """
            import asyncio

            def run_sync(coro):
                loop = asyncio.get_event_loop()
                if loop.is_running():
                    return loop.run_until_complete(coro)
                return asyncio.run(coro)
            """,
        ),
    )

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        found = loop_runner_call(node, ctx, self.options.route_decorators)
        if isinstance(found, RunnerInCoroutine):
            runner = found.runner
            ctx.report(
                self.code,
                node,
                f"`{runner.display}` inside `async def {found.function.name}` raises "
                f"`{runner.error}`; `await` the coroutine instead",
                _await_fix(node, found, ctx),
            )
        elif isinstance(found, RunnerUnderRunningGuard):
            test = ctx.module.code_for_node(found.guard.test)
            branch = f"`if {test}:`" if found.in_body else f"the `else:` of `if {test}:`"
            ctx.report(
                self.code,
                node,
                f"`{found.runner.display}` under {branch} only runs while the loop is running, so it always "
                f"raises `{found.runner.error}`; make the caller `async def` and `await` the coroutine",
            )


def _await_fix(node: cst.Call, found: RunnerInCoroutine, ctx: ModuleWalker) -> NodeFix | None:
    replacement = awaited_runner_call(node, found.runner) if ctx.can_await else None
    if replacement is None:
        return None
    replacement = as_operand(replacement, node, ctx)
    return NodeFix(f"Replace with `{ctx.module.code_for_node(replacement)}`", Applicability.SAFE, ((node, replacement),))
