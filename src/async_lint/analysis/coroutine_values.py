"""Where a coroutine is used as if it were its result (ASL106): how the code around a call
uses its value, and which coroutines put in a container are never run.

Whether a call returns a coroutine at all is `made_coroutine`'s question (ASL100's coroutine
verdict, then the type inference). The verdicts carry nodes and kinds, never messages.

- `value_use`: the call's value is tested for truth (`if fetch():`, `while poll():`, `not
  check()`, the left side of `a() or b()`, `assert ready()`), compared, formatted
  (`f"{fetch()}"`, `str()`, `print()`), measured (`len()`), converted, used in arithmetic,
  subscripted or has an attribute read. A coroutine object is always true, never equal to a
  result, and has no items, length or attributes of the result.
- `unrun_coroutines`: a list, tuple, set or dict (or a comprehension) of coroutines bound to a
  name in a function, where the name is never passed on, iterated, returned or awaited as a
  whole, only indexed to pick one (`await handlers[key]`) or not used at all: the coroutines
  not picked never run.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.coroutine_calls import CoroutineCall, coroutine_call
from async_lint.analysis.syntax import NESTED_SCOPES, loaded_names
from async_lint.analysis.types import CoroutineOf
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.coroutine_values import (
    COROUTINE_ATTRIBUTES,
    INSPECTING_BUILTINS,
    PICKING_METHODS,
    VALUE_BUILTINS,
    BuiltinUse,
)


def made_coroutine(call: cst.Call, ctx: ModuleWalker) -> CoroutineCall | None:
    """The coroutine `call` makes: a coroutine function's (as ASL100 knows them), or what the
    type inference shows the call returns (a function returning another's coroutine)."""
    found = coroutine_call(call, ctx)
    if found is None and isinstance(ctx.type_of(call), CoroutineOf):
        found = CoroutineCall()
    return found


class Use(enum.Enum):
    """How the code uses a value that is a coroutine."""

    CONDITION = "condition"
    """`if c:`, `x if c else y`, a comprehension's `if c`."""
    LOOP_CONDITION = "loop condition"
    """`while c:`."""
    ASSERTED = "asserted"
    NEGATED = "negated"
    """`not c`."""
    BOOLEAN_OPERAND = "boolean operand"
    """`c or d`, `c and d`: `c`'s truth decides (and `d` too when the whole is a condition)."""
    TRUTH_TESTED = "truth tested"
    """`bool(c)`."""
    COMPARED = "compared"
    """`c is None`, `c == x`."""
    ORDERED = "ordered"
    """`c < x`."""
    CONTAINMENT = "containment"
    """`x in c`, `c in x`."""
    FORMATTED = "formatted"
    """`f"{c}"`, `str(c)`, `repr(c)`, `format(c)`, `print(c)`."""
    SIZED = "sized"
    """`len(c)`."""
    CONVERTED = "converted"
    """`int(c)`, `float(c)`."""
    OPERAND = "operand"
    """`c + 1`, `-c`."""
    SUBSCRIPTED = "subscripted"
    ATTRIBUTE = "attribute"
    """`c.json()`: any attribute a coroutine does not have."""


@dataclass(frozen=True)
class ValueUse:
    use: Use
    user: cst.CSTNode
    """The node that uses the value (the `if`, the comparison, the call of `len`...)."""
    detail: str = ""
    """The operator (`is`, `or`, `+`), builtin (`len`) or attribute (`json`) that uses it."""
    whole: bool = True
    """`await` put in place of the call keeps the code's meaning (`if await fetch():`);
    False when the awaited value needs parentheses (`(await fetch()).json()`)."""


_TESTS: dict[type[cst.CSTNode], Use] = {
    cst.If: Use.CONDITION,
    cst.IfExp: Use.CONDITION,
    cst.CompIf: Use.CONDITION,
    cst.While: Use.LOOP_CONDITION,
    cst.Assert: Use.ASSERTED,
}
_IDENTITY = (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual)
_CONTAINMENT = (cst.In, cst.NotIn)


def value_use(call: cst.Call, ancestors: list[cst.CSTNode], ctx: ModuleWalker) -> ValueUse | None:
    """How the code around `call` (whose enclosing nodes are `ancestors`, innermost last)
    uses its value as a result; None when it passes the value on (to a call, a return, an
    assignment, an `await`) or iterates it (ASL102's business)."""
    if not ancestors:
        return None
    parent = ancestors[-1]
    kind = type(parent)
    if kind in _TESTS and getattr(parent, "test", None) is call:
        return ValueUse(_TESTS[kind], parent)
    if isinstance(parent, cst.UnaryOperation):
        if isinstance(parent.operator, cst.Not):
            return ValueUse(Use.NEGATED, parent)
        return ValueUse(Use.OPERAND, parent, _code(parent.operator))
    if isinstance(parent, cst.BooleanOperation):
        if parent.left is call or _truth_tested(ancestors):
            return ValueUse(Use.BOOLEAN_OPERAND, parent, _code(parent.operator))
        return None  # `x or fetch()` gives the coroutine itself: passed on
    if isinstance(parent, cst.Comparison) and parent.left is call:
        return _compared(parent.comparisons[0].operator, parent)
    if isinstance(parent, cst.ComparisonTarget) and parent.comparator is call and len(ancestors) >= 2:
        return _compared(parent.operator, ancestors[-2])
    if isinstance(parent, cst.BinaryOperation):
        return ValueUse(Use.OPERAND, parent, _code(parent.operator))
    if isinstance(parent, cst.FormattedStringExpression) and parent.expression is call:
        return ValueUse(Use.FORMATTED, parent, "f-string")
    if isinstance(parent, cst.Subscript) and parent.value is call:
        return ValueUse(Use.SUBSCRIPTED, parent, whole=False)
    if isinstance(parent, cst.Attribute) and parent.value is call and parent.attr.value not in COROUTINE_ATTRIBUTES:
        return ValueUse(Use.ATTRIBUTE, parent, parent.attr.value, whole=False)
    if isinstance(parent, cst.Arg) and parent.value is call and parent.keyword is None and not parent.star and len(ancestors) >= 2:
        outer = ancestors[-2]
        if isinstance(outer, cst.Call) and outer.args and outer.args[0] is parent:
            builtin = VALUE_BUILTINS.get(ctx.resolve(outer.func) or "")
            if builtin is not None:
                return ValueUse(_BUILTIN_USES[builtin], outer, _code(outer.func))
    return None


def _compared(operator: cst.BaseCompOp, comparison: cst.CSTNode) -> ValueUse:
    use = Use.COMPARED if isinstance(operator, _IDENTITY) else Use.CONTAINMENT if isinstance(operator, _CONTAINMENT) else Use.ORDERED
    return ValueUse(use, comparison, _code(operator))


_BUILTIN_USES = {
    BuiltinUse.TRUTH: Use.TRUTH_TESTED,
    BuiltinUse.FORMATTED: Use.FORMATTED,
    BuiltinUse.SIZED: Use.SIZED,
    BuiltinUse.CONVERTED: Use.CONVERTED,
}


def _truth_tested(ancestors: list[cst.CSTNode]) -> bool:
    """Whether the boolean operation `ancestors[-1]` is itself tested for truth (it is a
    condition, the operand of `not`, or the left side of another `and`/`or`)."""
    node = ancestors[-1]
    for index in range(len(ancestors) - 2, -1, -1):
        parent = ancestors[index]
        if type(parent) in _TESTS and getattr(parent, "test", None) is node:
            return True
        if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
            return True
        if not isinstance(parent, cst.BooleanOperation):
            return False
        if parent.left is node:
            return True
        node = parent
    return False


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node).strip()


