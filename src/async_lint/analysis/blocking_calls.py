"""Which catalog entry a call is: `requests.get(url)` through any import spelling, and
`s.get(url)` when `s` is shown to be a `requests.Session` (assigned from a constructor or
factory, bound by `with ... as s`, annotated as one, or a `self.s` the class assigns so).

Used by the direct blocking-call rules and by anything else that asks "is this call a
blocking sink" (a call-chain rule builds its summaries with the same question).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from async_lint.analysis.scopes import BindingKind
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.blocking_calls import (
    CONSUMERS,
    MEMORY_FILES,
    NONBLOCKING_MARKERS,
    PATH_ATTRIBUTES,
    PATH_TYPE,
    VALUE_TYPES,
    BlockingCall,
    Catalog,
)

_MAX_DEPTH = 6
"""How many assignments deep a receiver's type is followed (`a = Path(x); b = a / "y"`)."""


@dataclass(frozen=True)
class BlockingCallSite:
    entry: BlockingCall
    receiver_type: str | None = None
    """For a method call: the type the receiver was shown to have (`requests.Session`)."""


def blocking_call_at(node: cst.Call, ctx: ModuleWalker, catalog: Catalog) -> BlockingCallSite | None:
    """The catalog entry this call is, or None (also when a blocking flag is passed as a
    literal `False`: `lock.acquire(False)`, `q.get(block=False)`)."""
    site = _match(node, ctx, catalog)
    if site is None or _passes_nonblocking(node, site.entry):
        return None
    if site.entry.lazy and not _consumed_in_place(node, ctx):
        return None
    if site.entry.file_argument is not None and _is_memory_file(node, site.entry.file_argument, ctx):
        return None
    if site.receiver_type in NONBLOCKING_MARKERS and not _in_blocking_state(node, site.receiver_type, ctx):
        return None
    return site


def _consumed_in_place(node: cst.Call, ctx: ModuleWalker) -> bool:
    """`for x in <node>`, `[... for x in <node>]`, `list(<node>)`."""
    parent = ctx.parent
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is node:
        return True
    if isinstance(parent, cst.Arg) and parent.value is node and len(ctx.ancestors) >= 2:
        consumer = ctx.ancestors[-2]
        return isinstance(consumer, cst.Call) and ctx.resolve(consumer.func) in CONSUMERS
    return False


def _is_memory_file(node: cst.Call, position: int, ctx: ModuleWalker) -> bool:
    """`json.dump(obj, io.StringIO())`, or a name assigned an `io.BytesIO()`."""
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    if position >= len(positional):
        return False
    value = positional[position].value
    if isinstance(value, cst.Name):
        binding = ctx.lookup(value.value)
        if binding is None or binding.kind is not BindingKind.ASSIGNMENT or binding.value is None:
            return False
        value = binding.value
    return isinstance(value, cst.Call) and ctx.resolve(value.func) in MEMORY_FILES


def _in_blocking_state(node: cst.Call, receiver_type: str, ctx: ModuleWalker) -> bool:
    """For sockets and futures: the receiver is a name this function assigned and never
    switched to non-blocking use (see `NONBLOCKING_MARKERS`), or a fresh object
    (`executor.submit(f).result()`)."""
    func = node.func
    if not isinstance(func, cst.Attribute):
        return False
    if isinstance(func.value, cst.Call):
        return True
    if not isinstance(func.value, cst.Name):
        return False
    name = func.value.value
    binding = ctx.lookup(name)
    function = ctx.function
    if binding is None or binding.kind is not BindingKind.ASSIGNMENT or function is None:
        return False
    if function.bindings.get(name) is not binding:
        return False
    code = ctx.module.code_for_node(function.node)
    return not any(f"{name}.{marker}(" in code for marker in NONBLOCKING_MARKERS[receiver_type])


def _match(node: cst.Call, ctx: ModuleWalker, catalog: Catalog) -> BlockingCallSite | None:
    func = node.func
    qualified = ctx.resolve(func)
    if qualified is not None:
        entry = catalog.get(qualified)
        return BlockingCallSite(entry) if entry is not None else None
    if isinstance(func, cst.Attribute) and func.attr.value in catalog.method_names:
        receiver = value_type(func.value, ctx, catalog)
        if receiver is not None:
            entry = catalog.get(f"{receiver}.{func.attr.value}")
            if entry is not None:
                return BlockingCallSite(entry, receiver)
    return None


