"""Fixes that several rules offer the same way: a blocking call handed to a worker thread
(`await asyncio.to_thread(f, *args)`), a drop-in awaitable (`await asyncio.sleep(x)`), a
coroutine run at the entry point (`asyncio.run(main())`), a loop runner replaced by `await`, and
the parentheses an `await` needs where it becomes an operand.

The names are the module's own async library's (`analysis/async_library.py`): `trio.sleep`,
`trio.to_thread.run_sync`, `trio.run(main)` in a trio module, anyio's in an anyio one. Where the
library is not known (nothing in the module says, or it uses several), the fix spells asyncio's
names and is not safe."""

from __future__ import annotations

from typing import TypeVar

import libcst as cst

from async_lint.analysis.async_library import library_call, module_library
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.async_libraries import KEYWORD_BINDER, RUN, LibraryCall
from async_lint.knowledge.blocking_calls import THREAD_HANDOFF, Handoff
from async_lint.knowledge.loop_runners import LoopRunner

_ASSIGNING = (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return)
E = TypeVar("E", bound=cst.BaseExpression)


def to_thread_fix(node: cst.Call, ctx: ModuleWalker, handoff: Handoff = Handoff.ANY) -> NodeFix | None:
    """`await asyncio.to_thread(f, *args, **kwargs)` for `f(*args, **kwargs)` (trio's and
    anyio's `to_thread.run_sync`, keywords bound with `functools.partial`), where the result
    can stand there (`handoff`: a statement of its own, or also the value of an assignment or
    `return`) and an `await` keeps the meaning; None elsewhere."""
    if not ctx.can_await or not _result_allows_handoff(node, handoff, ctx):
        return None
    runner = library_call(THREAD_HANDOFF, ctx)
    callee = _callee(runner.qualified, ctx)
    if callee is None:
        return None
    runner_expr, imports = callee
    handed = _handed_function(node, runner, ctx)
    if handed is None:
        return None
    args, more_imports = handed
    handed_off = cst.Await(expression=cst.Call(func=runner_expr, args=args))
    rest = ", ..." if node.args else ""
    shown = ctx.module.code_for_node(runner_expr)
    return NodeFix(
        f"Run it in a worker thread: `await {shown}({ctx.module.code_for_node(node.func)}{rest})`",
        Applicability.UNSAFE,
        ((node, handed_off),),
        (*imports, *more_imports),
    )


def thread_handoff_text(handed_off: str, ctx: ModuleWalker) -> str:
    """`await asyncio.to_thread(f, ...)` in the module's library, for messages."""
    return f"await {library_call(THREAD_HANDOFF, ctx).qualified}({handed_off})"


def _handed_function(node: cst.Call, runner: LibraryCall, ctx: ModuleWalker) -> tuple[tuple[cst.Arg, ...], tuple[str, ...]] | None:
    """The runner's arguments: the function and the call's own, or, for a runner that passes no
    keywords (`trio.to_thread.run_sync`), `functools.partial(f, *args, **kwargs)` when the call
    has keywords or unpacks arguments."""
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if node.args else cst.MaybeSentinel.DEFAULT
    function_arg = cst.Arg(value=node.func, comma=comma)
    if runner.keywords or not any(arg.keyword is not None or arg.star for arg in node.args):
        return (function_arg, *node.args), ()
    binder = _callee(KEYWORD_BINDER, ctx)
    if binder is None:
        return None
    binder_expr, imports = binder
    return (cst.Arg(value=cst.Call(func=binder_expr, args=(function_arg, *node.args))),), imports


def _result_allows_handoff(node: cst.Call, handoff: Handoff, ctx: ModuleWalker) -> bool:
    """Whether `await asyncio.to_thread(...)` can stand where the call stands."""
    if handoff is Handoff.NEVER:
        return False
    parent = ctx.parent
    if isinstance(parent, cst.Expr) and parent.value is node:
        return True
    if handoff is Handoff.STATEMENT:
        return False
    return isinstance(parent, _ASSIGNING) and parent.value is node


