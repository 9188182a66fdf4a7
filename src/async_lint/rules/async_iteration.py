"""Async-iteration rules: an async iterator consumed as a sync one or awaited, a coroutine
iterated."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.async_protocols import in_async_body, is_project_receiver, value_origin
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.async_protocols import (
    ASYNC_ITERATOR_METHODS,
    COROUTINE_METHODS,
    ITERATING_BUILTINS,
    CallKind,
)
from async_lint.rules.base import Invalid, Rule

_ASYNC = cst.Asynchronous()


def _kind(expr: cst.BaseExpression, ctx: ModuleWalker) -> tuple[cst.Call, CallKind] | None:
    """The call behind `expr` (itself, or what the name was bound to) and what it returns."""
    return value_origin(expr, ctx)


def _shown(call: cst.Call) -> str:
    """`self.graph.astream()` for a call of `self.graph.astream(...)`."""
    return cst.Module([]).code_for_node(call.func) + "()"


def _method(call: cst.Call) -> str | None:
    return call.func.attr.value if isinstance(call.func, cst.Attribute) else None


def _sync_twin_fix(call: cst.Call, ctx: ModuleWalker) -> NodeFix | None:
    """In sync code: the sync twin of a known async-iterator method (`astream` -> `stream`)."""
    if not isinstance(call.func, cst.Attribute) or is_project_receiver(call.func.value, ctx):
        return None
    twin = ASYNC_ITERATOR_METHODS.get(call.func.attr.value)
    if twin is None:
        return None
    return NodeFix(
        f"Use the sync twin `{twin}()` here, or make this function `async def` and use `async for`",
        Applicability.SUGGESTION,
        ((call.func.attr, cst.Name(twin)),),
    )


def _async_for_fix(node: cst.For | cst.CompFor, ctx: ModuleWalker) -> NodeFix | None:
    """`async for` where it keeps the meaning: a `for` statement in an `async def` body; a
    list, set or dict comprehension that runs (through any enclosing comprehensions) directly
    in an `async def` (`ctx.can_await`: not a generator expression, whose consumer would break)."""
    if isinstance(node, cst.For):
        return NodeFix("Use `async for`", Applicability.SAFE, insertions=((node, "async "),)) if in_async_body(ctx) else None
    if not ctx.can_await:
        return None
    return NodeFix("Use an async comprehension (`async for`)", Applicability.SAFE, ((node, node.with_changes(asynchronous=_ASYNC)),))


class AsyncIteratorMisuse(Rule):
    """Flags an async iterator used as a sync one or awaited, and a coroutine iterated:
    `for`, a comprehension, `list()`/`next()`/`sorted()`... over `astream()`, `astream_events()`
    (v1/v2), `astream_log()`, `aget_state_history()`, a checkpointer's `alist()`, `alazy_load()`,
    `atransform()`, `abatch_as_completed()` or an async generator of this module;
    `await x.astream(...)`; and `for`/`async for` over a coroutine (`ainvoke()`, an `async def`
    of this module without `yield`)."""

    code = "ASL102"
    name = "async-iterator-misuse"
    summary = "`for` over an async iterator, `await` on one, or `async for` over a coroutine"
    why = (
        "An async generator has `__aiter__`, not `__iter__`, and it is not awaitable: "
        "`for c in llm.astream(x)` raises `TypeError: 'async_generator' object is not iterable`, and "
        "`await llm.astream(x)` raises `TypeError: object async_generator can't be used in 'await' "
        "expression`. The reverse mistake, `async for c in llm.ainvoke(x)`, raises `TypeError: 'async for' "
        "requires an object with __aiter__ method, got coroutine` and leaves a coroutine that was never "
        "awaited. `astream_events(..., version=\"v3\")` is the exception: it returns an awaitable, so "
        "`stream = await llm.astream_events(x, version=\"v3\")` is right."
    )
    proof = "tests/runtime/test_asl102.py"
    fix_safety = (
        "Safe inside an `async def`: `for` becomes `async for`, and a list, set or dict comprehension "
        "becomes an async comprehension (`[c async for c in ...]`). Everything else is a suggestion: "
        "`list(x.astream())` -> `[c async for c in x.astream()]`; `await x.astream()` -> `await "
        "x.ainvoke()` for the whole result or `async for` for the chunks; `async for c in "
        "x.ainvoke()` -> `x.astream()`; iterating a coroutine -> `await` it first; in a sync function, "
        "the sync twin (`stream()`). A generator expression is never made async by a fix (its "
        "consumer would then need `async for` too)."
    )
    not_flagged = (
        "`async for` over `astream()` and the other async iterators.",
        "`await llm.astream_events(x, version=\"v3\")`: the v3 API returns an awaitable.",
        "`astream_events(..., version=v)` with a version that is not a literal (it could be v3).",
        "`for` over a sync `stream()`, and over a project class's own `astream()` when it is a plain generator.",
        "Methods of a class defined in this module that does not define them (unknown, not guessed).",
        "An `async def` that is decorated (the decorator may change what a call returns) or whose body is "
        "a stub (`...`, `raise NotImplementedError`): subclasses decide.",
        "`async for` / `await` in a plain `def`: ASL105 reports those.",
    )
    valid = (
        """
        async def answer(llm, question):
            async for chunk in llm.astream(question):
                print(chunk.content, end="")
        """,
        """
        async def events(llm, question):
            stream = await llm.astream_events(question, version="v3")
            async for event in stream:
                print(event)
        """,
        """
        def answer(llm, question):
            for chunk in llm.stream(question):
                print(chunk.content, end="")
        """,
        """
        class Feed:
            def astream(self):
                yield from range(3)

            def show(self):
                for item in self.astream():
                    print(item)
        """,
    )
    invalid = (
        Invalid(
            """
            async def answer(graph, state):
                for chunk in graph.astream(state):
                    print(chunk)
            """,
            fixed="""
            async def answer(graph, state):
                async for chunk in graph.astream(state):
                    print(chunk)
            """,
        ),
        Invalid(
            """
            async def history(graph, config):
                return [snapshot.values for snapshot in graph.aget_state_history(config)]
            """,
            fixed="""
            async def history(graph, config):
                return [snapshot.values async for snapshot in graph.aget_state_history(config)]
            """,
        ),
        Invalid(
            """
            async def answer(llm, question):
                reply = await llm.astream(question)
                return reply.content
            """,
        ),
        Invalid(
            """
            async def answer(llm, question):
                async for chunk in llm.ainvoke(question):
                    print(chunk.content)
            """,
        ),
    )
    triggers = ("async", *ASYNC_ITERATOR_METHODS, *COROUTINE_METHODS)

    def visit_For(self, node: cst.For, ctx: ModuleWalker) -> None:
        self._check_loop(node, "`for`", ctx)

    def visit_CompFor(self, node: cst.CompFor, ctx: ModuleWalker) -> None:
        self._check_loop(node, "a comprehension's `for`", ctx)

    def _check_loop(self, node: cst.For | cst.CompFor, how: str, ctx: ModuleWalker) -> None:
        found = _kind(node.iter, ctx)
        if found is None:
            return
        call, kind = found
        if node.asynchronous is not None:
            if kind is CallKind.COROUTINE and ctx.in_async_function:
                ctx.report(self.code, node.iter, self._coroutine_iterated(call, "`async for`"), self._stream_instead(node.iter, call, ctx))
        elif kind is CallKind.ASYNC_ITERATOR:
            fix = _async_for_fix(node, ctx)
            if fix is None and not ctx.in_async_function:
                fix = _sync_twin_fix(call, ctx)
            ctx.report(self.code, node.iter, self._iterated_message(call, how), fix)
        elif kind is CallKind.COROUTINE:
            ctx.report(self.code, node.iter, self._coroutine_iterated(call, how), self._await_first(node.iter, call, ctx))

    def visit_Await(self, node: cst.Await, ctx: ModuleWalker) -> None:
        if not ctx.in_async_function:
            return  # ASL105: `await` is not allowed here at all
        found = _kind(node.expression, ctx)
        if found is None or found[1] is not CallKind.ASYNC_ITERATOR:
            return
        call = found[0]
        shown = _shown(call)
        fix = None
        if _method(call) == "astream" and isinstance(call.func, cst.Attribute) and node.expression is call:
            receiver = ctx.module.code_for_node(call.func.value)
            fix = NodeFix(
                f"Use `await {receiver}.ainvoke(...)` for the whole result, or `async for` over `{receiver}.astream(...)` for the chunks",
                Applicability.SUGGESTION,
                ((call.func.attr, cst.Name("ainvoke")),),
            )
        elif ctx.can_await:
            replacement = _async_list(node.expression)
            fix = NodeFix(
                f"Collect the items with `{ctx.module.code_for_node(replacement)}`, or iterate with `async for`",
                Applicability.SUGGESTION,
                ((node, replacement),),
            )
        ctx.report(
            self.code,
            node,
            f"`{shown}` returns an async iterator, which cannot be awaited "
            "(`TypeError: object async_generator can't be used in 'await' expression`); iterate it with `async for`",
            fix,
        )

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        if not isinstance(node.func, cst.Name) or not node.args:
            return
        builtin = ctx.resolve(node.func)
        if builtin is None or not builtin.startswith("builtins.") or builtin[len("builtins.") :] not in ITERATING_BUILTINS:
            return
        first = node.args[0]
        if first.keyword is not None or first.star:
            return
        found = _kind(first.value, ctx)
        if found is None:
            return
        call, kind = found
        function = node.func.value
        if kind is CallKind.ASYNC_ITERATOR:
            fix = None
            if ctx.can_await and function == "list" and len(node.args) == 1:
                replacement = _async_list(first.value)
                fix = NodeFix(f"Use `{ctx.module.code_for_node(replacement)}`", Applicability.SUGGESTION, ((node, replacement),))
            elif ctx.can_await and function == "next":
                awaited = cst.Await(expression=node.with_changes(func=cst.Name("anext")))
                if isinstance(ctx.parent, (cst.Attribute, cst.Subscript, cst.Call)):
                    awaited = awaited.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
                fix = NodeFix(f"Use `{ctx.module.code_for_node(awaited)}`", Applicability.SUGGESTION, ((node, awaited),))
            elif not ctx.in_async_function:
                fix = _sync_twin_fix(call, ctx)
            ctx.report(self.code, first.value, self._iterated_message(call, f"`{function}()`"), fix)
        elif kind is CallKind.COROUTINE:
            ctx.report(self.code, first.value, self._coroutine_iterated(call, f"`{function}()`"), self._await_first(first.value, call, ctx))

    # --- messages and suggestions ---

    @staticmethod
    def _iterated_message(call: cst.Call, how: str) -> str:
        error = "is not an iterator" if how == "`next()`" else "is not iterable"
        return f"{how} over `{_shown(call)}`, an async iterator (`TypeError: 'async_generator' object {error}`); use `async for`"

    @staticmethod
    def _coroutine_iterated(call: cst.Call, how: str) -> str:
        if how == "`async for`":
            error = "TypeError: 'async for' requires an object with __aiter__ method, got coroutine"
        else:
            error = "TypeError: 'coroutine' object is not iterable"
        return f"{how} over `{_shown(call)}`, a coroutine (`{error}`); await it, then iterate over its result"

    @staticmethod
    def _await_first(expr: cst.BaseExpression, call: cst.Call, ctx: ModuleWalker) -> NodeFix | None:
        if not ctx.can_await or expr is not call:
            return None
        return NodeFix("Await it first", Applicability.SUGGESTION, ((call, cst.Await(expression=call)),))

    @staticmethod
    def _stream_instead(expr: cst.BaseExpression, call: cst.Call, ctx: ModuleWalker) -> NodeFix | None:
        if expr is not call:
            return None
        stream = COROUTINE_METHODS.get(_method(call) or "")
        if stream is not None and isinstance(call.func, cst.Attribute):
            receiver = ctx.module.code_for_node(call.func.value)
            return NodeFix(
                f"Use `async for` over `{receiver}.{stream}(...)` for the chunks, "
                f"or `await {receiver}.{_method(call)}(...)` for the result",
                Applicability.SUGGESTION,
                ((call.func.attr, cst.Name(stream)),),
            )
        return NodeFix("Await it, and iterate over its result with `for`", Applicability.SUGGESTION)


def _async_list(iterable: cst.BaseExpression) -> cst.ListComp:
    """`[item async for item in <iterable>]`."""
    return cst.ListComp(
        elt=cst.Name("item"),
        for_in=cst.CompFor(target=cst.Name("item"), iter=iterable, asynchronous=_ASYNC),
    )
