"""ASL101 coroutine-never-awaited: a coroutine stored in a name the scope never awaits nor
hands on, so the name holds the coroutine object instead of its result."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.coroutine_calls import coroutine_call, under_main_guard
from async_lint.analysis.coroutine_uses import coroutine_escapes
from async_lint.analysis.walker import FrameKind, ModuleWalker
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.coroutine_advice import TRIGGERS, call_text, fix_and_advice


class CoroutineNeverAwaited(Rule):
    """Flags `x = coroutine_call()` where, in that scope, `x` is never awaited, returned,
    yielded, passed as an argument, stored in a container or an attribute, or scheduled: `x`
    holds a coroutine object, never its result."""

    code = "ASL101"
    proof = "tests/runtime/test_asl101.py"
    name = "coroutine-never-awaited"
    summary = "a coroutine stored in a name that is never awaited"
    why = (
        "`data = fetch_data()` binds `data` to a coroutine object, not to what `fetch_data` returns, "
        "and `fetch_data`'s body never runs. Code using `data` then fails far from the cause: "
        "`AttributeError: 'coroutine' object has no attribute 'content'`, `TypeError: 'coroutine' "
        "object is not subscriptable`, or `print(data)` shows `<coroutine object fetch_data at 0x...>`; "
        "then `RuntimeWarning: coroutine 'fetch_data' was never awaited`."
    )
    fix_safety = (
        "Safe inside `async def`: `data = fetch_data()` becomes `data = await fetch_data()`; every "
        "use of `data` in the scope treats it as the result already (uses that would hand the "
        "coroutine on, such as `await data` or `return data`, make the line clean instead). In sync "
        "code, the same advice as ASL100: `asyncio.run(...)` at the entry point, or the sync twin."
    )
    not_flagged = (
        "The coroutine awaited later (`task = fetch(); ...; await task`), returned, yielded, passed to "
        "any call (`asyncio.gather(c)`, `create_task(c)`), stored (`coros.append(c)`, `[c]`, `self.c = c`).",
        "A name used in a nested function or lambda, or declared `global`/`nonlocal` (the rule cannot "
        "see what happens to it there).",
        "Assignments at module or class level (other modules may import the name), except under "
        '`if __name__ == "__main__":`.',
    )
    valid = (
        """
        import asyncio

        async def fetch(i):
            return i

        async def main():
            first = fetch(1)
            second = fetch(2)
            task = asyncio.create_task(second)
            results = await asyncio.gather(first, task)
            later = fetch(3)
            return results, await later
        """,
        """
        async def fetch():
            return 1

        def make():
            coro = fetch()
            return coro
        """,
    )
    invalid = (
        Invalid(
            """
            async def fetch_data():
                return {"id": 1}

            async def handler():
                data = fetch_data()
                return data["id"]
            """,
            fixed="""
            async def fetch_data():
                return {"id": 1}

            async def handler():
                data = await fetch_data()
                return data["id"]
            """,
        ),
        Invalid(
            """
            def summarise(llm, text):
                reply = llm.ainvoke(text)
                print(reply)
            """,
        ),
    )
    triggers = TRIGGERS
    triggers_on_project_imports = True

    def visit_Assign(self, node: cst.Assign, ctx: ModuleWalker) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        self._check(node, node.targets[0].target.value, node.value, ctx)

    def visit_AnnAssign(self, node: cst.AnnAssign, ctx: ModuleWalker) -> None:
        if node.value is None or not isinstance(node.target, cst.Name):
            return
        self._check(node, node.target.value, node.value, ctx)

    def _check(self, node: cst.CSTNode, name: str, value: cst.BaseExpression, ctx: ModuleWalker) -> None:
        if not isinstance(value, cst.Call):
            return
        scope = ctx.frame
        if scope.kind is FrameKind.FUNCTION:
            scope_node = scope.node
        elif scope.kind is FrameKind.MODULE and under_main_guard(ctx):
            scope_node = ctx.module
        else:
            return
        coroutine = coroutine_call(value, ctx)
        if coroutine is None or coroutine_escapes(scope_node, name, node, ctx):
            return
        target = call_text(value, ctx)
        advice, fix = fix_and_advice(value, coroutine, ctx)
        kind = "a future" if coroutine.future else "a coroutine"
        where = f" in `{scope.name}`" if scope.kind is FrameKind.FUNCTION else ""
        ctx.report(
            self.code,
            value,
            f"`{target}` is {kind} never awaited{where}: `{name}` holds the {kind.split()[-1]} object, "
            f"not its result; {advice}",
            fix,
        )