def _passes_nonblocking(node: cst.Call, entry: BlockingCall) -> bool:
    if entry.nonblocking_flag is None:
        return False
    position, keyword = entry.nonblocking_flag
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return _is_false(arg.value)
    if any(arg.star for arg in node.args):
        return True  # cannot tell: stay silent
    return position < len(positional) and _is_false(positional[position].value)


def _is_false(expr: cst.BaseExpression) -> bool:
    return (isinstance(expr, cst.Name) and expr.value == "False") or (isinstance(expr, cst.Integer) and expr.value == "0")


def value_type(expr: cst.BaseExpression, ctx: ModuleWalker, catalog: Catalog, depth: int = 0) -> str | None:
    """The receiver type (one the catalog knows) an expression is shown to have, else None."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, cst.Call):
        return _call_type(expr, ctx, catalog, depth)
    if isinstance(expr, cst.Name):
        return _name_type(expr.value, ctx, catalog, depth)
    if isinstance(expr, cst.Attribute):
        if expr.attr.value in PATH_ATTRIBUTES and value_type(expr.value, ctx, catalog, depth + 1) == PATH_TYPE:
            return PATH_TYPE
        return _agreed_type(ctx.instance_attribute_values(expr), ctx, catalog, depth)
    if (
        isinstance(expr, cst.BinaryOperation)
        and isinstance(expr.operator, cst.Divide)
        and value_type(expr.left, ctx, catalog, depth + 1) == PATH_TYPE
    ):
        return PATH_TYPE
    return None


def _call_type(call: cst.Call, ctx: ModuleWalker, catalog: Catalog, depth: int) -> str | None:
    qualified = ctx.resolve(call.func)
    if qualified is not None:
        return _type_named(qualified, catalog)
    func = call.func
    if isinstance(func, cst.Attribute):
        receiver = value_type(func.value, ctx, catalog, depth + 1)
        if receiver is not None:
            return VALUE_TYPES.get(f"{receiver}.{func.attr.value}")
    return None


def _type_named(qualified: str, catalog: Catalog) -> str | None:
    """The type a constructor/factory (or an annotation) of this name makes."""
    known = VALUE_TYPES.get(qualified)
    if known is not None:
        return known
    return qualified if qualified in catalog.receiver_types else None


def _name_type(name: str, ctx: ModuleWalker, catalog: Catalog, depth: int) -> str | None:
    binding = ctx.lookup(name)
    if binding is None:
        return None
    if binding.kind is BindingKind.ASSIGNMENT and binding.value is not None:
        return value_type(binding.value, ctx, catalog, depth + 1)
    if binding.kind is BindingKind.PARAMETER and isinstance(binding.node, cst.Param):
        annotation = binding.node.annotation
        if annotation is not None:
            return _annotation_type(annotation.annotation, ctx, catalog)
    return None


def _annotation_type(annotation: cst.BaseExpression, ctx: ModuleWalker, catalog: Catalog) -> str | None:
    """`p: Path`, `p: pathlib.Path`, `p: Path | None`."""
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        sides = [annotation.left, annotation.right]
        others = [side for side in sides if not (isinstance(side, cst.Name) and side.value == "None")]
        if len(others) != 1:
            return None
        annotation = others[0]
    qualified = ctx.resolve(annotation)
    return _type_named(qualified, catalog) if qualified is not None else None


def _agreed_type(values: tuple[cst.BaseExpression, ...], ctx: ModuleWalker, catalog: Catalog, depth: int) -> str | None:
    """The one type every (non-None) assigned value has; None if they disagree or any is unknown."""
    found: set[str | None] = set()
    for value in values:
        if isinstance(value, cst.Name) and value.value == "None":
            continue
        found.add(value_type(value, ctx, catalog, depth + 1))
    if len(found) != 1:
        return None
    return found.pop()
