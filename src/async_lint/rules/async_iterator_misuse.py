"""ASL102 async-iterator-misuse: an async iterator iterated with `for` or awaited, a coroutine
iterated."""

from __future__ import annotations

from typing import assert_never

import libcst as cst

from async_lint.analysis.async_iteration import Consumer, IterationMisuse, Misuse, iteration_misuse
from async_lint.analysis.async_scopes import in_async_body
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.sync_iterables import IterableSource, sync_iterable
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.async_protocols import (
    ASYNC_ITERATOR_METHODS,
    ASYNC_ITERATOR_NOT_AN_ITERATOR,
    ASYNC_ITERATOR_NOT_AWAITABLE,
    ASYNC_ITERATOR_NOT_ITERABLE,
    AWAITED_RESULT_METHODS,
    COLLECTING_BUILTIN,
    COROUTINE_METHODS,
    COROUTINE_NOT_ASYNC_ITERABLE,
    COROUTINE_NOT_ITERABLE,
    NEXT_BUILTINS,
)
from async_lint.knowledge.iterables import ASYNC_FOR_OVER_SYNC
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.fix_builders import as_operand

_ASYNC = cst.Asynchronous()


class AsyncIteratorMisuse(Rule):
    """Flags an async iterator used as a sync one or awaited, and a coroutine iterated:
    `for`, a comprehension, `list()`/`next()`/`sorted()`... over `astream()`, `astream_events()`
    (v1/v2), `astream_log()`, `aget_state_history()`, a checkpointer's `alist()`, `alazy_load()`,
    `atransform()`, `abatch_as_completed()` or an async generator of this module;
    `await x.astream(...)`; and `for`/`async for` over a coroutine (`ainvoke()`, an `async def`
    of this module without `yield`). The other direction too: `async for` over a value shown to
    be a sync iterable (a list, tuple, set, dict or string literal, a comprehension, a generator
    expression, `range()`/`enumerate()`/`zip()`/`sorted()`, a project `def` generator, a name
    annotated `list[...]`/`Iterator[...]`, a project class with `__iter__` and no `__aiter__`)."""

    code = "ASL102"
    name = "async-iterator-misuse"
    summary = "`for` over an async iterator, `await` on one, or `async for` over a coroutine or a sync iterable"
    why = (
        "An async generator has `__aiter__`, not `__iter__`, and it is not awaitable: "
        "`for c in llm.astream(x)` raises `TypeError: 'async_generator' object is not iterable`, and "
        "`await llm.astream(x)` raises `TypeError: object async_generator can't be used in 'await' "
        "expression`. The reverse mistake, `async for c in llm.ainvoke(x)`, raises `TypeError: 'async for' "
        "requires an object with __aiter__ method, got coroutine` and leaves a coroutine that was never "
        "awaited. `astream_events(..., version=\"v3\")` is the exception: it returns an awaitable, so "
        "`stream = await llm.astream_events(x, version=\"v3\")` is right. `async for` over a sync "
        "iterable fails the same way before the first item: `async for page in pages()` over a plain "
        "generator raises `TypeError: 'async for' requires an object with __aiter__ method, got "
        "generator` (`got list` for a list)."
    )
    proof = "tests/runtime/test_asl102.py"
    fix_safety = (
        "Safe inside an `async def`: `for` becomes `async for`, and a list, set or dict comprehension "
        "becomes an async comprehension (`[c async for c in ...]`). Everything else is a suggestion: "
        "`list(x.astream())` -> `[c async for c in x.astream()]`; `await x.astream()` -> `await "
        "x.ainvoke()` for the whole result or `async for` for the chunks; `async for c in "
        "x.ainvoke()` -> `x.astream()`; iterating a coroutine -> `await` it first; in a sync function, "
        "the sync twin (`stream()`). A generator expression is never made async by a fix (its "
        "consumer would then need `async for` too). `async for` over a sync iterable -> `for`: safe in an "
        "`async def` body and in a list, set or dict comprehension; no fix in a generator expression "
        "(it would stop being an async generator, which its consumer's `async for` needs)."
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
        "`async for` over a value nobody can show to be sync: a parameter without an annotation, an "
        "abstract `Iterable`/`Sequence` annotation (a class may be both), a class with `__aiter__` "
        "too or with a base outside the project, a name bound to an async iterator anywhere.",
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
        """
        async def pages(count):
            for page in range(count):
                yield page

        async def collect(count, source):
            found = [page async for page in pages(count)]
            async for item in source:
                found.append(item)
            return found
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
        Invalid(
            """
            def pages(count):
                yield from range(count)

            async def collect(count):
                return [page async for page in pages(count)]
            """,
            fixed="""
            def pages(count):
                yield from range(count)

            async def collect(count):
                return [page for page in pages(count)]
            """,
        ),
    )
    triggers = ("async", *ASYNC_ITERATOR_METHODS, *COROUTINE_METHODS)

    def visit_For(self, node: cst.For, ctx: ModuleWalker) -> None:
        self._check(node, ctx)
        self._check_sync_iterable(node, ctx)

    def visit_CompFor(self, node: cst.CompFor, ctx: ModuleWalker) -> None:
        self._check(node, ctx)
        self._check_sync_iterable(node, ctx)

    def visit_Await(self, node: cst.Await, ctx: ModuleWalker) -> None:
        self._check(node, ctx)

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        self._check(node, ctx)

    def _check(self, node: Consumer, ctx: ModuleWalker) -> None:
        found = iteration_misuse(node, ctx)
        if found is None:
            return
        match found.misuse:
            case Misuse.ASYNC_ITERATOR_ITERATED:
                error = ASYNC_ITERATOR_NOT_AN_ITERATOR if found.builtin in NEXT_BUILTINS else ASYNC_ITERATOR_NOT_ITERABLE
                message = f"{_how(found)} over `{_shown(found.call)}`, an async iterator (`{error}`); use `async for`"
                ctx.report(self.code, found.value, message, _async_iteration_fix(found, ctx))
            case Misuse.ASYNC_ITERATOR_AWAITED:
                message = (
                    f"`{_shown(found.call)}` returns an async iterator, which cannot be awaited "
                    f"(`{ASYNC_ITERATOR_NOT_AWAITABLE}`); iterate it with `async for`"
                )
                ctx.report(self.code, node, message, _awaited_fix(found, ctx))
            case Misuse.COROUTINE_ITERATED:
                ctx.report(self.code, found.value, _coroutine_message(found, COROUTINE_NOT_ITERABLE), _await_first(found, ctx))
            case Misuse.COROUTINE_ASYNC_ITERATED:
                ctx.report(self.code, found.value, _coroutine_message(found, COROUTINE_NOT_ASYNC_ITERABLE), _stream_instead(found, ctx))
            case _:
                assert_never(found.misuse)

    def _check_sync_iterable(self, node: cst.For | cst.CompFor, ctx: ModuleWalker) -> None:
        """The other direction: `async for` over a value shown to be a sync iterable."""
        if node.asynchronous is None or not ctx.in_async_function:
            return  # `async for` outside `async def` is ASL105's
        found = sync_iterable(node.iter, ctx)
        if found is None:
            return
        error = ASYNC_FOR_OVER_SYNC.format(found.type_name) if found.type_name else ASYNC_FOR_OVER_SYNC.partition(", got")[0]
        message = f"`async for` over {_SYNC_SOURCES[found.source].format(name=found.name)} (`{error}`); use `for`"
        ctx.report(self.code, node.iter, message, _sync_for_fix(node, ctx))


_SYNC_SOURCES: dict[IterableSource, str] = {
    IterableSource.DISPLAY: "a {name}",
    IterableSource.GENERATOR_EXPRESSION: "a generator expression",
    IterableSource.GENERATOR: "a sync generator",
    IterableSource.BUILTIN: "what `{name}()` returns, a sync iterator",
    IterableSource.METHOD: "what `.{name}()` returns, a sync iterator",
    IterableSource.TYPED: "a `{name}`",
    IterableSource.PROJECT_CLASS: "a `{name}`, whose class defines `__iter__`, not `__aiter__`",
    IterableSource.EVERY_BINDING: "a sync iterable, whichever value it holds",
}
"""How the message names what shows the value is a sync iterable."""


def _coroutine_message(found: IterationMisuse, error: str) -> str:
    return f"{_how(found)} over `{_shown(found.call)}`, a coroutine (`{error}`); await it, then iterate over its result"


def _shown(call: cst.Call) -> str:
    """`self.graph.astream()` for a call of `self.graph.astream(...)`."""
    return f"{_code(call.func)}()"


def _how(found: IterationMisuse) -> str:
    """How the value is iterated, as the message says it."""
    consumer = found.consumer
    if isinstance(consumer, cst.Call):
        return f"`{_code(consumer.func)}()`"
    if found.misuse is Misuse.COROUTINE_ASYNC_ITERATED:
        return "`async for`"
    return "`for`" if isinstance(consumer, cst.For) else "a comprehension's `for`"


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


# --- fixes ---


def _async_iteration_fix(found: IterationMisuse, ctx: ModuleWalker) -> NodeFix | None:
    """`async for` (or its builtin equivalent) where it keeps the meaning; in sync code, the
    sync twin of the method."""
    consumer = found.consumer
    fix = _async_builtin_fix(found, consumer, ctx) if isinstance(consumer, cst.Call) else _async_for_fix(consumer, ctx)
    if fix is None and not ctx.in_async_function and found.sync_twin is not None:
        assert isinstance(found.call.func, cst.Attribute)
        fix = NodeFix(
            f"Use the sync twin `{found.sync_twin}()` here, or make this function `async def` and use `async for`",
            Applicability.SUGGESTION,
            ((found.call.func.attr, cst.Name(found.sync_twin)),),
        )
    return fix


def _async_for_fix(node: cst.CSTNode, ctx: ModuleWalker) -> NodeFix | None:
    """`async for` where it keeps the meaning: a `for` statement in an `async def` body; a
    list, set or dict comprehension that runs (through any enclosing comprehensions) directly
    in an `async def` (`ctx.can_await`: not a generator expression, whose consumer would break)."""
    if isinstance(node, cst.For):
        return NodeFix("Use `async for`", Applicability.SAFE, insertions=((node, "async "),)) if in_async_body(ctx) else None
    if not isinstance(node, cst.CompFor) or not ctx.can_await:
        return None
    return NodeFix("Use an async comprehension (`async for`)", Applicability.SAFE, ((node, node.with_changes(asynchronous=_ASYNC)),))


def _sync_for_fix(node: cst.For | cst.CompFor, ctx: ModuleWalker) -> NodeFix | None:
    """`for` for `async for`: a statement in an `async def` body, or a list, set or dict
    comprehension (a generator expression would stop being an async generator, which its
    consumer's `async for` needs)."""
    keyword = node.asynchronous
    if keyword is None or (isinstance(node, cst.For) and not in_async_body(ctx)) or (isinstance(node, cst.CompFor) and not ctx.can_await):
        return None
    removal = ((keyword, ""), (keyword.whitespace_after, ""))
    return NodeFix("Use `for`" if isinstance(node, cst.For) else "Use a sync comprehension (`for`)", Applicability.SAFE, removal)


def _async_builtin_fix(found: IterationMisuse, node: cst.Call, ctx: ModuleWalker) -> NodeFix | None:
    """`[item async for item in x]` for `list(x)`, `await anext(x)` for `next(x)`."""
    if not ctx.can_await:
        return None
    if found.builtin == COLLECTING_BUILTIN and len(node.args) == 1:
        replacement = _async_list(found.value)
        return NodeFix(f"Use `{ctx.module.code_for_node(replacement)}`", Applicability.SUGGESTION, ((node, replacement),))
    twin = NEXT_BUILTINS.get(found.builtin or "")
    if twin is not None:
        awaited = as_operand(cst.Await(expression=node.with_changes(func=cst.Name(twin))), node, ctx)
        return NodeFix(f"Use `{ctx.module.code_for_node(awaited)}`", Applicability.SUGGESTION, ((node, awaited),))
    return None


def _awaited_fix(found: IterationMisuse, ctx: ModuleWalker) -> NodeFix | None:
    """`await x.ainvoke(...)` for `await x.astream(...)`; else collect the items."""
    call = found.call
    func = call.func
    result_method = AWAITED_RESULT_METHODS.get(func.attr.value) if isinstance(func, cst.Attribute) else None
    if result_method is not None and isinstance(func, cst.Attribute) and found.value is call:
        receiver = ctx.module.code_for_node(func.value)
        return NodeFix(
            f"Use `await {receiver}.{result_method}(...)` for the whole result, or `async for` over "
            f"`{receiver}.{func.attr.value}(...)` for the chunks",
            Applicability.SUGGESTION,
            ((func.attr, cst.Name(result_method)),),
        )
    if not ctx.can_await:
        return None
    replacement = _async_list(found.value)
    return NodeFix(
        f"Collect the items with `{ctx.module.code_for_node(replacement)}`, or iterate with `async for`",
        Applicability.SUGGESTION,
        ((found.consumer, replacement),),
    )


def _await_first(found: IterationMisuse, ctx: ModuleWalker) -> NodeFix | None:
    if not ctx.can_await or found.value is not found.call:
        return None
    return NodeFix("Await it first", Applicability.SUGGESTION, ((found.call, cst.Await(expression=found.call)),))


def _stream_instead(found: IterationMisuse, ctx: ModuleWalker) -> NodeFix | None:
    """`async for` over `x.ainvoke()`: the streaming method, or await the result."""
    call = found.call
    if found.value is not call:
        return None
    func = call.func
    stream = COROUTINE_METHODS.get(func.attr.value) if isinstance(func, cst.Attribute) else None
    if stream is not None and isinstance(func, cst.Attribute):
        receiver = ctx.module.code_for_node(func.value)
        return NodeFix(
            f"Use `async for` over `{receiver}.{stream}(...)` for the chunks, "
            f"or `await {receiver}.{func.attr.value}(...)` for the result",
            Applicability.SUGGESTION,
            ((func.attr, cst.Name(stream)),),
        )
    return NodeFix("Await it, and iterate over its result with `for`", Applicability.SUGGESTION)


def _async_list(iterable: cst.BaseExpression) -> cst.ListComp:
    """`[item async for item in <iterable>]`."""
    return cst.ListComp(
        elt=cst.Name("item"),
        for_in=cst.CompFor(target=cst.Name("item"), iter=iterable, asynchronous=_ASYNC),
    )
