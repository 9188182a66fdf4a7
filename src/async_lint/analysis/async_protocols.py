"""What a call returns as far as `await`, `for`/`async for` and `with`/`async with` go: a
coroutine, an async iterator, a plain generator; an async-only or sync-only context manager.

Three sources answer, most specific first: this module's own definitions (its async generators,
coroutine functions, `@asynccontextmanager` factories, classes with only `__aenter__`), then the
project (`callable_kind_of` / `context_kind_of`, keyed by qualified name: the hook where the
project index plugs in), then the knowledge base (method names and library factories).
Anything else is unknown, and unknown means silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.names import dotted_name
from async_lint.analysis.scopes import Binding, BindingKind, Scope, ScopeKind
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.async_protocols import (
    ASYNC_CONTEXT_MANAGERS,
    ASYNC_ITERATOR_METHODS,
    AWAITED_EVENTS_VERSION,
    CLIENT_STREAM_HELPERS,
    CONTEXT_MANAGER_CLASSES,
    CONTEXT_MANAGER_DECORATORS,
    COROUTINE_FUNCTIONS,
    COROUTINE_METHODS,
    SYNC_CONTEXT_MANAGERS,
    CallKind,
    ContextKind,
)

_NEUTRAL_DECORATORS = frozenset(
    {"builtins.staticmethod", "builtins.classmethod", "typing.final", "typing.override", "typing_extensions.override"}
)
"""Decorators that leave what calling the function returns as its `def` says."""
_NEUTRAL_BASES = frozenset({"object", "ABC", "abc.ABC", "Generic", "typing.Generic"})
"""Bases (as spelled) that add no methods that matter here: a class with only these is fully known."""


@dataclass
class ModuleProtocols:
    """The functions and classes one module defines at module level and in its classes, by
    their dotted path in the module (`stream_rows`, `Agent.astream`), and (on demand) what the
    class's methods assign to `self.<attr>`."""

    functions: dict[str, cst.FunctionDef] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    """Paths defined twice (in two branches of an `if`, say): unknown."""
    classes: dict[str, cst.ClassDef] = field(default_factory=dict)
    attributes: dict[tuple[str, str], list[cst.BaseExpression]] = field(default_factory=dict)
    _attributes_read: set[str] = field(default_factory=set)
    yields: dict[cst.FunctionDef, bool] = field(default_factory=dict)
    """Whether an `async def` has a `yield` (an async generator), once known."""

    @classmethod
    def of(cls, module: cst.Module) -> ModuleProtocols:
        facts = cls()
        facts._collect(module.body, "")
        return facts

    def _collect(self, body: tuple[cst.BaseStatement, ...] | list[cst.BaseStatement], prefix: str) -> None:
        for statement in body:
            if isinstance(statement, cst.FunctionDef):
                path = prefix + statement.name.value
                if path in self.functions or path in self.ambiguous:
                    self.functions.pop(path, None)
                    self.ambiguous.add(path)
                else:
                    self.functions[path] = statement
            elif isinstance(statement, cst.ClassDef):
                path = prefix + statement.name.value
                self.classes[path] = statement
                if isinstance(statement.body, cst.IndentedBlock):
                    self._collect(statement.body.body, path + ".")

    def attribute_values(self, class_path: str, attribute: str) -> list[cst.BaseExpression]:
        """Every value assigned to `self.<attribute>` in the class's own methods (computed per
        class on first use: it reads all their bodies)."""
        if class_path not in self._attributes_read:
            self._attributes_read.add(class_path)
            prefix = class_path + "."
            for path, method in self.functions.items():
                if path.startswith(prefix) and "." not in path[len(prefix) :]:
                    self._collect_attributes(method, class_path)
        return self.attributes.get((class_path, attribute), [])

    def _collect_attributes(self, method: cst.FunctionDef, class_path: str) -> None:
        params = method.params.params
        if not params:
            return
        self_name = params[0].name.value
        for assign in _assignments(method.body):
            for target in assign.targets:
                attribute = target.target
                if isinstance(attribute, cst.Attribute) and isinstance(attribute.value, cst.Name) and attribute.value.value == self_name:
                    self.attributes.setdefault((class_path, attribute.attr.value), []).append(assign.value)

    def method(self, class_path: str, name: str) -> tuple[cst.FunctionDef | None, bool]:
        """The method `name` as the class or its in-module bases define it, and whether every
        class searched before it was fully known (bases in this module or neutral): a miss is
        then a real miss, and a hit is not shadowed by a base from elsewhere."""
        seen: set[str] = set()
        pending = [class_path]
        complete = True
        while pending:
            current = pending.pop(0)
            if current in seen:
                continue
            seen.add(current)
            path = f"{current}.{name}"
            if path in self.functions:
                return self.functions[path], complete
            if path in self.ambiguous:
                return None, False
            class_node = self.classes.get(current)
            if class_node is None:
                return None, False
            for base in class_node.bases:
                if base.keyword is not None:
                    continue
                base_expr = base.value.value if isinstance(base.value, cst.Subscript) else base.value
                base_name = dotted_name(base_expr)
                if base_name in self.classes:
                    pending.append(base_name)
                elif base_name not in _NEUTRAL_BASES:
                    complete = False
        return None, complete


