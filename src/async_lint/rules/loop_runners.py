"""Event-loop rules: a loop runner (`asyncio.run`, `loop.run_until_complete`, ...) where a loop
is already running."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.reports import NodeFix
from async_lint.analysis.scopes import BindingKind
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.loop_runners import (
    LOOP_RUNNER_FUNCTIONS,
    LOOP_RUNNER_METHODS,
    RUNNER_CONSTRUCTORS,
    RUNNER_METHOD,
    LoopRunner,
)
from async_lint.rules.base import Invalid, Rule


def loop_runner_called(node: cst.Call, ctx: ModuleWalker) -> LoopRunner | None:
    """The loop runner this call is, if it is one."""
    func = node.func
    qualified = ctx.resolve(func)
    if qualified is not None and qualified in LOOP_RUNNER_FUNCTIONS:
        return LOOP_RUNNER_FUNCTIONS[qualified]
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        if method in LOOP_RUNNER_METHODS:
            return LOOP_RUNNER_METHODS[method]
        if method == "run" and _is_asyncio_runner(func.value, ctx):
            return RUNNER_METHOD
    return None


def _is_asyncio_runner(expr: cst.BaseExpression, ctx: ModuleWalker) -> bool:
    if isinstance(expr, cst.Call):
        return ctx.resolve(expr.func) in RUNNER_CONSTRUCTORS
    if isinstance(expr, cst.Name):
        binding = ctx.lookup(expr.value)
        if binding is not None and binding.kind is BindingKind.ASSIGNMENT and isinstance(binding.value, cst.Call):
            return ctx.resolve(binding.value.func) in RUNNER_CONSTRUCTORS
    return False


def awaited_form(node: cst.Call, runner: LoopRunner) -> cst.Await | None:
    """`await coro` for `asyncio.run(coro)`, `await fn(*args)` for `anyio.run(fn, *args)`;
    None when the call passes options a plain `await` would drop."""
    args = node.args
    if any(arg.keyword is not None or arg.star for arg in args) or not args:
        return None
    if runner.takes_function:
        function = args[0].value
        return cst.Await(expression=cst.Call(func=function, args=args[1:]))
    if len(args) != 1:
        return None
    return cst.Await(expression=args[0].value)


class LoopRunnerInAsync(Rule):
    """Flags a call that starts an event loop (`asyncio.run`, `loop.run_until_complete`,
    `asyncio.get_event_loop().run_until_complete`, `asyncio.Runner().run`, `anyio.run`,
    `trio.run`) inside an `async def`, where a loop is always already running."""

    code = "ASL200"
    name = "loop-runner-in-async"
    summary = "`asyncio.run()` / `run_until_complete()` inside `async def`"
    why = (
        "An `async def` only runs inside a running event loop, and a thread has one loop at a time. "
        "`asyncio.run()` there raises `RuntimeError: asyncio.run() cannot be called from a running "
        "event loop`; `loop.run_until_complete()` raises `RuntimeError: This event loop is already "
        "running`. The coroutine never runs, and in a FastAPI handler every request fails with a 500. "
        "A script enters the loop once, with `asyncio.run(main())`; code already inside the loop "
        "uses `await`."
    )
    proof = "tests/runtime/test_asl200.py"
    fix_safety = (
        "Safe: `asyncio.run(coro)` and `loop.run_until_complete(coro)` become `await coro`, and "
        "`anyio.run(fn, *args)` / `trio.run(fn, *args)` become `await fn(*args)`: the same "
        "coroutine, run by the loop that is already there. No fix is offered when the call passes "
        "options (`debug=True`, `backend=...`) that `await` cannot express, or inside a generator "
        "expression."
    )
    not_flagged = (
        "`asyncio.run(main())` in a plain `def` or at module level (the script's entry point).",
        "A loop runner in a sync `def` nested inside an `async def` (it runs wherever it is called; ASL202 follows such calls).",
        "`asyncio.run` passed as a value (`executor.submit(asyncio.run, coro)`), since nothing is called here.",
        "A `.run()` method on objects not shown to be an `asyncio.Runner`.",
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
    )

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        if not ctx.in_async_function:
            return
        runner = loop_runner_called(node, ctx)
        if runner is None:
            return
        function = ctx.function
        assert function is not None
        fix = None
        replacement = awaited_form(node, runner) if ctx.can_await else None
        if replacement is not None:
            shown = ctx.module.code_for_node(replacement)
            fix = NodeFix(f"Replace with `{shown}`", Applicability.SAFE, ((node, replacement),))
        ctx.report(
            self.code,
            node,
            f"`{runner.display}` inside `async def {function.name}` raises "
            f"`{runner.error}`; `await` the coroutine instead",
            fix,
        )
