"""`await`, `async for` and `async with` where the code does not run as a coroutine."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import Frame, FrameKind, ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.rules.base import Invalid, Rule, dedent_example


def _sync_scope(ctx: ModuleWalker) -> Frame | None:
    """The plain `def`, lambda, class body or module that makes an `await` here a syntax
    error; None where it is allowed (an `async def`, or a generator expression, which an
    `await` turns into an async generator expression)."""
    scope = ctx.frame
    while scope.kind is FrameKind.COMPREHENSION:
        if isinstance(scope.node, cst.GeneratorExp):
            return None
        assert scope.parent is not None
        scope = scope.parent
    if scope.kind is FrameKind.FUNCTION and scope.is_async:
        return None
    return scope


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
        self._check(node, "await", ctx)

    def visit_For(self, node: cst.For, ctx: ModuleWalker) -> None:
        if node.asynchronous is not None:
            self._check(node.iter, "async for", ctx)

    def visit_With(self, node: cst.With, ctx: ModuleWalker) -> None:
        if node.asynchronous is not None:
            self._check(node.items[0].item, "async with", ctx)

    def visit_CompFor(self, node: cst.CompFor, ctx: ModuleWalker) -> None:
        if node.asynchronous is not None:
            self._check(node.iter, None, ctx)

    def _check(self, node: cst.CSTNode, keyword: str | None, ctx: ModuleWalker) -> None:
        """`keyword` is `await`, `async for` or `async with`; None for an async comprehension."""
        scope = _sync_scope(ctx)
        if scope is None:
            return
        if scope.kind is FrameKind.FUNCTION and isinstance(scope.node, cst.FunctionDef):
            where = f"plain `def {scope.name}`"
            function = scope.node
            fix = NodeFix(
                f"Make `{scope.name}` an `async def` (and await it where it is called)",
                Applicability.SUGGESTION,
                insertions=((function, "async "),),
            )
        elif scope.kind is FrameKind.LAMBDA:
            where = "a lambda, which can never be async"
            fix = NodeFix("Use a nested `async def` instead of the lambda", Applicability.SUGGESTION)
        else:
            where = "module-level code" if scope.kind is FrameKind.MODULE else f"the body of class `{scope.name}`"
            fix = NodeFix("Move it into an `async def main()`, and run that with `asyncio.run(main())`", Applicability.SUGGESTION)
        if keyword is None:
            construct, error = "An async comprehension", "asynchronous comprehension outside of an asynchronous function"
        elif keyword == "await" and scope.kind in (FrameKind.MODULE, FrameKind.CLASS):
            construct, error = "`await`", "'await' outside function"
        else:
            construct, error = f"`{keyword}`", f"'{keyword}' outside async function"
        ctx.report(
            self.code,
            node,
            f"{construct} in {where}: CPython refuses to compile the module (`SyntaxError: {error}`)",
            fix,
        )
