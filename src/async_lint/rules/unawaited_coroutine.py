"""ASL100 unawaited-coroutine: a coroutine function called as a statement, so its body never
runs."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.coroutine_calls import coroutine_call, explain_if_unresolved
from async_lint.analysis.walker import ModuleWalker
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.coroutine_advice import TRIGGERS, callee_text, fix_and_advice


class UnawaitedCoroutine(Rule):
    """Flags a call of a coroutine function used as a statement: the coroutine it returns is
    dropped, so the function's body never runs. Coroutine functions are the project's
    `async def`s (same module, imported, methods through `self`/`cls` or known instances,
    nested functions), the standard library's (`asyncio.sleep`, `asyncio.wait_for`,
    `asyncio.gather`, `asyncio.to_thread`, `loop.run_in_executor`...), the `a`-prefixed
    LangChain/LangGraph methods (`ainvoke`, `aget_state`, `aupdate_state`...) and the methods of
    known async SDK clients (`AsyncOpenAI().chat.completions.create`)."""

    code = "ASL100"
    proof = "tests/runtime/test_asl100.py"
    name = "unawaited-coroutine"
    summary = "a coroutine function called without `await`; its body never runs"
    why = (
        "Calling an `async def` does not run it: it returns a coroutine object, and only `await` "
        "(or a task, or `asyncio.run`) runs it. Dropped, the coroutine is garbage-collected with "
        "`RuntimeWarning: coroutine 'fetch_data' was never awaited`, and nothing it was meant to do "
        "happens: no request sent, no row written, no error raised. A dropped future "
        "(`asyncio.gather(...)`, `loop.run_in_executor(...)`) runs, but its result and its "
        "exceptions are lost (`Future exception was never retrieved`)."
    )
    fix_safety = (
        "Safe inside `async def`: `fetch_data()` becomes `await fetch_data()`, which runs the "
        "coroutine the code already meant to run. At a script's entry point (under "
        '`if __name__ == "__main__":`, or in a `main()` called only from there) the suggestion is '
        "`asyncio.run(fetch_data())` (`trio.run(fetch_data)` / `anyio.run(fetch_data)` in a trio or "
        "anyio module, which take the function and its positional arguments), not applied "
        "automatically. Elsewhere in sync code there is no "
        "mechanical fix: the message names the sync twin when there is one (`ainvoke` -> `invoke`), "
        "or says the function has to become `async def`."
    )
    not_flagged = (
        "A coroutine passed on: `asyncio.gather(*coros)`, `asyncio.create_task(fetch())`, `return fetch()`, "
        "`tasks.append(fetch())` (only a call used as a whole statement is flagged).",
        "`asyncio.run(main())` at the entry point.",
        "A sync method that shares a coroutine's name on an unrelated class (`cache.update(...)` is not "
        "`self.update`), and a project class's own sync `ainvoke`-like method when the receiver resolves to it.",
        "An `async def` with `yield` (an async generator: calling it runs nothing, and `await` would be wrong).",
        "An `async def` wrapped by an unknown decorator (it may no longer return a coroutine).",
        "Calls whose callee cannot be resolved (a parameter's method, a name from a star import), unless "
        "the method's name is LangChain's alone (`x.ainvoke(...)`): the rule stays silent; "
        "`--explain-unresolved` says why.",
    )
    valid = (
        """
        import asyncio

        async def fetch(i):
            return i

        async def main(ids):
            coros = [fetch(i) for i in ids]
            await asyncio.gather(*coros)
            task = asyncio.create_task(fetch(0))
            await task
            return fetch(1)

        if __name__ == "__main__":
            asyncio.run(main([1, 2]))
        """,
        """
        class Cache:
            def update(self, key):
                return key

        async def update(key):
            return key

        def refresh(cache: Cache):
            cache.update("k")
        """,
        """
        class FakeModel:
            def ainvoke(self, prompt):
                return prompt

        def run():
            model = FakeModel()
            model.ainvoke("hi")
        """,
    )
    invalid = (
        Invalid(
            """
            async def save(record):
                ...

            async def handler(record):
                save(record)
            """,
            fixed="""
            async def save(record):
                ...

            async def handler(record):
                await save(record)
            """,
        ),
        Invalid(
            """
            import asyncio

            async def main():
                await asyncio.sleep(1)

            if __name__ == "__main__":
                main()
            """,
        ),
        Invalid(
            """
            def answer(graph, state):
                graph.ainvoke(state)
            """,
        ),
    )
    triggers = TRIGGERS
    triggers_on_project_imports = True

    def visit_Expr(self, node: cst.Expr, ctx: ModuleWalker) -> None:
        call = node.value
        if not isinstance(call, cst.Call):
            return
        coroutine = coroutine_call(call, ctx)
        if coroutine is None:
            explain_if_unresolved(call.func, ctx)
            return
        shown = callee_text(call.func, ctx)
        advice, fix = fix_and_advice(call, coroutine, ctx)
        if coroutine.future:
            what = f"`{shown}()` returns a future that is never awaited: its result and exceptions are lost"
        else:
            what = f"`{shown}()` creates a coroutine that is never awaited, so it never runs"
        ctx.report(self.code, call, f"{what}; {advice}", fix)