def _assignments(body: cst.BaseSuite) -> Iterator[cst.Assign]:
    """The assignment statements of a body and of the blocks nested in it (not in nested
    functions or classes). Statements only, no expressions: cheap."""
    statements = body.body if isinstance(body, cst.IndentedBlock) else (body,)
    for statement in statements:
        if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            yield from (small for small in statement.body if isinstance(small, cst.Assign))
        elif isinstance(statement, (cst.If, cst.For, cst.While, cst.With, cst.Try, cst.TryStar)):
            yield from _assignments(statement.body)
            for block in _nested_blocks(statement):
                yield from _assignments(block)


def _nested_blocks(statement: cst.BaseCompoundStatement) -> Iterator[cst.BaseSuite]:
    """The `else`/`elif`/`except`/`finally` blocks of a compound statement."""
    orelse = getattr(statement, "orelse", None)
    while isinstance(orelse, cst.If):
        yield orelse.body
        orelse = orelse.orelse
    if orelse is not None:
        yield orelse.body
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    finalbody = getattr(statement, "finalbody", None)
    if finalbody is not None:
        yield finalbody.body


def module_protocols(ctx: ModuleWalker) -> ModuleProtocols:
    facts = ctx.memo.get("async_protocols")
    if facts is None:
        facts = ModuleProtocols.of(ctx.module)
        ctx.memo["async_protocols"] = facts
    return facts  # type: ignore[return-value]


# --- the project hook: questions asked by qualified name ---


def callable_kind_of(ctx: ModuleWalker, qualified_name: str) -> CallKind | None:
    """What calling the project function `qualified_name` returns. This module's own
    definitions answer here; the project index answers the same question for every module
    (until it is wired in, names defined elsewhere in the project stay unknown)."""
    local = _local_path(ctx, qualified_name)
    if local is None:
        return None
    function = module_protocols(ctx).functions.get(local)
    if function is None:
        return None
    return function_kind(function, ctx)


def context_kind_of(ctx: ModuleWalker, qualified_name: str) -> ContextKind | None:
    """Whether what `qualified_name(...)` returns supports only `async with` or only `with`:
    a project class with only `__aenter__` (or only `__enter__`), or a function decorated
    with `@asynccontextmanager` (`@contextmanager`). Same hook as `callable_kind_of`."""
    local = _local_path(ctx, qualified_name)
    if local is None:
        return None
    facts = module_protocols(ctx)
    if local in facts.classes:
        return class_context_kind(facts, local)
    function = facts.functions.get(local)
    if function is None:
        return None
    return decorated_context_kind(function, ctx)