# --- coroutines kept in a container ---


@dataclass(frozen=True)
class UnrunCoroutines:
    """Coroutines put in a container bound to `name`, some of which never run."""

    name: str
    container: cst.BaseExpression
    coroutines: tuple[cst.Call, ...]
    """The calls in the container that make coroutines."""
    picks: tuple[cst.CSTNode, ...]
    """The uses that take one item (`handlers[key]`, `handlers.get(key)`); empty when the
    container is never used at all."""


def unrun_coroutines(
    name: str, container: cst.BaseExpression, assignment: cst.CSTNode, function: cst.FunctionDef, ctx: ModuleWalker
) -> UnrunCoroutines | None:
    """For `name = <container>` in `function`: the coroutines in the container that never run,
    when the function only ever picks single items from it, or never uses it."""
    items = _items(container)
    if items is None:
        return None
    coroutines = tuple(call for _, call in items if isinstance(call, cst.Call) and made_coroutine(call, ctx) is not None)
    if not coroutines:
        return None
    picks: list[_Use] = []
    for use in _uses(function, name, assignment, ctx):
        if use.kind is _UseKind.OTHER:
            return None
        if use.kind is _UseKind.PICK:
            picks.append(use)
    comprehension = isinstance(container, (cst.ListComp, cst.SetComp, cst.DictComp))
    if picks:
        keys = [use.key for use in picks]
        if comprehension or None in keys:
            if not comprehension and len(coroutines) < 2:
                return None  # the one coroutine may be the one picked
        elif all(key in keys for key, value in items if any(value is call for call in coroutines)):
            return None  # each coroutine is picked by its own constant key
    return UnrunCoroutines(name, container, coroutines, tuple(use.node for use in picks if use.node is not None))


class _UseKind(enum.Enum):
    PICK = "pick"
    """Takes one item (`x[key]`, `x.get(key)`)."""
    LOOK = "look"
    """Looks at the container without running what it holds (`len(x)`, `if x:`), or binds the name again."""
    OTHER = "other"
    """Passes it on, iterates it, stores or writes into it, or a use we cannot follow."""


