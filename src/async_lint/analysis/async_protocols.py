"""What a call returns as far as `await` and `for`/`async for` go: a coroutine, an async
iterator, a plain value.

The type inference answers first (a project `async def` anywhere in the project, a known
library coroutine function); then the knowledge base's method names (`astream`, `ainvoke`...)
for receivers that are not project objects. Anything else is unknown, and unknown means silent.
"""

from __future__ import annotations

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.expressions import Attribute, Call, Constant
from async_lint.analysis.inference import Place, TypeInference
from async_lint.analysis.module_model import BindingKind, ClassScope
from async_lint.analysis.types import BoundMethod, ClassType, CoroutineOf, FunctionType, Instance, Type
from async_lint.analysis.walker import FrameKind, ModuleWalker
from async_lint.knowledge.async_protocols import (
    ASYNC_ITERATOR_METHODS,
    AWAITED_WHEN,
    COROUTINE_FUNCTIONS,
    COROUTINE_METHODS,
    AwaitedWhen,
    CallKind,
)
from async_lint.knowledge.decorators import RESULT_KEEPING_DECORATORS
from async_lint.knowledge.types import NEUTRAL_BASES



# --- kinds of calls ---


def call_kind(call: Call, place: Place, inference: TypeInference) -> CallKind | None:
    """What this call (written at `place`) returns, when the project or the knowledge base knows."""
    func = call.func
    target = inference.expression(func, place)
    function = target.function if isinstance(target, BoundMethod) else target
    if isinstance(function, FunctionType):
        return function_kind(function, inference)
    if isinstance(func, Attribute):
        receiver = inference.expression(func.value, place)
        if _is_project_object(receiver):
            found = _project_method(receiver, func.attr, inference)
            if found is None or isinstance(found, CallKind):
                return found
    qualified = inference.qualified_name(func, place)
    if qualified is not None and qualified in COROUTINE_FUNCTIONS:
        return CallKind.COROUTINE
    if isinstance(target, CoroutineOf):
        return CallKind.COROUTINE
    if not isinstance(func, Attribute):
        return None
    method = func.attr
    if method in ASYNC_ITERATOR_METHODS:
        awaited_when = AWAITED_WHEN.get(method)
        return _versioned_kind(call, awaited_when) if awaited_when is not None else CallKind.ASYNC_ITERATOR
    if method in COROUTINE_METHODS:
        return CallKind.COROUTINE
    return None


def _project_method(receiver: Type | None, method: str, inference: TypeInference) -> CallKind | None | bool:
    """For a method of a project class: its kind; None when the class (fully known) has no such
    method, when it is of unknown kind, or when a base from outside the project comes before
    the class that defines it; False when no project class defines it and a base from outside
    the project may."""
    member = receiver if not isinstance(receiver, Instance) else receiver.of
    if not isinstance(member, ClassType):
        return False
    complete = True
    for base in inference.mro(member):
        if isinstance(base, ClassType):
            scope = inference.class_scope(base)
            if scope is None:
                return None
            key = scope.methods.get(method)
            if key is not None:
                return function_kind(FunctionType(base.path, key), inference) if complete else None
            if method in scope.bindings:
                return None
        elif base is None or base.qualified not in NEUTRAL_BASES:
            complete = False
    return None if complete else False


def function_kind(function: FunctionType, inference: TypeInference) -> CallKind | None:
    """Coroutine, async iterator (async generator) or plain; None when a decorator may change
    that, or when the body is a stub meant to be overridden."""
    scope = inference.function_scope(function)
    if scope is None:
        return None
    outer = Place(function.path, scope.parent or "")
    for decorator in scope.decorators:
        target = decorator.func if isinstance(decorator, Call) else decorator
        if inference.qualified_name(target, outer) not in RESULT_KEEPING_DECORATORS:
            return None
    if not scope.is_async:
        return CallKind.PLAIN
    if scope.is_stub:
        return None
    return CallKind.ASYNC_ITERATOR if scope.is_generator else CallKind.COROUTINE


