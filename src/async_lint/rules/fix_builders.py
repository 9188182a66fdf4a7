"""Fixes that several rules offer the same way: a blocking call handed to a worker thread
(`await asyncio.to_thread(f, *args)`), a loop runner replaced by `await`, and the parentheses an
`await` needs where it becomes an operand."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.blocking_calls import THREAD_HANDOFF, Handoff
from async_lint.knowledge.loop_runners import LoopRunner

_ASSIGNING = (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return)


def to_thread_fix(node: cst.Call, ctx: ModuleWalker, handoff: Handoff = Handoff.ANY) -> NodeFix | None:
    """`await asyncio.to_thread(f, *args, **kwargs)` for `f(*args, **kwargs)`, where the result
    can stand there (`handoff`: a statement of its own, or also the value of an assignment or
    `return`) and an `await` keeps the meaning; None elsewhere."""
    if not ctx.can_await or not _result_allows_handoff(node, handoff, ctx):
        return None
    module, function = THREAD_HANDOFF.rsplit(".", 1)
    reference = ctx.module_reference(module)
    if reference is None:
        return None
    module_name, imports = reference
    function_arg = cst.Arg(
        value=node.func,
        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if node.args else cst.MaybeSentinel.DEFAULT,
    )
    handed_off = cst.Await(
        expression=cst.Call(
            func=cst.Attribute(value=cst.Name(module_name), attr=cst.Name(function)),
            args=(function_arg, *node.args),
        )
    )
    rest = ", ..." if node.args else ""
    return NodeFix(
        f"Run it in a worker thread: `await {module_name}.{function}({ctx.module.code_for_node(node.func)}{rest})`",
        Applicability.UNSAFE,
        ((node, handed_off),),
        imports,
    )


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
    """`await asyncio.sleep(x)` for `time.sleep(x)`: a drop-in awaitable (`twin`, by its
    qualified name) with the same arguments."""
    module, function = twin.rsplit(".", 1)
    reference = ctx.module_reference(module) if ctx.can_await else None
    if reference is None:
        return None
    module_name, imports = reference
    replacement = cst.Await(expression=cst.Call(func=cst.Attribute(value=cst.Name(module_name), attr=cst.Name(function)), args=node.args))
    return NodeFix(f"Replace with `{ctx.module.code_for_node(replacement)}`", Applicability.SAFE, ((node, replacement),), imports)


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


def as_operand(replacement: cst.Await, node: cst.CSTNode, ctx: ModuleWalker) -> cst.Await:
    """The replacement of `node` in parentheses where `node` is the object of an attribute,
    subscript or call: `asyncio.run(c).content` becomes `(await c).content`, not `await c.content`."""
    parent = ctx.parent
    if (isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is node) or (
        isinstance(parent, cst.Call) and parent.func is node
    ):
        return replacement.with_changes(lpar=(cst.LeftParen(),), rpar=(cst.RightParen(),))
    return replacement