@dataclass(frozen=True)
class _Use:
    kind: _UseKind
    node: cst.CSTNode | None = None
    key: str | int | None = None
    """A pick's constant key (None: not a constant)."""


_OTHER = _Use(_UseKind.OTHER)


def _items(container: cst.BaseExpression) -> list[tuple[str | int | None, cst.BaseExpression]] | None:
    """(key, value) for each item: the position in a list or tuple, a dict's constant key
    (None when it is not a constant, and for sets and comprehensions)."""
    if isinstance(container, (cst.List, cst.Tuple)):
        if any(isinstance(e, cst.StarredElement) for e in container.elements):
            return None
        return [(index, element.value) for index, element in enumerate(container.elements)]
    if isinstance(container, cst.Set):
        return [(None, element.value) for element in container.elements if not isinstance(element, cst.StarredElement)]
    if isinstance(container, cst.Dict):
        found: list[tuple[str | int | None, cst.BaseExpression]] = []
        for item in container.elements:
            if not isinstance(item, cst.DictElement):
                return None
            key = item.key.evaluated_value if isinstance(item.key, cst.SimpleString) else None
            found.append((key if isinstance(key, str) else None, item.value))
        return found
    if isinstance(container, (cst.ListComp, cst.SetComp, cst.DictComp)):
        element = container.value if isinstance(container, cst.DictComp) else container.elt
        targets: set[str] = set()
        comp_for: cst.CompFor | None = container.for_in
        while comp_for is not None:
            targets |= loaded_names(comp_for.target)
            comp_for = comp_for.inner_for_in
        if isinstance(element, cst.Call) and loaded_names(element.func) & targets:
            return None  # a callee bound by the comprehension: unknown
        return [(None, element)]
    return None


def _uses(function: cst.FunctionDef, name: str, assignment: cst.CSTNode, ctx: ModuleWalker) -> list[_Use]:
    """Each use of `name` in the function's body. A pick inside a loop that does not also make
    the container may, over the iterations, pick every item: it counts as any other use."""
    found: list[tuple[_Use, frozenset[int]]] = []
    assignment_loops: frozenset[int] = frozenset()
    stack: list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...], bool, frozenset[int]]] = [(function.body, (), False, frozenset())]
    while stack:
        node, parents, nested, loops = stack.pop()
        if node is assignment:
            assignment_loops = loops
            continue
        if isinstance(node, (cst.Global, cst.Nonlocal)) and any(n.name.value == name for n in node.names):
            return [_OTHER]
        if isinstance(node, cst.Name) and node.value == name:
            found.append((_classify(node, parents, nested, ctx), loops))
            continue
        inner = nested or isinstance(node, NESTED_SCOPES)
        inner_loops = loops | {id(node)} if isinstance(node, (cst.For, cst.While)) else loops
        for child in traversal.child_nodes(node):
            stack.append((child, (*parents[-3:], node), inner, inner_loops))
    return [_OTHER if use.kind is _UseKind.PICK and loops - assignment_loops else use for use, loops in found]


def _classify(name: cst.Name, parents: tuple[cst.CSTNode, ...], nested: bool, ctx: ModuleWalker) -> _Use:
    if nested or not parents:
        return _OTHER  # a nested function or comprehension: not followed
    parent = parents[-1]
    outer = parents[-2] if len(parents) >= 2 else None
    if isinstance(parent, cst.AssignTarget) and parent.target is name:
        return _Use(_UseKind.LOOK)
    if isinstance(parent, cst.Subscript) and parent.value is name:
        if isinstance(outer, (cst.AssignTarget, cst.Del, cst.AugAssign)):
            return _OTHER
        return _Use(_UseKind.PICK, parent, _constant_key(parent))
    if isinstance(parent, cst.Attribute) and parent.value is name:
        if parent.attr.value in PICKING_METHODS and isinstance(outer, cst.Call) and outer.func is parent:
            return _Use(_UseKind.PICK, outer, _constant(outer.args[0].value) if outer.args else None)
        return _OTHER
    if isinstance(parent, (cst.If, cst.While)) and parent.test is name:
        return _Use(_UseKind.LOOK)
    if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)) or (
        isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)
    ):
        return _Use(_UseKind.LOOK)
    if isinstance(parent, cst.Arg) and parent.value is name and not parent.star and isinstance(outer, cst.Call):
        if ctx.resolve(outer.func) in INSPECTING_BUILTINS:
            return _Use(_UseKind.LOOK)
    return _OTHER


def _constant_key(subscript: cst.Subscript) -> str | int | None:
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return None
    return _constant(subscript.slice[0].slice.value)


def _constant(expr: cst.BaseExpression) -> str | int | None:
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.Integer):
        return int(expr.value, 0)
    return None