def awaited_twin_fix(node: cst.Call, twin: str, ctx: ModuleWalker) -> NodeFix | None:
    """`await asyncio.sleep(x)` for `time.sleep(x)`: a drop-in awaitable (`twin`, by its asyncio
    name) with the same arguments, in the module's library; safe when the library is known."""
    if not ctx.can_await:
        return None
    callee = _callee(library_call(twin, ctx).qualified, ctx)
    if callee is None:
        return None
    function, imports = callee
    replacement = cst.Await(expression=cst.Call(func=function, args=node.args))
    applicability = Applicability.SAFE if module_library(ctx).known else Applicability.UNSAFE
    return NodeFix(
        f"Replace with `{ctx.module.code_for_node(replacement)}`{_library_note(ctx)}",
        applicability,
        ((node, replacement),),
        imports,
    )


def entry_point_run(call: cst.Call, ctx: ModuleWalker) -> tuple[str, cst.Call | None, tuple[str, ...]]:
    """How the entry point runs the coroutine `call` makes, in the module's library:
    `asyncio.run(main(x))`, `trio.run(main, x)`; the text to show, the call (None when no
    call can be written: the name is taken, or trio's runner would need keywords), and the
    imports it needs."""
    runner = library_call(RUN, ctx)
    callee = _callee(runner.qualified, ctx)
    if callee is None:
        return f"{runner.qualified}(...)", None, ()
    function, imports = callee
    shown = ctx.module.code_for_node(function)
    if not runner.takes_function:
        run_call = cst.Call(func=function, args=[cst.Arg(value=call)])
        return ctx.module.code_for_node(run_call), run_call, imports
    if any(arg.keyword is not None or arg.star for arg in call.args):
        return f"{shown}({ctx.module.code_for_node(call.func)}, ...)", None, imports
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if call.args else cst.MaybeSentinel.DEFAULT
    run_call = cst.Call(func=function, args=(cst.Arg(value=call.func, comma=comma), *call.args))
    return ctx.module.code_for_node(run_call), run_call, imports


def awaited_runner_call(node: cst.Call, runner: LoopRunner) -> cst.Await | None:
    """`await coro` for `asyncio.run(coro)`, `await fn(*args)` for `anyio.run(fn, *args)`;
    None when the call passes options a plain `await` would drop."""
    args = node.args
    if any(arg.keyword is not None or arg.star for arg in args) or not args:
        return None
    if runner.takes_function:
        return cst.Await(expression=cst.Call(func=args[0].value, args=args[1:]))
    if len(args) != 1:
        return None
    return cst.Await(expression=args[0].value)


def as_operand(replacement: E, node: cst.CSTNode, ctx: ModuleWalker) -> E:
    """The replacement of `node` in parentheses where `node` is the object of an attribute,
    subscript or call: `asyncio.run(c).content` becomes `(await c).content`, not
    `await c.content`; `llm.predict(x).strip()` becomes `(await llm.ainvoke(x)).content`..."""
    parent = ctx.parent
    if (isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is node) or (
        isinstance(parent, cst.Call) and parent.func is node
    ):
        return parenthesized(replacement)
    return replacement


def parenthesized(expr: E) -> E:
    return expr.with_changes(lpar=(cst.LeftParen(),), rpar=(cst.RightParen(),))


def _callee(qualified: str, ctx: ModuleWalker) -> tuple[cst.BaseExpression, tuple[str, ...]] | None:
    """`trio.to_thread.run_sync` as this module spells it (through its import of `trio`, or
    `aio` after `import asyncio as aio`), and the import to add when there is none; None when
    the module's name is taken by something else."""
    module, *attributes = qualified.split(".")
    reference = ctx.module_reference(module)
    if reference is None:
        return None
    local, imports = reference
    expr: cst.BaseExpression = cst.Name(local)
    for attribute in attributes:
        expr = cst.Attribute(value=expr, attr=cst.Name(attribute))
    return expr, imports


def _library_note(ctx: ModuleWalker) -> str:
    """Why a fix naming one library's call is not safe here."""
    verdict = module_library(ctx)
    return "" if verdict.known else f" (not safe: {verdict.why_unknown()})"
