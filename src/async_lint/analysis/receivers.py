"""Receiver inference: which LangChain/LangGraph/LLM-SDK object an expression holds.

No type checker: a name is proven to hold, say, a compiled graph when it was assigned from a
known constructor or factory (through imports), an LCEL pipe, a builder method of a proven
Runnable, a parameter or attribute annotation, or a project function of this module whose
return value is such an object. `self.x` counts every `self.x = ...` in the class. Where the
proof fails the answer is None, and the rules stay silent.

For graphs the result also carries what decides ASL402-ASL405: the checkpointer/store it was
compiled with, its `async def` nodes, and the async-only tools it runs.

Cross-module factories (`from app.graph import build_graph`) come from the project index: it
sets `project_objects` on the walker, a function from a qualified name of another project module
(a module-level object, or a function) to the `ObjectInfo` it holds or returns (`ObjectInfo` and
`Saver` are plain frozen data, so an index can compute and cache them per module).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import libcst as cst

from async_lint.analysis.names import attribute_chain, imported_names
from async_lint.analysis.scopes import Binding, BindingKind, Scope, ScopeKind
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.langchain import (
    ASYNC_ONLY_TOOL_FACTORIES,
    CLASS_FACTORIES,
    ENTRYPOINT_DECORATORS,
    MCP_TOOL_METHODS,
    RUNNABLE_BUILDERS,
    RUNNABLE_DECORATORS,
    SAME_OBJECT_METHODS,
    TOOL_CLASSES,
    TOOL_DECORATORS,
    TOOL_RUNNERS,
    Factory,
    Kind,
    Mode,
    factory_for,
    short_name,
)

_MAX_DEPTH = 16

_RUNNABLE_KINDS = frozenset(
    {Kind.RUNNABLE, Kind.PROMPT, Kind.CHAT_MODEL, Kind.RETRIEVER, Kind.TOOL, Kind.CHAIN, Kind.COMPILED_GRAPH}
)


@dataclass(frozen=True)
class Saver:
    """A checkpointer or store a graph was compiled with that serves only one half of the API."""

    name: str
    mode: Mode
    async_replacement: str | None = None


@dataclass(frozen=True)
class ObjectInfo:
    kind: Kind
    origin: str
    """What proves it, for messages: `ChatOpenAI`, `StateGraph.compile()`."""
    async_replacement: str | None = None
    """For sync SDK clients and one-way savers: what to use instead."""
    savers: tuple[Saver, ...] = ()
    """For graphs: one-way checkpointers/stores it was compiled with."""
    async_nodes: tuple[str, ...] = ()
    """For graphs and builders: names of `async def` nodes (or the async `@entrypoint`)."""
    async_only_tools: tuple[str, ...] = ()
    """For graphs, agents, tool lists and tools: the async-only tools they run."""
    in_memory: bool = False
    """For checkpointers and stores that do no I/O (`InMemorySaver`)."""


@dataclass(frozen=True)
class Definition:
    """What a name stands for in some environment."""

    kind: BindingKind
    node: cst.CSTNode
    env: Env
    qualified_name: str | None = None
    values: tuple[cst.BaseExpression, ...] = ()
    """For assignments: the assigned expressions (the live walk knows only the latest)."""


class Env:
    """Names visible in one function or module body: the live walk's scopes at the current
    position, or a scan of a body the walk has already left (or not reached)."""

    def __init__(self, inference: ReceiverInference, parent: Env | None) -> None:
        self.inference = inference
        self.parent = parent

    def lookup(self, name: str) -> Definition | None:
        raise NotImplementedError

    def body_node(self, name: str) -> cst.CSTNode | None:
        """The function or module whose body binds `name` (to scan it for builder calls)."""
        raise NotImplementedError

    def method_class(self, name: str) -> cst.ClassDef | None:
        """The class whose method has `name` as its first parameter (`self`), if any."""
        raise NotImplementedError


class LiveEnv(Env):
    def __init__(self, inference: ReceiverInference, ctx: ModuleWalker) -> None:
        super().__init__(inference, inference.module_env)
        self.ctx = ctx

    def lookup(self, name: str) -> Definition | None:
        binding = self.ctx.lookup(name)
        if binding is None:
            return self.inference.module_env.lookup(name)
        return _definition(binding, self)

    def _owner(self, name: str) -> Scope | None:
        scope: Scope | None = self.ctx.scope
        while scope is not None:
            if name in scope.bindings:
                return scope
            scope = scope.parent
        return None

    def body_node(self, name: str) -> cst.CSTNode | None:
        owner = self._owner(name)
        if owner is None:
            return self.inference.module
        return owner.node

    def method_class(self, name: str) -> cst.ClassDef | None:
        owner = self._owner(name)
        if owner is None or owner.kind is not ScopeKind.FUNCTION or owner.parent is None:
            return None
        if owner.parent.kind is not ScopeKind.CLASS or not isinstance(owner.node, cst.FunctionDef):
            return None
        if _first_parameter(owner.node) != name or _is_static(owner.node):
            return None
        return owner.parent.node if isinstance(owner.parent.node, cst.ClassDef) else None


class BodyEnv(Env):
    """The names a function or module body binds, found by scanning it (not its nested
    functions and classes, which have bodies of their own)."""

    def __init__(self, inference: ReceiverInference, node: cst.Module | cst.FunctionDef, parent: Env | None, owner_class: cst.ClassDef | None = None) -> None:
        super().__init__(inference, parent)
        self.node = node
        self.owner_class = owner_class
        self.definitions: dict[str, Definition] = {}
        self.annotations: dict[str, cst.BaseExpression] = {}
        """`x: T = value`: the annotation of an assigned name."""
        self.calls: list[cst.Call] = []
        """Calls made as statements (`builder.add_node(...)`)."""
        if isinstance(node, cst.FunctionDef):
            for param in _parameters(node.params):
                self.definitions[param.name.value] = Definition(BindingKind.PARAMETER, param, self)
            statements = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        else:
            statements = node.body
        _scan_body(self, statements, inference)

    def lookup(self, name: str) -> Definition | None:
        found = self.definitions.get(name)
        if found is not None:
            return found
        return self.parent.lookup(name) if self.parent is not None else None

    def body_node(self, name: str) -> cst.CSTNode | None:
        if name in self.definitions:
            return self.node
        return self.parent.body_node(name) if self.parent is not None else None

    def method_class(self, name: str) -> cst.ClassDef | None:
        if self.owner_class is None or not isinstance(self.node, cst.FunctionDef):
            return None
        if _first_parameter(self.node) == name and not _is_static(self.node):
            return self.owner_class
        return None


def _statements(statements: Iterable[cst.CSTNode]) -> Iterator[cst.CSTNode]:
    """The small statements of a body (`Assign`, `Expr`, `Return`...), through `if`/`for`/
    `with`/`try` blocks, plus each `with` statement and nested `def`/`class` itself (whose
    bodies are not entered). Statement-level only: far cheaper than visiting every node."""
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
            continue
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            yield statement
            continue
        if isinstance(statement, cst.With):
            yield statement
        for suite in _suites(statement):
            yield from _statements(suite)


def _suites(node: cst.CSTNode) -> Iterator[Sequence[cst.CSTNode]]:
    for attribute in ("body", "orelse", "finalbody"):
        part = getattr(node, attribute, None)
        if isinstance(part, cst.IndentedBlock):
            yield part.body
        elif isinstance(part, cst.SimpleStatementSuite):
            yield [cst.SimpleStatementLine(body=part.body)]
        elif isinstance(part, (cst.If, cst.Else, cst.Finally)):
            yield from _suites(part)
    for handler in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
        yield from _suites(handler)


def _scan_body(env: BodyEnv, statements: Iterable[cst.CSTNode], inference: ReceiverInference) -> None:
    definitions = env.definitions

    def assign(target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            previous = definitions.get(target.value)
            values = previous.values if previous is not None and previous.kind is BindingKind.ASSIGNMENT else ()
            if value is not None:
                values = (*values, value)
            definitions[target.value] = Definition(BindingKind.ASSIGNMENT, target, env, values=values)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                assign(element.value, None)

    for small in _statements(statements):
        if isinstance(small, cst.FunctionDef):
            definitions[small.name.value] = Definition(BindingKind.FUNCTION, small, env)
        elif isinstance(small, cst.ClassDef):
            definitions[small.name.value] = Definition(BindingKind.CLASS, small, env)
        elif isinstance(small, cst.Assign):
            for target in small.targets:
                assign(target.target, small.value)
        elif isinstance(small, cst.AnnAssign):
            if small.value is not None:
                assign(small.target, small.value)
                if isinstance(small.target, cst.Name):
                    env.annotations[small.target.value] = small.annotation.annotation
            elif isinstance(small.target, cst.Name):
                definitions[small.target.value] = Definition(BindingKind.PARAMETER, small, env)
        elif isinstance(small, cst.With):
            for item in small.items:
                if item.asname is not None:
                    assign(item.asname.name, item.item)
        elif isinstance(small, (cst.Import, cst.ImportFrom)):
            for local, qualified in imported_names(small, inference.ctx.module_name, inference.ctx.is_package):
                definitions[local] = Definition(BindingKind.IMPORT, small, env, qualified_name=qualified)
        elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            env.calls.append(small.value)


def _definition(binding: Binding, env: Env) -> Definition:
    values = (binding.value,) if binding.value is not None else ()
    return Definition(binding.kind, binding.node, env, binding.qualified_name, values)


def _parameters(params: cst.Parameters) -> Iterator[cst.Param]:
    yield from (*params.posonly_params, *params.params, *params.kwonly_params)
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            yield star


def _first_parameter(function: cst.FunctionDef) -> str | None:
    params = (*function.params.posonly_params, *function.params.params)
    return params[0].name.value if params else None


def _is_static(function: cst.FunctionDef) -> bool:
    return any(isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod" for d in function.decorators)


def _argument(call: cst.Call, position: int | None, keyword: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if position is not None and position < len(positional):
        return positional[position].value
    return None


def _merge(*infos: ObjectInfo | None) -> dict[str, tuple]:  # type: ignore[type-arg]
    """The graph facts of several objects together (a builder's nodes, a saver, tools)."""
    savers: list[Saver] = []
    nodes: list[str] = []
    tools: list[str] = []
    for info in infos:
        if info is None:
            continue
        savers += [s for s in info.savers if s not in savers]
        nodes += [n for n in info.async_nodes if n not in nodes]
        tools += [t for t in info.async_only_tools if t not in tools]
    return {"savers": tuple(savers), "async_nodes": tuple(nodes), "async_only_tools": tuple(tools)}


ProjectObjects = Callable[[str], ObjectInfo | None]
"""The project index's hook: what another project module's object or function (by qualified
name) holds or returns."""


def _nothing_known(qualified: str) -> ObjectInfo | None:
    return None


class ReceiverInference:
    """Receiver facts for one module, computed on demand and memoised per expression node."""

    def __init__(self, ctx: ModuleWalker, project_objects: ProjectObjects | None = None) -> None:
        self.ctx = ctx
        self.project_objects: ProjectObjects = project_objects or _nothing_known
        self.module = ctx.module
        self._cache: dict[int, ObjectInfo | None] = {}
        self._bodies: dict[int, BodyEnv] = {}
        self._class_attributes: dict[int, dict[str, list[tuple[cst.BaseExpression, Env, bool]]]] = {}
        self._in_progress: set[int] = set()
        self.call_findings: dict[int, object] = {}
        """The rules' classification of each call, memoised (several rules ask)."""
        self.module_env = BodyEnv(self, self.module, None)

    # --- entry points ---

    def infer(self, expr: cst.BaseExpression) -> ObjectInfo | None:
        """What `expr`, at the walker's current position, holds."""
        return self._infer(expr, LiveEnv(self, self.ctx), 0)

    def qualified(self, expr: cst.BaseExpression) -> str | None:
        return self._qualified(expr, LiveEnv(self, self.ctx))

    def is_project_object(self, expr: cst.BaseExpression) -> bool:
        """Whether `expr` is shown to be something else: `self`, or an instance of a project
        class (assigned from `MyStore()`, or annotated `store: MyStore`) that is not a LangChain
        subclass."""
        return self._project_instance(expr, LiveEnv(self, self.ctx), 0)

    def _project_instance(self, expr: cst.BaseExpression, env: Env, depth: int) -> bool:
        if depth > 4:
            return False
        if isinstance(expr, cst.Call):
            return self._project_class(expr.func, env) is not None
        if isinstance(expr, cst.Name):
            if env.method_class(expr.value) is not None:
                return True
            definition = env.lookup(expr.value)
            if definition is None:
                return False
            if definition.kind is BindingKind.ASSIGNMENT:
                return any(self._project_instance(v, definition.env, depth + 1) for v in definition.values)
            annotation = getattr(definition.node, "annotation", None)
            if definition.kind is BindingKind.PARAMETER and isinstance(annotation, cst.Annotation):
                return self._project_class(annotation.annotation, definition.env) is not None
            return False
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
            owner = env.method_class(expr.value.value)
            if owner is not None:
                for value, value_env, is_annotation in self._attributes_of(owner).get(expr.attr.value, ()):
                    if is_annotation and self._project_class(value, value_env) is not None:
                        return True
                    if not is_annotation and self._project_instance(value, value_env, depth + 1):
                        return True
        return False

    # --- inference ---

    def _infer(self, expr: cst.BaseExpression, env: Env, depth: int) -> ObjectInfo | None:
        if depth > _MAX_DEPTH:
            return None
        key = id(expr)
        live = isinstance(env, LiveEnv)
        if live and key in self._cache:
            return self._cache[key]
        if key in self._in_progress:
            return None
        self._in_progress.add(key)
        try:
            found = self._infer_uncached(expr, env, depth + 1)
        finally:
            self._in_progress.discard(key)
        if live:
            self._cache[key] = found
        return found

    def _infer_uncached(self, expr: cst.BaseExpression, env: Env, depth: int) -> ObjectInfo | None:
        if isinstance(expr, cst.Name):
            return self._infer_name(expr.value, env, depth)
        if isinstance(expr, cst.Attribute):
            return self._infer_attribute(expr, env, depth)
        if isinstance(expr, cst.Call):
            return self._infer_call(expr, env, depth)
        if isinstance(expr, cst.Await):
            return self._infer_awaited(expr.expression, env, depth)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            left = self._infer(expr.left, env, depth)
            right = self._infer(expr.right, env, depth)
            if any(side is not None and side.kind in _RUNNABLE_KINDS for side in (left, right)):
                kinds = {side.kind for side in (left, right) if side is not None}
                kind = Kind.PROMPT if kinds == {Kind.PROMPT} else Kind.RUNNABLE
                return ObjectInfo(kind, _code(self.module, expr), **_merge(left, right))
            return None
        if isinstance(expr, cst.BooleanOperation):
            return self._infer(expr.left, env, depth) or self._infer(expr.right, env, depth)
        if isinstance(expr, cst.IfExp):
            return self._infer(expr.body, env, depth) or self._infer(expr.orelse, env, depth)
        if isinstance(expr, cst.Subscript):
            container = self._infer(expr.value, env, depth)
            if container is not None and container.kind is Kind.TOOL_LIST:
                return replace(container, kind=Kind.TOOL)
        return None

    def _infer_name(self, name: str, env: Env, depth: int) -> ObjectInfo | None:
        definition = env.lookup(name)
        if definition is None:
            return None
        if definition.kind is BindingKind.IMPORT:
            # An object imported from another project module: the index knows it, if anyone.
            return self.project_objects(definition.qualified_name) if definition.qualified_name else None
        if definition.kind is BindingKind.ASSIGNMENT:
            for value in definition.values:
                if isinstance(value, cst.Name) and value.value == "None":
                    continue
                found = self._infer(value, definition.env, depth)
                if found is not None:
                    return self._with_builder_calls(found, name, value, definition.env, depth)
            annotation = self._annotation_of(name, definition.env)
            if annotation is not None:
                found = self._from_annotation(annotation, definition.env)
                return replace(found, origin=f"{name}{found.origin}") if found is not None else None
            return None
        if definition.kind is BindingKind.PARAMETER:
            annotation = getattr(definition.node, "annotation", None)
            if isinstance(annotation, cst.Annotation):
                found = self._from_annotation(annotation.annotation, definition.env)
                return replace(found, origin=f"{name}{found.origin}") if found is not None else None
            return None
        if definition.kind is BindingKind.FUNCTION and isinstance(definition.node, cst.FunctionDef):
            return self._decorated_function(definition.node, definition.env, depth)
        return None

    def _annotation_of(self, name: str, env: Env) -> cst.BaseExpression | None:
        """`x: CompiledStateGraph = request.app.state.graph`: the annotation proves `x`."""
        body = env.body_node(name)
        if not isinstance(body, (cst.Module, cst.FunctionDef)):
            return None
        return self._body_env(body, env).annotations.get(name)

    def _with_builder_calls(self, found: ObjectInfo, name: str, value: cst.BaseExpression, env: Env, depth: int) -> ObjectInfo:
        """A graph builder's `add_node` calls, made on the name anywhere in its body."""
        if found.kind is not Kind.GRAPH_BUILDER:
            return found
        body = env.body_node(name)
        if not isinstance(body, (cst.Module, cst.FunctionDef)):
            return found
        body_env = self._body_env(body, env)
        nodes: list[ObjectInfo] = [found]
        for call in body_env.calls:
            func = call.func
            if not isinstance(func, cst.Attribute) or func.attr.value != "add_node":
                continue
            if _chain_base(func.value) != name:
                continue
            nodes.append(self._node_facts(call, body_env, depth))
        return replace(found, **_merge(*nodes))

    def _node_facts(self, call: cst.Call, env: Env, depth: int) -> ObjectInfo:
        positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        action = _argument(call, None, "action")
        label: str | None = None
        if action is None and positional:
            action = positional[1] if len(positional) > 1 else positional[0]
        if positional and isinstance(positional[0], cst.SimpleString) and len(positional) > 1:
            label = positional[0].evaluated_value if isinstance(positional[0].evaluated_value, str) else None
        none = ObjectInfo(Kind.RUNNABLE, "")
        if action is None:
            return none
        function = self._function_of(action, env)
        if function is not None:
            if function.asynchronous is not None:
                return replace(none, async_nodes=(label or function.name.value,))
            return none
        info = self._infer(action, env, depth)
        return info if info is not None else none

    def _function_of(self, expr: cst.BaseExpression, env: Env) -> cst.FunctionDef | None:
        """The `def` a node action names: a function of the module, or `self.method`."""
        if isinstance(expr, cst.Name):
            definition = env.lookup(expr.value)
            node = definition.node if definition is not None and definition.kind is BindingKind.FUNCTION else None
            return node if isinstance(node, cst.FunctionDef) and not node.decorators else None
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
            owner = env.method_class(expr.value.value)
            if owner is not None:
                for statement in owner.body.body:
                    if isinstance(statement, cst.FunctionDef) and statement.name.value == expr.attr.value and not statement.decorators:
                        return statement
        return None

    def _infer_attribute(self, expr: cst.Attribute, env: Env, depth: int) -> ObjectInfo | None:
        if isinstance(expr.value, cst.Name):
            owner = env.method_class(expr.value.value)
            if owner is not None:
                return self._class_attribute(owner, expr.attr.value, depth)
        qualified = self._qualified(expr, env)
        if qualified is not None:
            return self.project_objects(qualified)
        return None

    def _class_attribute(self, owner: cst.ClassDef, attribute: str, depth: int) -> ObjectInfo | None:
        for value, env, is_annotation in self._attributes_of(owner).get(attribute, ()):
            if is_annotation:
                found = self._from_annotation(value, env)
                found = replace(found, origin=f"self.{attribute}{found.origin}") if found is not None else None
            elif isinstance(value, cst.Name) and value.value == "None":
                continue
            else:
                found = self._infer(value, env, depth)
            if found is not None:
                return found
        return None

    def _attributes_of(self, owner: cst.ClassDef) -> dict[str, list[tuple[cst.BaseExpression, Env, bool]]]:
        """`self.x = ...` in every method of the class, plus class-level `x: T` / `x = ...`."""
        cached = self._class_attributes.get(id(owner))
        if cached is not None:
            return cached
        found: dict[str, list[tuple[cst.BaseExpression, Env, bool]]] = {}
        self._class_attributes[id(owner)] = found
        for statement in owner.body.body:
            if isinstance(statement, cst.FunctionDef):
                method_env = self._body_env(statement, self.module_env, owner)
                receiver = _first_parameter(statement)
                if receiver is None or _is_static(statement):
                    continue
                _collect_attributes(statement, receiver, method_env, found)
            elif isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        found.setdefault(small.target.value, []).append((small.annotation.annotation, self.module_env, True))
                        if small.value is not None:
                            found[small.target.value].append((small.value, self.module_env, False))
                    elif isinstance(small, cst.Assign):
                        for target in small.targets:
                            if isinstance(target.target, cst.Name):
                                found.setdefault(target.target.value, []).append((small.value, self.module_env, False))
        return found

    def _body_env(self, node: cst.Module | cst.FunctionDef, parent: Env, owner_class: cst.ClassDef | None = None) -> BodyEnv:
        if isinstance(node, cst.Module):
            return self.module_env
        cached = self._bodies.get(id(node))
        if cached is None:
            if owner_class is None:
                owner_class = self._class_of_method(node)
            enclosing = parent if isinstance(parent, BodyEnv) and parent.node is not node else self.module_env
            cached = BodyEnv(self, node, enclosing, owner_class)
            self._bodies[id(node)] = cached
        return cached

    def _class_of_method(self, function: cst.FunctionDef) -> cst.ClassDef | None:
        scope: Scope | None = self.ctx.scope
        while scope is not None:
            if scope.node is function and scope.parent is not None and isinstance(scope.parent.node, cst.ClassDef):
                return scope.parent.node
            scope = scope.parent
        return None

    def _infer_call(self, call: cst.Call, env: Env, depth: int) -> ObjectInfo | None:
        func = call.func
        qualified = self._qualified(func, env)
        if qualified is not None:
            made = self._constructed(qualified, call, env, depth)
            if made is not None:
                return made
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            receiver = self._infer(func.value, env, depth)
            if receiver is not None:
                return self._method_result(receiver, method, call, env, depth)
            if method == "compile":
                # `<unknown builder>.compile(checkpointer=saver)`: the saver proves the graph.
                options = [o for o in self._compile_options(call, env, depth) if o is not None and o.kind in (Kind.CHECKPOINTER, Kind.STORE)]
                if options:
                    return ObjectInfo(Kind.COMPILED_GRAPH, f"{_code(self.module, func.value)}.compile(...)", **_merge(*options))
        project_function = self._project_function(func, env)
        if project_function is not None and project_function[0].asynchronous is None:
            return self._returned(*project_function, depth)
        project_class = self._project_class(func, env)
        if project_class is not None:
            return self._class_kind(*project_class)
        return None

    def _infer_awaited(self, expr: cst.BaseExpression, env: Env, depth: int) -> ObjectInfo | None:
        if not isinstance(expr, cst.Call):
            return None
        func = expr.func
        qualified = self._qualified(func, env)
        if qualified is not None and qualified in ASYNC_ONLY_TOOL_FACTORIES:
            return ObjectInfo(Kind.TOOL_LIST, f"await {short_name(qualified)}(...)", async_only_tools=(f"{short_name(qualified)}()",))
        if isinstance(func, cst.Attribute):
            receiver = self._infer(func.value, env, depth)
            if receiver is not None and receiver.kind is Kind.MCP_CLIENT and func.attr.value in MCP_TOOL_METHODS:
                return ObjectInfo(Kind.TOOL_LIST, f"await {_code(self.module, func)}()", async_only_tools=("MCP tools",))
            if receiver is not None and func.attr.value.startswith("afrom_") and receiver.kind is Kind.VECTOR_STORE:
                return receiver
        project_function = self._project_function(func, env)
        if project_function is not None and project_function[0].asynchronous is not None:
            return self._returned(*project_function, depth)
        return None

    def _constructed(self, qualified: str, call: cst.Call, env: Env, depth: int) -> ObjectInfo | None:
        factory = factory_for(qualified)
        name = short_name(qualified)
        if factory is None and name in CLASS_FACTORIES:
            owner = qualified.rsplit(".", 1)[0]
            factory = factory_for(owner)
            name = f"{short_name(owner)}.{name}"
        if factory is None:
            return self.project_objects(qualified)
        is_tool_class = any(qualified == c or qualified.startswith(c + ".") for c in TOOL_CLASSES)
        if factory.kind is Kind.TOOL and is_tool_class and _async_only_tool_call(call):
            return ObjectInfo(Kind.TOOL, f"{name}(coroutine=...)", async_only_tools=(_tool_label(call) or name,))
        info = _made(factory, name.split(".")[0], f"{name}(...)")
        if short_name(qualified) in TOOL_RUNNERS and factory.kind in (Kind.COMPILED_GRAPH, Kind.RUNNABLE, Kind.CHAIN):
            tools = _argument(call, TOOL_RUNNERS[short_name(qualified)], "tools")
            info = replace(info, **_merge(info, self._tools_facts(tools, env, depth)))
        if info.kind is Kind.COMPILED_GRAPH:
            info = replace(info, **_merge(info, *self._compile_options(call, env, depth)))
        return info

    def _tools_facts(self, tools: cst.BaseExpression | None, env: Env, depth: int) -> ObjectInfo | None:
        if tools is None:
            return None
        if isinstance(tools, (cst.List, cst.Tuple)):
            names: list[str] = []
            for element in tools.elements:
                found = self._infer(element.value, env, depth)
                if found is not None:
                    names += found.async_only_tools
            return ObjectInfo(Kind.TOOL_LIST, "", async_only_tools=tuple(names))
        return self._infer(tools, env, depth)

    def _compile_options(self, call: cst.Call, env: Env, depth: int) -> list[ObjectInfo | None]:
        return [self._infer(value, env, depth) for key in ("checkpointer", "store") if (value := _argument(call, None, key)) is not None]

    def _method_result(self, receiver: ObjectInfo, method: str, call: cst.Call, env: Env, depth: int) -> ObjectInfo | None:
        if receiver.kind is Kind.GRAPH_BUILDER:
            if method == "compile":
                compiled = ObjectInfo(Kind.COMPILED_GRAPH, f"{receiver.origin}.compile()", **_merge(receiver))
                return replace(compiled, **_merge(compiled, *self._compile_options(call, env, depth)))
            if method in ("add_node", "add_edge", "add_conditional_edges", "set_entry_point", "set_finish_point", "add_sequence"):
                return replace(receiver, **_merge(receiver, self._node_facts(call, env, depth) if method == "add_node" else None))
            return None
        if receiver.kind is Kind.VECTOR_STORE and method == "as_retriever":
            return ObjectInfo(Kind.RETRIEVER, f"{receiver.origin}.as_retriever()")
        if receiver.kind in _RUNNABLE_KINDS and method in RUNNABLE_BUILDERS:
            if method in SAME_OBJECT_METHODS:
                return receiver
            kind = Kind.TOOL if method == "as_tool" else Kind.RUNNABLE
            return replace(receiver, kind=kind, origin=f"{receiver.origin}.{method}(...)")
        if receiver.kind in _RUNNABLE_KINDS and method == "as_tool":
            return replace(receiver, kind=Kind.TOOL, origin=f"{receiver.origin}.as_tool()")
        if receiver.kind is Kind.SYNC_CLIENT and method == "with_options":
            return receiver
        return None

    def _decorated_function(self, function: cst.FunctionDef, env: Env, depth: int) -> ObjectInfo | None:
        """`@tool`, `@entrypoint(...)`, `@chain` turn a function into a Runnable."""
        for decorator in function.decorators:
            expr = decorator.decorator
            call = expr if isinstance(expr, cst.Call) else None
            qualified = self._qualified(call.func if call is not None else expr, env)
            if qualified is None:
                continue
            name = function.name.value
            if qualified in TOOL_DECORATORS:
                if function.asynchronous is not None:
                    return ObjectInfo(Kind.TOOL, f"@tool async def {name}", async_only_tools=(name,))
                return ObjectInfo(Kind.TOOL, f"@tool def {name}")
            if qualified in ENTRYPOINT_DECORATORS:
                info = ObjectInfo(Kind.COMPILED_GRAPH, f"@entrypoint {'async ' if function.asynchronous else ''}def {name}")
                if function.asynchronous is not None:
                    info = replace(info, async_nodes=(name,))
                if call is not None:
                    info = replace(info, **_merge(info, *self._compile_options(call, env, depth)))
                return info
            if qualified in RUNNABLE_DECORATORS:
                return ObjectInfo(Kind.RUNNABLE, f"@chain def {name}")
        return None

    # --- names, annotations, project code ---

    def _qualified(self, expr: cst.BaseExpression, env: Env) -> str | None:
        chain = attribute_chain(expr)
        if chain is None:
            return None
        name, attrs = chain
        definition = env.lookup(name)
        if definition is None or definition.kind is not BindingKind.IMPORT or definition.qualified_name is None:
            return None
        return ".".join([definition.qualified_name, *attrs])

    def _from_annotation(self, annotation: cst.BaseExpression, env: Env) -> ObjectInfo | None:
        if isinstance(annotation, cst.SimpleString):
            try:
                annotation = cst.parse_expression(annotation.evaluated_value)  # type: ignore[arg-type]
            except Exception:  # noqa: BLE001 - a string that is not an expression proves nothing
                return None
        if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
            return self._from_annotation(annotation.left, env) or self._from_annotation(annotation.right, env)
        if isinstance(annotation, cst.Subscript):
            outer = self._qualified(annotation.value, env)
            if outer in ("typing.Optional", "typing.Union", "typing.Annotated"):
                for element in annotation.slice:
                    if isinstance(element.slice, cst.Index):
                        found = self._from_annotation(element.slice.value, env)
                        if found is not None:
                            return found
                return None
            annotation = annotation.value
        qualified = self._qualified(annotation, env)
        if qualified is None:
            return None
        factory = factory_for(qualified)
        if factory is None:
            return None
        return _made(factory, short_name(qualified), f": {short_name(qualified)}")

    def _project_function(self, func: cst.BaseExpression, env: Env) -> tuple[cst.FunctionDef, Env] | None:
        if isinstance(func, cst.Name):
            definition = env.lookup(func.value)
            if definition is not None and definition.kind is BindingKind.FUNCTION and isinstance(definition.node, cst.FunctionDef):
                return definition.node, definition.env
            return None
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            owner = env.method_class(func.value.value)
            if owner is not None:
                for statement in owner.body.body:
                    if isinstance(statement, cst.FunctionDef) and statement.name.value == func.attr.value:
                        return statement, self.module_env
        return None

    def _returned(self, function: cst.FunctionDef, env: Env, depth: int) -> ObjectInfo | None:
        """What a project function returns: the first `return` whose value is proven."""
        if function.decorators and self._decorated_function(function, env, depth) is not None:
            return None
        body_env = self._body_env(function, self.module_env if not isinstance(env, BodyEnv) else env)
        for value in _returns(function):
            found = self._infer(value, body_env, depth)
            if found is not None:
                return found
        return None

    def _project_class(self, func: cst.BaseExpression, env: Env) -> tuple[cst.ClassDef, Env] | None:
        if isinstance(func, cst.Name):
            definition = env.lookup(func.value)
            if definition is not None and definition.kind is BindingKind.CLASS and isinstance(definition.node, cst.ClassDef):
                return definition.node, definition.env
        return None

    def _class_kind(self, owner: cst.ClassDef, env: Env) -> ObjectInfo | None:
        """An instance of a project class deriving from a LangChain base class."""
        for base in owner.bases:
            qualified = self._qualified(base.value, env)
            factory = factory_for(qualified) if qualified is not None else None
            if factory is not None and factory.kind not in (Kind.GRAPH_BUILDER, Kind.MCP_CLIENT):
                return _made(factory, owner.name.value, f"class {owner.name.value}({short_name(qualified or '')})")
        return None


def _collect_attributes(
    method: cst.FunctionDef, receiver: str, env: Env, found: dict[str, list[tuple[cst.BaseExpression, Env, bool]]]
) -> None:
    """`self.x = value` / `self.x: T = value` / `with ... as self.x` in one method."""

    def attribute(target: cst.BaseExpression) -> str | None:
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == receiver:
            return target.attr.value
        return None

    statements = method.body.body if isinstance(method.body, cst.IndentedBlock) else ()
    for small in _statements(statements):
        if isinstance(small, cst.Assign):
            for target in small.targets:
                name = attribute(target.target)
                if name is not None:
                    found.setdefault(name, []).append((small.value, env, False))
        elif isinstance(small, cst.AnnAssign):
            name = attribute(small.target)
            if name is not None:
                found.setdefault(name, []).append((small.annotation.annotation, env, True))
                if small.value is not None:
                    found[name].append((small.value, env, False))
        elif isinstance(small, cst.With):
            for item in small.items:
                name = attribute(item.asname.name) if item.asname is not None else None
                if name is not None:
                    found.setdefault(name, []).append((item.item, env, False))


def _returns(function: cst.FunctionDef) -> list[cst.BaseExpression]:
    statements = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    return [small.value for small in _statements(statements) if isinstance(small, cst.Return) and small.value is not None]


def _code(module: cst.Module, expr: cst.CSTNode) -> str:
    text = " ".join(module.code_for_node(expr).split())
    return text if len(text) <= 40 else text[:37] + "..."


def _made(factory: Factory, name: str, origin: str) -> ObjectInfo:
    info = ObjectInfo(factory.kind, origin, factory.async_replacement, in_memory=factory.in_memory)
    if factory.mode is not Mode.BOTH:
        info = replace(info, savers=(Saver(name, factory.mode, factory.async_replacement),))
    return info


def _chain_base(expr: cst.BaseExpression) -> str | None:
    """`b` for `b`, `b.add_node(...)`, `b.add_node(...).add_edge(...)`."""
    while True:
        if isinstance(expr, cst.Name):
            return expr.value
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
            expr = expr.func.value
        else:
            return None


def _async_only_tool_call(call: cst.Call) -> bool:
    """`StructuredTool(coroutine=f)` / `.from_function(coroutine=f)` / `Tool(name, None, ..., coroutine=f)`
    with no sync `func`."""
    if _argument(call, None, "coroutine") is None:
        return False
    func = _argument(call, None, "func")
    if func is None:
        positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        name = short_name(_callee_name(call.func))
        func = positional[1] if name == "Tool" and len(positional) > 1 else positional[0] if name == "from_function" and positional else None
    return func is None or (isinstance(func, cst.Name) and func.value == "None")


def _callee_name(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return ""


def _tool_label(call: cst.Call) -> str | None:
    name = _argument(call, None, "name")
    if isinstance(name, cst.SimpleString) and isinstance(name.evaluated_value, str):
        return name.evaluated_value
    coroutine = _argument(call, None, "coroutine")
    return coroutine.value if isinstance(coroutine, cst.Name) else None


def inference_for(ctx: ModuleWalker) -> ReceiverInference:
    """The module's receiver inference (one per walk, shared by the rules). Kept in the walk's
    own facts: it refers to the walker, so a table outside the walker keyed by it (even weakly)
    would keep every walked module's tree alive."""
    return ctx.facts(_new_inference)


def _new_inference(ctx: ModuleWalker) -> ReceiverInference:
    return ReceiverInference(ctx, getattr(ctx, "project_objects", None))
