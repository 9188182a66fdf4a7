"""ASL202 loop-runner-reachable-from-async: async code calls a sync function whose call chain
reaches a loop runner."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.call_chains import async_variant, loop_runner_chain
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.chain_messages import chain_text, related_steps, shown_callee
from async_lint.rules.fix_builders import as_operand, to_thread_fix


class LoopRunnerReachableFromAsync(Rule):
    """Flags a call in async code to a sync project function whose call chain (through sync
    calls, `self.method()` calls, methods of module-level instances and class instantiation,
    across modules) reaches a loop runner: `asyncio.run`, `loop.run_until_complete`,
    `asyncio.Runner().run`, `anyio.run`, `trio.run`. The message shows the shortest chain,
    `ask -> answer_question -> Agent.run -> asyncio.run (agent.py:88)`, and each step is a
    related location."""

    code = "ASL202"
    name = "loop-runner-reachable-from-async"
    summary = "async code calls a sync function whose call chain reaches `asyncio.run()`"
    why = (
        "The loop runner runs in the caller's thread, where the event loop is already running: "
        "`asyncio.run()` raises `RuntimeError: asyncio.run() cannot be called from a running event "
        "loop`, `loop.run_until_complete()` raises `RuntimeError: This event loop is already "
        "running`. It does not matter how many sync calls sit between the `async def` and the "
        "loop runner, or in which modules: an async FastAPI route calling a helper that calls "
        "`agent.run()`, which calls `asyncio.run(self.graph.ainvoke(...))`, fails on every request "
        "with a 500. The direct rule (ASL200) cannot see it, since no single function is wrong on "
        "its own."
    )
    proof = "tests/runtime/test_asl202.py"
    fix_safety = (
        "When the project defines an async twin of the called function (`arun` or `run_async` "
        "next to `run`, a coroutine function), a suggestion to `await` it. Otherwise an unsafe "
        "fix, `await asyncio.to_thread(f, *args)` (`trio.to_thread.run_sync` / "
        "`anyio.to_thread.run_sync` in trio and anyio modules; unsafe in any case), where the "
        "call is a statement of its own or "
        "the value of an assignment or `return`: the loop runner then runs in a worker thread, "
        "where no loop is running, so it works; but the chain now runs in another thread and "
        "concurrently with other tasks, which code holding thread-local state or unsynchronised "
        "shared objects may not expect. The real repair is an async chain, awaited."
    )
    not_flagged = (
        "A loop runner written in the `async def` itself: that is ASL200.",
        "A call handed to a thread: `await asyncio.to_thread(f, x)`, `loop.run_in_executor(None, f)`.",
        ("A chain through a nested `def` passed to a thread or executor (it runs where no loop "
        "is running), through a generator, a coroutine function, or a function with a decorator "
        "not known to return it unchanged."),
        ("A function that checks for a running loop (`asyncio.get_running_loop()`, "
        "`loop.is_running()`) before choosing to run one, and modules that apply `nest_asyncio`."),
        "A call whose callee cannot be resolved to a project function (stay silent rather than guess).",
        "A sync function reaching a loop runner that no async code calls (`asyncio.run(main())` at the entry point).",
    )
    valid = (
        """
        import asyncio

        def run_report(coro):
            return asyncio.run(coro)

        async def handler(coro):
            return await asyncio.to_thread(run_report, coro)
        """,
        """
        import asyncio

        def run_sync(coro):
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return asyncio.run(coro)
            raise RuntimeError("use the async API inside a running loop")

        async def handler(coro):
            return run_sync(coro)
        """,
        """
        import asyncio

        async def main():
            await asyncio.sleep(0)

        def cli():
            asyncio.run(main())

        if __name__ == "__main__":
            cli()
        """,
    )
    invalid = (
        Invalid(
            """
            import asyncio

            class Agent:
                def run(self, question):
                    return asyncio.run(self.arun(question))

                async def arun(self, question):
                    return question

            agent = Agent()

            def answer_question(question):
                return agent.run(question)

            async def ask(question):
                answer = answer_question(question)
                return answer
            """,
            fixed="""
            import asyncio

            class Agent:
                def run(self, question):
                    return asyncio.run(self.arun(question))

                async def arun(self, question):
                    return question

            agent = Agent()

            def answer_question(question):
                return agent.run(question)

            async def ask(question):
                answer = await asyncio.to_thread(answer_question, question)
                return answer
            """,
        ),
        Invalid(
            """
            import asyncio

            class Agent:
                def run(self, question):
                    return asyncio.run(self.arun(question))

                async def arun(self, question):
                    return question

            async def ask(agent: Agent, question):
                return {"answer": Agent().run(question)}
            """,
        ),
    )

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        found = loop_runner_chain(node, ctx)
        if found is None:
            return
        chain = found.chain
        variant = async_variant(found.start, ctx)
        if variant is not None:
            advice = f"await the async variant `{variant}()` instead"
            fix = _variant_fix(node, variant, ctx)
        else:
            advice = "make the chain async and await it, or run the call in a worker thread"
            fix = to_thread_fix(node, ctx)
        ctx.report(
            self.code,
            node,
            f"{shown_callee(node, ctx)} runs `{chain.sink.display}()` inside the running event loop: "
            f"`{chain_text(chain, ctx)}` raises `{chain.sink.detail}`; {advice}",
            fix,
            related_steps(chain, ctx),
        )


def _variant_fix(node: cst.Call, variant: str, ctx: ModuleWalker) -> NodeFix | None:
    """`await agent.aanswer(question)` for `agent.answer(question)` (a suggestion: the async
    twin may differ in what it returns or needs)."""
    if not isinstance(node.func, cst.Attribute) or not ctx.can_await or isinstance(ctx.parent, cst.Await):
        return None
    renamed = node.with_changes(func=node.func.with_changes(attr=cst.Name(variant)))
    replacement = as_operand(cst.Await(expression=renamed), node, ctx)
    return NodeFix(f"Use the async variant: `{ctx.module.code_for_node(replacement)}`", Applicability.SUGGESTION, ((node, replacement),))
