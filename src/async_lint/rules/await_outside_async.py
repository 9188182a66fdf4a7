"""ASL105 await-outside-async: `await`, `async for` and `async with` where the code does not run
as a coroutine."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.async_scopes import sync_scope
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import Frame, FrameKind, ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.async_syntax import AWAIT_OUTSIDE_FUNCTION, OUTSIDE_ASYNC_FUNCTION, AsyncConstruct
from async_lint.rules.base import Invalid, Rule, dedent_example


class AwaitOutsideAsync(Rule):
    """Flags `await`, `async for`, `async with` and async comprehensions in code that is not
    a coroutine: a plain `def`, a lambda (lambdas are never async), a comprehension inside one,
    a class body or the module level."""

    code = "ASL105"
    name = "await-outside-async"
    summary = "`await` / `async for` / `async with` outside `async def`"
    why = (
        "Only a coroutine can suspend. CPython rejects the whole file when it compiles it: "
        "`SyntaxError: 'await' outside async function` (`'async for' outside async function`, "
        "`'async with' outside async function`, `asynchronous comprehension outside of an "
        "asynchronous function`; at module level `'await' outside function`). So the module fails "
        "at import, and every module importing it fails too. `ast.parse` and LibCST accept the code, "
        "so editors and other linters often stay quiet until it runs."
    )
    use_instead = dedent_example(
        """
        async def answer(graph, question):
            result = await graph.ainvoke({"question": question})
            return result["answer"]
        """
    )
    proof = "tests/runtime/test_asl105.py"
    fix_safety = (
        "Suggestion only: making the function `async def` changes what every caller gets (a "
        "coroutine, to be awaited), so the callers have to change too; at a script's entry point, "
        "`asyncio.run(main())` runs the coroutine instead."
    )
    not_flagged = (
        "`await` in an `async def`, including one nested inside a plain `def`.",
        "`await` and `async for` in a generator expression: that makes it an async generator "
        "expression, which is allowed anywhere.",
    )
    valid = (
        """
        def make_handler(graph):
            async def handler(question):
                return await graph.ainvoke({"question": question})
            return handler
        """,
        """
        async def collect(llm, question):
            return [chunk async for chunk in llm.astream(question)]
        """,
        """
        def chunks(llm, question):
            return (chunk async for chunk in llm.astream(question))
        """,
    )
    invalid = (
        Invalid(
            """
            def answer(graph, question):
                result = await graph.ainvoke({"question": question})
                return result["answer"]
            """,
        ),
        Invalid(
            """
            async def ask_all(llm, questions):
                return list(map(lambda q: await llm.ainvoke(q), questions))
            """,
        ),
        Invalid(
            """
            import httpx

            def fetch(url):
                async with httpx.AsyncClient() as client:
                    return client.get(url)
            """,
        ),
    )
    triggers = ("await", "async")

    def visit_Await(self, node: cst.Await, ctx: ModuleWalker) -> None:
        self._check(node, AsyncConstruct.AWAIT, ctx)

    def visit_For(self, node: cst.For, ctx: ModuleWalker) -> None:
        if node.asynchronous is not None:
            self._check(node.iter, AsyncConstruct.ASYNC_FOR, ctx)

    def visit_With(self, node: cst.With, ctx: ModuleWalker) -> None:
        if node.asynchronous is not None:
            self._check(node.items[0].item, AsyncConstruct.ASYNC_WITH, ctx)

    def visit_CompFor(self, node: cst.CompFor, ctx: ModuleWalker) -> None:
        if node.asynchronous is not None:
            self._check(node.iter, AsyncConstruct.ASYNC_COMPREHENSION, ctx)

    def _check(self, node: cst.CSTNode, construct: AsyncConstruct, ctx: ModuleWalker) -> None:
        scope = sync_scope(ctx)
        if scope is None:
            return
        where, fix = _where_and_fix(scope)
        if construct is AsyncConstruct.ASYNC_COMPREHENSION:
            shown = "An async comprehension"
        else:
            shown = f"`{construct.value}`"
        at_top = scope.kind is FrameKind.MODULE or scope.kind is FrameKind.CLASS
        error = AWAIT_OUTSIDE_FUNCTION if construct is AsyncConstruct.AWAIT and at_top else OUTSIDE_ASYNC_FUNCTION[construct]
        ctx.report(
            self.code,
            node,
            f"{shown} in {where}: CPython refuses to compile the module (`SyntaxError: {error}`)",
            fix,
        )


def _where_and_fix(scope: Frame) -> tuple[str, NodeFix]:
    """Where the construct is, as the message says it, and the suggestion for that place."""
    if scope.kind is FrameKind.FUNCTION and isinstance(scope.node, cst.FunctionDef):
        fix = NodeFix(
            f"Make `{scope.name}` an `async def` (and await it where it is called)",
            Applicability.SUGGESTION,
            insertions=((scope.node, "async "),),
        )
        return f"plain `def {scope.name}`", fix
    if scope.kind is FrameKind.LAMBDA:
        return "a lambda, which can never be async", NodeFix("Use a nested `async def` instead of the lambda", Applicability.SUGGESTION)
    where = "module-level code" if scope.kind is FrameKind.MODULE else f"the body of class `{scope.name}`"
    return where, NodeFix("Move it into an `async def main()`, and run that with `asyncio.run(main())`", Applicability.SUGGESTION)
