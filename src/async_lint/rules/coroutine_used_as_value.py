"""ASL106: a coroutine used as if it were its result."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.coroutine_values import Use, ValueUse, made_coroutine, unrun_coroutines, value_use
from async_lint.analysis.reports import NodeFix, RelatedNode
from async_lint.analysis.walker import FrameKind, ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.coroutine_advice import TRIGGERS, call_text, callee_text, fix_and_advice

_CONTAINERS = (cst.List, cst.Tuple, cst.Set, cst.Dict, cst.ListComp, cst.SetComp, cst.DictComp)


_CONSEQUENCES: dict[Use, str] = {
    Use.CONDITION: "as a condition it is always true",
    Use.LOOP_CONDITION: "as the loop's condition it is always true",
    Use.ASSERTED: "the assertion always passes",
    Use.NEGATED: "`not` of it is always False",
    Use.BOOLEAN_OPERAND: "`{detail}` tests it, and a coroutine object is always true",
    Use.TRUTH_TESTED: "`bool()` of it is always True",
    Use.COMPARED: "`{detail}` compares the coroutine object, never its result",
    Use.ORDERED: "`{detail}` raises `TypeError: '{detail}' not supported` for a coroutine",
    Use.CONTAINMENT: "`{detail}` looks at the coroutine object (`TypeError: argument of type 'coroutine' is not iterable` on its right)",
    Use.FORMATTED: "it is formatted as `<coroutine object ...>`",
    Use.SIZED: "`len()` raises `TypeError: object of type 'coroutine' has no len()`",
    Use.CONVERTED: "`{detail}()` raises `TypeError`",
    Use.OPERAND: "`{detail}` raises `TypeError: unsupported operand type(s)`",
    Use.SUBSCRIPTED: "subscripting it raises `TypeError: 'coroutine' object is not subscriptable`",
    Use.ATTRIBUTE: "`.{detail}` raises `AttributeError: 'coroutine' object has no attribute '{detail}'`",
}
"""What using a coroutine object that way does."""


class CoroutineUsedAsValue(Rule):
    """Flags a coroutine used as if it were its result: a call of a coroutine function (as
    ASL100 knows them, or a call the type inference shows returns a coroutine) tested for
    truth (`if fetch(q):`, `while poll():`, `not check()`, `a() or b()`, `assert ready()`),
    compared (`fetch(q) is None`), formatted (`f"{fetch(q)}"`, `str()`, `print()`), measured
    (`len()`), converted (`int()`), used in arithmetic, subscripted (`fetch(q)["id"]`) or with
    an attribute read (`fetch(q).json()`). Also a list, tuple, set or dict of coroutines in a
    function that is never awaited, gathered, iterated or passed on as a whole, only indexed to
    pick one (`await handlers[key]`) or not used at all: the coroutines not picked never run."""

    code = "ASL106"
    name = "coroutine-used-as-value"
    summary = "a coroutine used as its result: tested, compared, formatted, indexed, or kept in a container never run"
    why = (
        "Calling an `async def` gives a coroutine object, not what the function returns, and "
        "nothing in it runs until it is awaited. A coroutine object is always true, so `if "
        "fetch(q):` always takes the branch and `while poll():` never stops, and `fetch(q) is "
        "None` is always False, while `fetch` itself never runs (`RuntimeWarning: coroutine "
        "'fetch' was never awaited`). Used as data it fails: `fetch(q)[\"id\"]` raises `TypeError: "
        "'coroutine' object is not subscriptable`, `fetch(q).json()` `AttributeError`, "
        "`f\"{fetch(q)}\"` shows `<coroutine object fetch at 0x...>`. Coroutines kept in a dict "
        "of which one is awaited (`handlers = {\"a\": msg.answer(\"a\"), ...}; await "
        "handlers[key]`) leave the others never run."
    )
    proof = "tests/runtime/test_asl106.py"
    fix_safety = (
        "Safe inside `async def` when the call is a whole condition or operand: `if fetch(q):` "
        "becomes `if await fetch(q):`, `not check()` `not await check()`, `str(fetch(q))` "
        "`str(await fetch(q))`, which is what the code meant. Unsafe when the awaited result "
        "needs parentheses (`fetch(q).json()` -> `(await fetch(q)).json()`): what the result's "
        "method returns may need an `await` too. In a generator expression or a `lambda` there "
        "is no fix (an `await` there changes what it is). In sync code, the same advice as "
        "ASL100: `asyncio.run(...)` at the entry point, the sync twin, or making the function "
        "`async def`. Coroutines in a container get advice only: create just the one needed, or "
        "gather them all."
    )
    not_flagged = (
        "A coroutine passed on: to `asyncio.gather`, `asyncio.wait`, `create_task`, "
        "`TaskGroup.create_task` or any other call, returned, assigned (ASL101 follows names), "
        "awaited, or the right side of `x or fetch()` (its value, not its truth).",
        "A container of coroutines that is gathered, awaited as a whole, iterated, returned or "
        "passed on, whose every coroutine is picked by its own constant key, or that is indexed "
        "inside a loop that did not make it (the iterations may pick every item).",
        "The coroutine protocol: `coro.close()`, `coro.send(None)`, `coro.cr_frame`.",
        "`for`/`list()`/`sorted()` over a coroutine: ASL102 reports those.",
        "Calls whose callee is unknown, sync functions, and async generators (not coroutines).",
    )
    valid = (
        """
        import asyncio

        async def fetch(q):
            return q

        async def main(queries):
            results = await asyncio.gather(*[fetch(q) for q in queries])
            if await fetch("ready"):
                print(results)
            task = asyncio.create_task(fetch("later"))
            return await task
        """,
        """
        async def fetch(q):
            return q

        async def cached_or_fetched(cache, q):
            return await (cache.get(q) or fetch(q))
        """,
        """
        async def answer(text):
            return text

        async def reply(key):
            handlers = {"a": answer("a"), "b": answer("b")}
            for coro in handlers.values():
                await coro
        """,
    )
    invalid = (
        Invalid(
            """
            async def is_allowed(user):
                return user == "admin"

            async def handler(user):
                if is_allowed(user):
                    return "welcome"
                return "denied"
            """,
            fixed="""
            async def is_allowed(user):
                return user == "admin"

            async def handler(user):
                if await is_allowed(user):
                    return "welcome"
                return "denied"
            """,
        ),
        Invalid(
            """
            async def fetch(url):
                return {"id": 1}

            async def first_id(url):
                return fetch(url)["id"]
            """,
            fixed="""
            async def fetch(url):
                return {"id": 1}

            async def first_id(url):
                return (await fetch(url))["id"]
            """,
        ),
        Invalid(
            """
            async def answer(text):
                return text

            async def reply(key):
                handlers = {"a": answer("a"), "b": answer("b")}
                return await handlers[key]
            """,
        ),
        Invalid(
            """
            async def ready():
                return False

            def check():
                assert ready()
            """,
        ),
    )
    triggers = TRIGGERS
    triggers_on_project_imports = True

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        use = value_use(node, ctx.ancestors, ctx)
        if use is None:
            return
        info = made_coroutine(node, ctx)
        if info is None:
            return
        shown = callee_text(node.func, ctx)
        target = call_text(node, ctx)
        if ctx.in_async_function:
            advice, fix = self._await_fix(node, use, target, ctx)
        else:
            advice, fix = fix_and_advice(node, info, ctx)
        kind = "a future" if info.future else "a coroutine"
        never = "its result is never retrieved" if info.future else f"`{shown}` never runs"
        ctx.report(self.code, node, f"`{target}` is {kind}, not its result: {_CONSEQUENCES[use.use].format(detail=use.detail)}, and {never}; {advice}", fix)

    @staticmethod
    def _await_fix(node: cst.Call, use: ValueUse, target: str, ctx: ModuleWalker) -> tuple[str, NodeFix | None]:
        if not ctx.can_await:
            return "`await` it (outside this generator expression or lambda)", None
        if use.whole:
            return "`await` it", NodeFix(f"Add `await`: `await {target}`", Applicability.SAFE, ((node, cst.Await(expression=node)),))
        awaited = cst.Await(expression=node, lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return "`await` it", NodeFix(f"Use the awaited result: `(await {target})`", Applicability.UNSAFE, ((node, awaited),))

    def visit_Assign(self, node: cst.Assign, ctx: ModuleWalker) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name) or not isinstance(node.value, _CONTAINERS):
            return
        frame = ctx.frame
        if frame.kind is not FrameKind.FUNCTION or not isinstance(frame.node, cst.FunctionDef):
            return
        name = node.targets[0].target.value
        found = unrun_coroutines(name, node.value, node, frame.node, ctx)
        if found is None:
            return
        shown = ", ".join(f"`{callee_text(call.func, ctx)}(...)`" for call in found.coroutines[:3])
        if found.picks:
            what = f"only the one picked ({ctx.module.code_for_node(found.picks[0])}) can run, the others never do"
            advice = "keep what to call (the functions, or their arguments) and create only the coroutine you need, or gather them all with `asyncio.gather(...)`"
        else:
            what = "none of them is ever awaited or gathered, so none runs"
            advice = "`await` them (`asyncio.gather(...)` runs them concurrently), or do not create them"
        ctx.report(
            self.code,
            node.value,
            f"`{name}` holds coroutines ({shown}): {what} (`RuntimeWarning: coroutine ... was never awaited`); {advice}",
            related=[RelatedNode("picked here", node=pick) for pick in found.picks],
        )