def _local_path(ctx: ModuleWalker, qualified_name: str) -> str | None:
    if ctx.module_name is None:
        return qualified_name
    prefix = ctx.module_name + "."
    return qualified_name[len(prefix) :] if qualified_name.startswith(prefix) else None


def _qualified(ctx: ModuleWalker, local_path: str) -> str:
    return f"{ctx.module_name}.{local_path}" if ctx.module_name else local_path


# --- kinds of definitions ---


def function_kind(function: cst.FunctionDef, ctx: ModuleWalker) -> CallKind | None:
    """Coroutine, async iterator (async generator) or plain; None when a decorator may change
    that, or when the body is a stub meant to be overridden."""
    for decorator in function.decorators:
        if ctx.resolve(_decorator_callee(decorator.decorator)) not in _NEUTRAL_DECORATORS:
            return None
    if function.asynchronous is None:
        return CallKind.PLAIN
    if _is_stub(function.body):
        return None
    yields = module_protocols(ctx).yields.get(function)
    if yields is None:
        # A traversal of the whole body: done once per `async def`, and only for those called
        # where the kind matters (`for`, `await`, `async for`).
        yields = _contains_yield(function.body)
        module_protocols(ctx).yields[function] = yields
    return CallKind.ASYNC_ITERATOR if yields else CallKind.COROUTINE


def decorated_context_kind(function: cst.FunctionDef, ctx: ModuleWalker) -> ContextKind | None:
    if len(function.decorators) != 1:
        return None
    return CONTEXT_MANAGER_DECORATORS.get(ctx.resolve(function.decorators[0].decorator) or "")


def class_context_kind(facts: ModuleProtocols, class_path: str) -> ContextKind | None:
    aenter, complete = facts.method(class_path, "__aenter__")
    enter, _ = facts.method(class_path, "__enter__")
    if not complete:
        return None
    if aenter is not None and enter is None:
        return ContextKind.ASYNC
    if enter is not None and aenter is None:
        return ContextKind.SYNC
    return None


def _decorator_callee(expr: cst.BaseExpression) -> cst.BaseExpression:
    return expr.func if isinstance(expr, cst.Call) else expr


def _is_stub(body: cst.BaseSuite) -> bool:
    """`...`, `pass`, a docstring, or `raise NotImplementedError`: a body to be overridden."""
    statements = body.body if isinstance(body, cst.IndentedBlock) else (body,)
    for statement in statements:
        smalls = statement.body if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) else None
        if smalls is None:
            return False
        for small in smalls:
            if isinstance(small, cst.Pass):
                continue
            if isinstance(small, cst.Expr) and isinstance(small.value, (cst.Ellipsis, cst.SimpleString, cst.ConcatenatedString)):
                continue
            if isinstance(small, cst.Raise) and small.exc is not None:
                raised = small.exc.func if isinstance(small.exc, cst.Call) else small.exc
                if isinstance(raised, cst.Name) and raised.value == "NotImplementedError":
                    continue
            return False
    return True


def _contains_yield(body: cst.BaseSuite) -> bool:
    class Finder(cst.CSTVisitor):
        found = False

        def visit_Yield(self, node: cst.Yield) -> bool:
            self.found = True
            return False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

    finder = Finder()
    traversal.visit(body, finder)
    return finder.found


# --- what an expression is ---


def call_kind(call: cst.Call, ctx: ModuleWalker) -> CallKind | None:
    """What this call returns, when the module, the project or the knowledge base knows."""
    func = call.func
    if isinstance(func, cst.Name):
        return _name_call_kind(func.value, ctx)
    if not isinstance(func, cst.Attribute):
        return None
    method = func.attr.value
    class_path = receiver_class(func.value, ctx)
    if class_path is not None:
        found, complete = module_protocols(ctx).method(class_path, method)
        if complete:
            return None if found is None else function_kind(found, ctx)
        if found is not None:
            return None  # a base from elsewhere comes first in the MRO and may define it
    qualified = ctx.resolve(func)
    if qualified is not None:
        if qualified in COROUTINE_FUNCTIONS:
            return CallKind.COROUTINE
        project = callable_kind_of(ctx, qualified)
        if project is not None:
            return project
    if method in ASYNC_ITERATOR_METHODS:
        if method == "astream_events":
            return _events_kind(call)
        return CallKind.ASYNC_ITERATOR
    if method in COROUTINE_METHODS:
        return CallKind.COROUTINE
    return None


