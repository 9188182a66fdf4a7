"""ASL203 loop-runner-in-loop: a new event loop for every item of a loop."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.async_library import library_call
from async_lint.analysis.concurrency import foreign_task_group
from async_lint.analysis.loop_runners import RunnerPerItem, loop_runner_call
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.async_libraries import RUN
from async_lint.knowledge.concurrency import TASK_GROUPS
from async_lint.knowledge.loop_runners import LOOP_RUNNER_TRIGGERS
from async_lint.rules.base import Invalid, Rule, dedent_example


class LoopRunnerInLoop(Rule):
    """Flags `asyncio.run(...)` (and `anyio.run`, `trio.run`, `asyncio.new_event_loop().run_until_complete`)
    in the body of a `for` loop or a comprehension in sync code: every item gets its own new
    event loop, and the items run one after another."""

    code = "ASL203"
    name = "loop-runner-in-loop"
    summary = "`asyncio.run()` inside a `for` loop or comprehension"
    why = (
        "`asyncio.run()` creates an event loop, runs one coroutine, and closes the loop. In a loop "
        "that means a new event loop per item and no concurrency: the coroutines run one by one, "
        "which is the one thing async code was meant to avoid. Anything bound to a loop breaks "
        "between items: an `httpx.AsyncClient` or aiohttp session created once and used in each "
        "`asyncio.run()` fails on the second item with `RuntimeError: Event loop is closed`."
    )
    use_instead = dedent_example(
        """
        import asyncio

        async def fetch(url: str) -> str:
            return url

        async def fetch_all(urls: list[str]) -> list[str]:
            # One loop for all items; `for url in urls: await fetch(url)` when order matters.
            return await asyncio.gather(*(fetch(url) for url in urls))

        results = asyncio.run(fetch_all(urls))
        """
    )
    proof = "tests/runtime/test_asl203.py"
    fix_safety = (
        "No automatic fix: whether the items may run concurrently (`asyncio.gather`) or must be "
        "awaited one by one in a single `async def` is the author's call."
    )
    not_flagged = (
        ("A loop runner inside `async def` (ASL200) or in a sync route handler, graph node or tool "
        "(ASL201): one finding per call."),
        ("`while` loops: a REPL (`while True: asyncio.run(chat(input()))`), a daemon or poller, "
        "or pagination waits for the previous turn; each turn is sequential by nature."),
        ("A `for` loop that stops after a run (`break` or `return` in its body): a retry loop or a "
        "first-match search, sequential on purpose."),
        "The loop's iterable (`for x in asyncio.run(load()):` runs once) and its `else:` block.",
        ("One loop reused for every item: `with asyncio.Runner() as runner:` / "
        "`loop.run_until_complete(...)` on an existing loop in the loop body."),
        "A `def` or `lambda` defined in the loop body (it runs when it is called).",
    )
    valid = (
        """
        import asyncio

        async def main(urls):
            return await asyncio.gather(*(fetch(url) for url in urls))

        async def fetch(url):
            return url

        if __name__ == "__main__":
            asyncio.run(main(["a", "b"]))
        """,
        """
        import asyncio

        def chat(agent):
            while True:
                question = input("> ")
                print(asyncio.run(agent.ainvoke(question)))
        """,
        """
        import asyncio
        import time

        def fetch_with_retries(coro_factory):
            for attempt in range(3):
                try:
                    return asyncio.run(coro_factory())
                except ConnectionError:
                    time.sleep(2**attempt)
        """,
        """
        import asyncio

        def process(items, handle):
            with asyncio.Runner() as runner:
                for item in items:
                    runner.run(handle(item))
        """,
    )
    invalid = (
        Invalid(
            """
            import asyncio

            async def fetch(url: str) -> str:
                return url

            def fetch_all(urls: list[str]) -> list[str]:
                results = []
                for url in urls:
                    results.append(asyncio.run(fetch(url)))
                return results
            """,
        ),
        Invalid(
            """
            import asyncio

            summaries = [asyncio.run(chain.ainvoke(doc)) for doc in docs]
            """,
        ),
    )
    triggers = LOOP_RUNNER_TRIGGERS

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        found = loop_runner_call(node, ctx, self.options.route_decorators)
        if not isinstance(found, RunnerPerItem):
            return
        where = "a `for` loop" if isinstance(found.loop, cst.For) else "a comprehension"
        ctx.report(
            self.code,
            node,
            f"`{found.runner.display}` in {where} starts a new event loop for every item and runs the "
            f"items one at a time; {_once(ctx)}",
        )


def _once(ctx: ModuleWalker) -> str:
    """The advice in the module's own library: asyncio's `gather`, trio's nursery, anyio's task group."""
    group = foreign_task_group(ctx)
    run = library_call(RUN, ctx).qualified
    if group is not None:
        return f"call `{run}()` once, on an `async def` that starts them in {TASK_GROUPS[group]} (or awaits each in turn)"
    return f"call `{run}()` once, on an `async def` that `asyncio.gather()`s them (or awaits each in turn)"
