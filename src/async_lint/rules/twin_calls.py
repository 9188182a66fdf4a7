"""How the ASL40x rules show a call and its async twin, and the fix that makes one the other:
`llm.invoke(x)` -> `await llm.ainvoke(x)`, `for c in g.stream(s)` -> `async for c in g.astream(s)`,
`llm.predict(t)` -> `(await llm.ainvoke(t)).content`."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.async_library import library_call
from async_lint.analysis.framework_calls import MethodCall, TwinCall
from async_lint.analysis.framework_objects import ObjectInfo
from async_lint.analysis.project import display_path
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.async_libraries import RUN
from async_lint.knowledge.langchain import OBJECT_CALL, Twin
from async_lint.rules.fix_builders import as_operand, parenthesized


def twin_call_report(node: cst.Call, call: TwinCall, where: str, ctx: ModuleWalker) -> tuple[str, NodeFix | None]:
    """The message (`where`, then the twin to use) and the fix that calls the twin."""
    awaited = twin_text(call.receiver, call.twin, ctx)
    legacy = " (removed in langchain-core 1.0)" if call.twin.legacy else ""
    return f"{where}{legacy}; use `{awaited}`", _twin_fix(node, call.twin, ctx, awaited)


def driven_call_report(node: cst.Call, call: TwinCall, what: str, raises: str, ctx: ModuleWalker) -> tuple[str, NodeFix | None]:
    """ASL404/ASL405, wrong wherever the call runs: fixed in async code, a suggestion elsewhere."""
    where = f"`{shown_call(call, ctx)}` on {what} raises `{raises}`"
    if ctx.in_async_function:
        return twin_call_report(node, call, where, ctx)
    awaited = twin_text(call.receiver, call.twin, ctx)
    return (
        f"{where}; run it with `{awaited}` (from sync code: `{library_call(RUN, ctx).qualified}(...)` at the entry point)",
        NodeFix(f"Use `{awaited}`", Applicability.SUGGESTION),
    )


def shown_call(call: MethodCall, ctx: ModuleWalker) -> str:
    if call.method == OBJECT_CALL:
        return f"{short(call.receiver, ctx)}()"
    return f"{short(call.receiver, ctx)}.{call.method}()"


def twin_text(receiver: cst.BaseExpression, twin: Twin, ctx: ModuleWalker) -> str:
    call = f"{short(receiver, ctx)}.{twin.name}(...)"
    if twin.iterated:
        return f"async for ... in {call}"
    if twin.result_attribute is not None:
        return f"(await {call}).{twin.result_attribute}"
    return f"await {call}"


def short(expr: cst.BaseExpression, ctx: ModuleWalker) -> str:
    text = " ".join(ctx.module.code_for_node(expr).split())
    return text if len(text) <= 40 else text[:37] + "..."


def origin(info: ObjectInfo, ctx: ModuleWalker) -> str:
    """`ChatOpenAI(...)`, and where it was built when that is another module
    (`StateGraph.compile()` built in app/graph.py:31)."""
    shown = f"`{info.origin}`"
    if info.path is not None and info.path != ctx.path:
        where = display_path(info.path)
        return f"{shown} built in {where}:{info.line}" if info.line else f"{shown} from {where}"
    return shown


def function_name(ctx: ModuleWalker) -> str:
    function = ctx.function
    return function.name if function is not None else "<module>"


def _twin_fix(node: cst.Call, twin: Twin, ctx: ModuleWalker, awaited: str) -> NodeFix | None:
    if not ctx.can_await:
        return None
    func = node.func
    if isinstance(func, cst.Attribute):
        new_func: cst.BaseExpression = func.with_changes(attr=cst.Name(twin.name))
    else:
        new_func = cst.Attribute(value=func, attr=cst.Name(twin.name))
    new_call = node.with_changes(func=new_func)
    if isinstance(ctx.parent, cst.Await) and (twin.iterated or twin.result_attribute is not None):
        return None
    if twin.iterated:
        loop = ctx.parent
        if isinstance(loop, cst.For) and loop.iter is node and loop.asynchronous is None and not _has_multiline_string(loop):
            applicability = Applicability.SUGGESTION if twin.shape_differs else Applicability.UNSAFE if twin.derived else Applicability.SAFE
            return NodeFix(f"Use `{awaited}`", applicability, ((loop, _async_for_text(loop, new_call, ctx)),))
        return None
    if isinstance(ctx.parent, cst.Await) and twin.result_attribute is None:
        # `await llm.invoke(x)` (awaiting the result, a TypeError): only the name changes.
        replacement: cst.BaseExpression = new_call
    else:
        replacement = cst.Await(expression=new_call)
    if twin.result_attribute is not None:
        replacement = cst.Attribute(value=parenthesized(replacement), attr=cst.Name(twin.result_attribute))
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    if twin.shape_differs or (twin.legacy and (len(positional) != len(node.args) or len(positional) > 1)):
        applicability = Applicability.SUGGESTION
    elif twin.legacy or twin.derived:
        applicability = Applicability.UNSAFE
    else:
        applicability = Applicability.SAFE
    replacement = as_operand(replacement, node, ctx)
    return NodeFix(f"Replace with `{ctx.module.code_for_node(replacement)}`", applicability, ((node, replacement),))


def _async_for_text(loop: cst.For, new_call: cst.Call, ctx: ModuleWalker) -> str:
    """The loop as `async for`, ending where the node's position ends (before the block's
    footer comments and the final newline, which stay in place)."""
    new_loop = loop.with_changes(leading_lines=(), asynchronous=cst.Asynchronous(), iter=new_call)
    orelse = new_loop.orelse
    if orelse is not None:
        if isinstance(orelse.body, cst.IndentedBlock):
            new_loop = new_loop.with_changes(orelse=orelse.with_changes(body=orelse.body.with_changes(footer=())))
    elif isinstance(new_loop.body, cst.IndentedBlock):
        new_loop = new_loop.with_changes(body=new_loop.body.with_changes(footer=()))
    text = ctx.module.code_for_node(new_loop)
    newline = ctx.module.default_newline
    text = text.removesuffix(newline)
    # A node's code is rendered with the indentation relative to its own block: put back the
    # blocks' indentation around it (safe: the loop holds no multi-line string).
    indent = "".join(
        block.indent if block.indent is not None else ctx.module.default_indent
        for block in ctx.ancestors
        if isinstance(block, cst.IndentedBlock)
    )
    lines = text.split(newline)
    return newline.join([lines[0], *(indent + line if line.strip() else line for line in lines[1:])])


class _MultilineStringFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.found = self.found or "\n" in node.value

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.found = self.found or "\n" in cst.Module([]).code_for_node(node)


def _has_multiline_string(node: cst.CSTNode) -> bool:
    finder = _MultilineStringFinder()
    traversal.visit(node, finder)
    return finder.found