def _name_call_kind(name: str, ctx: ModuleWalker) -> CallKind | None:
    binding = ctx.lookup(name)
    if binding is None:
        # Not bound yet where we stand: a module-level function defined further down.
        function = module_protocols(ctx).functions.get(name)
        if function is None or ctx.resolve_name(name) is not None:
            return None
        return function_kind(function, ctx)
    if binding.kind is BindingKind.FUNCTION and isinstance(binding.node, cst.FunctionDef):
        return function_kind(binding.node, ctx)
    if binding.kind is BindingKind.IMPORT and binding.qualified_name is not None:
        if binding.qualified_name in COROUTINE_FUNCTIONS:
            return CallKind.COROUTINE
        return callable_kind_of(ctx, binding.qualified_name)
    return None


def _events_kind(call: cst.Call) -> CallKind | None:
    """`astream_events` streams for v1/v2 and returns an awaitable for v3; an unknown version
    could be either."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "version":
            if isinstance(arg.value, cst.SimpleString):
                return CallKind.COROUTINE if arg.value.evaluated_value == AWAITED_EVENTS_VERSION else CallKind.ASYNC_ITERATOR
            return None
        if arg.star:
            return None
    return CallKind.ASYNC_ITERATOR


def receiver_class(expr: cst.BaseExpression, ctx: ModuleWalker) -> str | None:
    """The in-module class whose instance `expr` is: `self`/`cls` in a method, a name bound to
    `Cls(...)`, `Cls(...)` itself. None when unknown."""
    if isinstance(expr, cst.Name):
        owner = _method_owner(expr.value, ctx)
        if owner is not None:
            return owner
    origin = value_origin(expr, ctx)
    if origin is None:
        return None
    return _class_path(origin.func, ctx)


def _class_path(func: cst.BaseExpression, ctx: ModuleWalker) -> str | None:
    if isinstance(func, cst.Name):
        binding = ctx.lookup(func.value)
        facts = module_protocols(ctx)
        if binding is not None and binding.kind is BindingKind.CLASS and binding.node is facts.classes.get(func.value):
            return func.value
        if binding is None and func.value in facts.classes and ctx.resolve_name(func.value) is None:
            return func.value
    return None


def _method_owner(name: str, ctx: ModuleWalker) -> str | None:
    """The class path when `name` is the first parameter of a method (not a staticmethod)."""
    scope: Scope | None = ctx.scope
    while scope is not None and name not in scope.bindings:
        scope = scope.parent
    if scope is None or scope.kind is not ScopeKind.FUNCTION or scope.parent is None or scope.parent.kind is not ScopeKind.CLASS:
        return None
    binding = scope.bindings[name]
    function = scope.node
    if binding.kind is not BindingKind.PARAMETER or not isinstance(function, cst.FunctionDef):
        return None
    params = function.params.params
    if not params or params[0].name.value != name:
        return None
    if any(ctx.resolve(_decorator_callee(d.decorator)) == "builtins.staticmethod" for d in function.decorators):
        return None
    path = scope.parent.qualname
    return path if path in module_protocols(ctx).classes else None


def value_origin(expr: cst.BaseExpression, ctx: ModuleWalker) -> cst.Call | None:
    """The call that made the value: the expression itself, the call a name was last bound to,
    or the one call assigned to `self.<attr>` in the class's methods."""
    if isinstance(expr, cst.Call):
        return expr
    if isinstance(expr, cst.Name):
        binding: Binding | None = ctx.lookup(expr.value)
        if binding is not None and binding.kind is BindingKind.ASSIGNMENT and isinstance(binding.value, cst.Call):
            return binding.value
        return None
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
        owner = _method_owner(expr.value.value, ctx)
        if owner is None:
            return None
        values = module_protocols(ctx).attribute_values(owner, expr.attr.value)
        if len(values) == 1 and isinstance(values[0], cst.Call):
            return values[0]
    return None