def _versioned_kind(call: Call, awaited_when: AwaitedWhen) -> CallKind | None:
    """`astream_events` streams for v1/v2 and returns an awaitable for v3; an unknown version
    could be either."""
    for keyword in call.keywords:
        if keyword.name == awaited_when.keyword:
            if isinstance(keyword.value, Constant) and isinstance(keyword.value.value, str):
                return CallKind.COROUTINE if keyword.value.value == awaited_when.value else CallKind.ASYNC_ITERATOR
            return None
        if keyword.name is None:
            return None
    return CallKind.ASYNC_ITERATOR


def _is_project_object(value: Type | None) -> bool:
    return isinstance(value, ClassType) or (isinstance(value, Instance) and isinstance(value.of, ClassType))


def is_project_receiver(expr: cst.BaseExpression, ctx: ModuleWalker) -> bool:
    """Whether `expr` holds a project class or one of its instances."""
    return _is_project_object(ctx.type_of(expr))


# --- where a value was made ---


def value_origin(expr: cst.BaseExpression, ctx: ModuleWalker) -> tuple[cst.Call, CallKind] | None:
    """The call that made the value, when what it returns is known: the expression itself, the
    one call a local name is bound to, or the one call assigned to `self.<attr>` in the class's
    methods. The kind comes from the model; the call's node is looked up only then (for the
    message and the fix)."""
    inference = ctx.inference
    if isinstance(expr, cst.Call):
        converted = ctx.expression(expr)
        assert isinstance(converted, Call)
        kind = call_kind(converted, ctx.place, inference)
        return (expr, kind) if kind is not None else None
    if isinstance(expr, cst.Name):
        found = ctx.bindings(expr.value)
        function = ctx.function
        if found is None or function is None or function.kind is not FrameKind.FUNCTION or found[0].key != function.key:
            return None
        bindings = found[1]
        if len(bindings) != 1 or bindings[0].kind is not BindingKind.ASSIGNMENT or not isinstance(bindings[0].value, Call):
            return None
        kind = call_kind(bindings[0].value, Place(ctx.path, found[0].key), inference)
        node = _assigned_call(function.node, expr.value) if kind is not None else None
        return (node, kind) if node is not None and kind is not None else None
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
        owner = ctx.type_of(expr.value)
        if not isinstance(owner, Instance) or not isinstance(owner.of, ClassType) or owner.of.path != ctx.path:
            return None
        scope = inference.class_scope(owner.of)
        if not isinstance(scope, ClassScope):
            return None
        sites = scope.attributes.get(expr.attr.value, [])
        if len(sites) != 1 or not isinstance(sites[0].value, Call) or expr.attr.value in scope.bindings:
            return None
        kind = call_kind(sites[0].value, Place(ctx.path, sites[0].scope), inference)
        if kind is None:
            return None
        class_node = next((n for n in reversed(ctx.ancestors) if isinstance(n, cst.ClassDef) and n.name.value == scope.name), None)
        node = _assigned_attribute_call(class_node, expr.attr.value) if class_node is not None else None
        return (node, kind) if node is not None else None
    return None


def _assigned_call(function: cst.CSTNode, name: str) -> cst.Call | None:
    """The call assigned to `name` in a function body (the model has shown there is one)."""
    found: list[cst.Call] = []

    class Finder(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if isinstance(node.value, cst.Call) and any(isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets):
                found.append(node.value)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            if isinstance(node.value, cst.Call) and isinstance(node.target, cst.Name) and node.target.value == name:
                found.append(node.value)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is function

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

    traversal.visit(function, Finder())
    return found[0] if len(found) == 1 else None


def _assigned_attribute_call(class_node: cst.ClassDef, attribute: str) -> cst.Call | None:
    found: list[cst.Call] = []

    class Finder(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                t = target.target
                if isinstance(t, cst.Attribute) and t.attr.value == attribute and isinstance(t.value, cst.Name) and isinstance(node.value, cst.Call):
                    found.append(node.value)

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return node is class_node

    traversal.visit(class_node, Finder())
    return found[0] if len(found) == 1 else None