def annotated_type(expr: cst.BaseExpression, ctx: ModuleWalker) -> str | None:
    """The qualified class a parameter is annotated with (`client: httpx.AsyncClient`)."""
    if not isinstance(expr, cst.Name):
        return None
    binding = ctx.lookup(expr.value)
    if binding is None or binding.kind is not BindingKind.PARAMETER or not isinstance(binding.node, cst.Param):
        return None
    annotation = binding.node.annotation
    return None if annotation is None else ctx.resolve(annotation.annotation)


def context_kind(expr: cst.BaseExpression, ctx: ModuleWalker) -> ContextKind | None:
    """Whether the object `expr` stands for supports only `async with` or only `with`."""
    origin = value_origin(expr, ctx)
    if origin is None:
        annotated = annotated_type(expr, ctx)
        return None if annotated is None else _class_context_kind(annotated)
    qualified = ctx.resolve(origin.func)
    if qualified is not None:
        if qualified in ASYNC_CONTEXT_MANAGERS:
            return ContextKind.ASYNC
        if qualified in SYNC_CONTEXT_MANAGERS:
            return ContextKind.SYNC
        project = context_kind_of(ctx, qualified)
        if project is not None:
            return project
    helper = _stream_helper_kind(origin.func, ctx)
    if helper is not None:
        return helper
    if isinstance(origin.func, cst.Name):
        binding = ctx.lookup(origin.func.value)
        if binding is not None and binding.kind is BindingKind.FUNCTION and isinstance(binding.node, cst.FunctionDef):
            return decorated_context_kind(binding.node, ctx)
        class_path = _class_path(origin.func, ctx)
        if class_path is not None:
            return class_context_kind(module_protocols(ctx), class_path)
        if binding is None:
            return context_kind_of(ctx, _qualified(ctx, origin.func.value))
    return None


def _stream_helper_kind(func: cst.BaseExpression, ctx: ModuleWalker) -> ContextKind | None:
    """`client.stream(...)`, `client.messages.stream(...)`... on a known SDK client."""
    path: list[str] = []
    receiver = func
    while isinstance(receiver, cst.Attribute) and len(path) < 4:
        path.insert(0, receiver.attr.value)
        receiver = receiver.value
        origin = value_origin(receiver, ctx)
        client = annotated_type(receiver, ctx) if origin is None else ctx.resolve(origin.func)
        helper = CLIENT_STREAM_HELPERS.get(client or "")
        if helper is not None and ".".join(path) in helper[1]:
            return helper[0]
    return None


def _class_context_kind(class_name: str) -> ContextKind | None:
    """For an instance of a library class (not the result of a factory function)."""
    if class_name in ASYNC_CONTEXT_MANAGERS and class_name in CONTEXT_MANAGER_CLASSES:
        return ContextKind.ASYNC
    if class_name in SYNC_CONTEXT_MANAGERS and class_name in CONTEXT_MANAGER_CLASSES:
        return ContextKind.SYNC
    return None


def sync_counterpart(expr: cst.BaseExpression, ctx: ModuleWalker) -> str | None:
    """For a sync-only context manager from the knowledge base, its async counterpart."""
    origin = value_origin(expr, ctx)
    if origin is None:
        return None
    return SYNC_CONTEXT_MANAGERS.get(ctx.resolve(origin.func) or "")


def in_async_body(ctx: ModuleWalker) -> bool:
    """Whether a statement here runs directly in an `async def` body, where `async for` and
    `async with` are allowed."""
    return ctx.scope.kind is ScopeKind.FUNCTION and ctx.scope.is_async
