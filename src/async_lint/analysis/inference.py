"""The type inference: what an expression holds, wherever in the project it was made.

One evaluator for every rule, over the module models of the whole project: a name's type is
what all its bindings agree on (an import follows the imported module's model; an assignment is
the type of its value; a parameter the type of its annotation, `self` its class's instance); a
call gives the class's instance, the function's return type (annotated, else what its `return`
statements give; a coroutine of it for an `async def`), or what the knowledge tables say an
external constructor, factory or method gives; an attribute of an instance is what the class
assigns to it anywhere (`self.x = ...` in any method, a class-level annotation, a dataclass
field, a property's getter). Decorators that change a function (`@tool`, `@lru_cache`,
`@property`, `@asynccontextmanager`) are applied; an unknown one makes the result unknown.

Unknown is None and stays silent. Results are memoised per project generation; a name whose
value refers back to itself (`llm = llm.bind_tools(tools)`) is evaluated with the reference
contributing nothing (a least fixpoint, one round), and what was computed under that assumption
is not memoised for anything but the name itself.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from async_lint.analysis import framework_objects
from async_lint.analysis.expressions import (
    Attribute,
    Await,
    BinaryOp,
    Call,
    Constant,
    Either,
    Expr,
    Name,
    Opaque,
    Sequence,
    Subscript,
    callee,
    dotted,
    shown_expression,
)
from async_lint.analysis.distributions import depends_on
from async_lint.analysis.framework_objects import ObjectInfo
from async_lint.analysis.module_model import (
    MODULE,
    Binding,
    BindingKind,
    ClassScope,
    FunctionScope,
    ImportTarget,
    ModuleModel,
    Scope,
    ScopeKind,
)
from async_lint.analysis.project import Project, explain
from async_lint.analysis.types import (
    NO_FACTS,
    NONE,
    AsyncIteratorOf,
    BoundMethod,
    ClassType,
    CoroutineOf,
    ExternalName,
    Facts,
    FunctionType,
    Instance,
    ModuleType,
    Origin,
    Type,
    UnionType,
    members,
    union,
    without_none,
)
from async_lint.knowledge.async_protocols import CLIENT_STREAM_HELPERS, CONTEXT_MANAGER_TYPES
from async_lint.knowledge.blocking_calls import ATTRIBUTE_TYPES, VALUE_TYPES
from async_lint.knowledge.coroutines import ASYNC_CLIENTS, COROUTINE_FUNCTIONS, client_method_awaitable
from async_lint.knowledge.langchain import ENVIRONMENT_ROOTS
from async_lint.knowledge.library_types import SHAPES
from async_lint.knowledge.decorators import CONTEXT_MANAGER_FACTORIES, PROPERTY_DECORATORS, TRANSPARENT_DECORATORS
from async_lint.knowledge.types import (
    CONTAINER_TYPES,
    NEUTRAL_BASES,
    NOTHING_TYPES,
    OPTIONAL_TYPES,
    TRANSPARENT_GENERICS,
    UNION_TYPES,
    DEPENDENCY_MARKERS,
)

_BUILTIN_NAMES = frozenset(dir(builtins))
MAX_DEPTH = 24
"""How deep evaluations may nest (a chain of names, calls and modules), a guard against
pathological code."""


class Place(NamedTuple):
    """Where an expression is written: a module file and the key of a scope of its model."""

    path: Path
    scope: str


class _Pending:
    """A value being computed further up the stack: contributes nothing where it is met."""


_PENDING = _Pending()


@dataclass
class _Frame:
    key: Hashable
    depends_on_pending: set[Hashable]


class TypeInference:
    def __init__(self, project: Project) -> None:
        self.project = project
        self._memo: dict[Hashable, Type | None] = {}
        self._stack: list[_Frame] = []
        self._computing: set[Hashable] = set()
        self._mro: dict[ClassType, tuple[ClassType | ExternalName | None, ...]] = {}

    # --- memoised, cycle-safe computations ---

    def _memoised(self, key: Hashable, compute: Callable[[], Type | None | _Pending]) -> Type | None | _Pending:
        if key in self._memo:
            return self._memo[key]
        if key in self._computing:
            for frame in self._stack:
                frame.depends_on_pending.add(key)
            return _PENDING
        if len(self._stack) > MAX_DEPTH:
            return None
        frame = _Frame(key, set())
        self._stack.append(frame)
        self._computing.add(key)
        try:
            result = compute()
        finally:
            self._stack.pop()
            self._computing.discard(key)
        frame.depends_on_pending.discard(key)
        if isinstance(result, _Pending):
            result = None if not frame.depends_on_pending else result
        if not frame.depends_on_pending:
            self._memo[key] = result  # type: ignore[assignment]
        return result

    # --- models ---

    def model(self, path: Path) -> ModuleModel | None:
        return self.project.model(path)

    def scope(self, place: Place) -> Scope | None:
        model = self.model(place.path)
        return model.scopes.get(place.scope) if model is not None else None

    def function_scope(self, function: FunctionType) -> FunctionScope | None:
        model = self.model(function.path)
        return model.function(function.key) if model is not None else None

    def class_scope(self, cls: ClassType) -> ClassScope | None:
        model = self.model(cls.path)
        return model.class_scope(cls.key) if model is not None else None

    # --- expressions ---

    def expression(self, expr: Expr, place: Place) -> Type | None:
        """The type of `expr`, written in `place`."""
        found = self._expression(expr, place)
        return None if isinstance(found, _Pending) else found

    def _expression(self, expr: Expr, place: Place) -> Type | None | _Pending:
        if isinstance(expr, Name):
            return self._name(expr.id, place)
        if isinstance(expr, Attribute):
            base = self._expression(expr.value, place)
            if isinstance(base, _Pending):
                return base
            return self.member(base, expr.attr) if base is not None else None
        if isinstance(expr, Call):
            return self._call_expression(expr, place)
        if isinstance(expr, Await):
            return self._awaited(expr.value, place)
        if isinstance(expr, Constant):
            if expr.value is None:
                return NONE
            return Instance(ExternalName(f"builtins.{type(expr.value).__name__}"))
        if isinstance(expr, Either):
            return self._union(self._expression(option, place) for option in expr.options)
        if isinstance(expr, BinaryOp):
            return self._binary(expr, place)
        if isinstance(expr, Subscript):
            container = self._expression(expr.value, place)
            if isinstance(container, _Pending) or container is None:
                return container
            return self.item(container)
        if isinstance(expr, Sequence):
            items = [self.expression(item, place) for item in expr.items]
            element = union(items) if items else None
            return Instance(
                ExternalName("builtins.list"),
                args=(element,),
                facts=framework_objects.facts_of(union(i for i in items if i is not None) if items else None),
            )
        return None

    def _union(self, found: Iterable[Type | None | _Pending]) -> Type | None | _Pending:
        """What all of `found` agree on, ignoring the values still being computed."""
        known: list[Type | None] = []
        pending = False
        for item in found:
            if isinstance(item, _Pending):
                pending = True
            else:
                known.append(item)
        if not known:
            return _PENDING if pending else None
        return union(known)

    def _binary(self, expr: BinaryOp, place: Place) -> Type | None | _Pending:
        left = self._expression(expr.left, place)
        right = self._expression(expr.right, place)
        if isinstance(left, _Pending) and isinstance(right, _Pending):
            return _PENDING
        left = None if isinstance(left, _Pending) else left
        right = None if isinstance(right, _Pending) else right
        if expr.op == "/":
            path_type = Instance(ExternalName("pathlib.Path"))
            return path_type if without_none(left) == path_type else None
        if expr.op == "|":
            shown = f"{shown_expression(expr.left) or '...'} | {shown_expression(expr.right) or '...'}"
            return framework_objects.piped(left, right, self.object_info, shown, Origin(shown, place.path))
        return None

    # --- names ---

    def name(self, name: str, place: Place) -> Type | None:
        found = self._name(name, place)
        return None if isinstance(found, _Pending) else found

    def _name(self, name: str, place: Place) -> Type | None | _Pending:
        return self._memoised(("name", place, name), lambda: self._name_uncached(name, place))

    def _name_uncached(self, name: str, place: Place) -> Type | None | _Pending:
        model = self.model(place.path)
        if model is None:
            return None
        found = model.lookup(name, place.scope)
        if found is None:
            if name in _BUILTIN_NAMES:
                return ExternalName(f"builtins.{name}")
            return self._star_imported(model, place.path, name)
        owner, bindings = found
        result = self._union(self._binding(binding, name, owner, place.path) for binding in bindings)
        return self._with_effects(result, name, owner, place.path)

    def _star_imported(self, model: ModuleModel, path: Path, name: str, depth: int = 0) -> Type | None:
        for target in model.star_imports:
            module = self.resolve_import(target, path)
            if isinstance(module, ModuleType):
                found = self.module_member(module.path, name, depth + 1)
                if found is not None:
                    return found
        return None

    def _binding(self, binding: Binding, name: str, owner: Scope, path: Path) -> Type | None | _Pending:
        kind = binding.kind
        where = Place(path, binding.scope if binding.scope is not None else owner.key)
        if kind is BindingKind.IMPORT:
            return self.resolve_import(binding.target, path) if binding.target is not None else None
        if kind is BindingKind.FUNCTION and binding.definition is not None:
            return self.function_value(FunctionType(path, binding.definition))
        if kind is BindingKind.CLASS and binding.definition is not None:
            return ClassType(path, binding.definition)
        if kind is BindingKind.PARAMETER:
            return _named(self._parameter(binding, name, owner, path), name)
        if kind is BindingKind.ASSIGNMENT:
            value = self._expression(binding.value, where) if binding.value is not None else None
            if (value is None or value == NONE) and binding.annotation is not None:
                return _named(self.annotation(binding.annotation, where), name)
            return value
        if kind is BindingKind.DECLARATION:
            return _named(self.annotation(binding.annotation, where), name) if binding.annotation is not None else None
        if kind is BindingKind.LOOP:
            iterated = self._expression(binding.value, where) if binding.value is not None else None
            if isinstance(iterated, _Pending) or iterated is None:
                return iterated
            return self.iterated(iterated, binding.is_async)
        if kind is BindingKind.CONTEXT:
            manager = self._expression(binding.value, where) if binding.value is not None else None
            if isinstance(manager, _Pending) or manager is None:
                return manager
            return self.entered(manager)
        return None

    def _parameter(self, binding: Binding, name: str, owner: Scope, path: Path) -> Type | None:
        if isinstance(owner, FunctionScope) and owner.class_key is not None and owner.self_name == name:
            cls = ClassType(path, owner.class_key)
            return cls if owner.is_classmethod else Instance(cls)
        where = Place(path, owner.parent if owner.parent is not None else MODULE)
        if binding.annotation is not None:
            return self.annotation(binding.annotation, where)
        if isinstance(binding.value, Call):
            # `db = Depends(get_db)`: what the dependency returns (or yields).
            marker = self.qualified_name(binding.value.func, where)
            dependency = binding.value.argument(0, "dependency")
            if marker in DEPENDENCY_MARKERS and dependency is not None:
                provider = self.expression(dependency, where)
                if isinstance(provider, FunctionType):
                    return self.function_result(provider, dependency=True)
        return None

    def _with_effects(self, found: Type | None | _Pending, name: str, owner: Scope, path: Path) -> Type | None | _Pending:
        """A graph builder's `add_node` calls, made on the name anywhere in its scope."""
        calls = owner.effects.get(name)
        if not calls or not isinstance(found, Instance):
            return found
        info = self.object_info(found)
        if info is None or info.kind.name != "GRAPH_BUILDER":
            return found
        place = Place(path, owner.key)
        return framework_objects.with_effects(found, calls, lambda call: self.node_facts(call, place))

    def node_facts(self, call: Call, place: Place) -> Facts:
        """What `builder.add_node(...)` adds to a graph: an `async def` node by its name, or
        the facts of a Runnable or graph used as a node."""
        action, label = framework_objects.node_action(call)
        if action is None:
            return NO_FACTS
        found = self.expression(action, place)
        function = found.function if isinstance(found, BoundMethod) else found
        if isinstance(function, FunctionType):
            scope = self.function_scope(function)
            if scope is not None and scope.is_async:
                return Facts(async_nodes=(label or scope.name,))
            return NO_FACTS
        return framework_objects.carried_facts(found)

    # --- imports and modules ---

    def resolve_import(self, target: ImportTarget, importing: Path, depth: int = 0) -> Type | None:
        module = self.project.import_module_path(target, importing)
        if module is None or not self.project.in_project(module):
            if target.level:
                explain("relative import %s from %s: no such module", target.dotted(), importing)
                return None
            return ExternalName(target.dotted())
        if target.name is None:
            return ModuleType(module)
        return self.member(ModuleType(module), target.name, depth + 1)

    def module_member(self, path: Path, name: str, depth: int = 0) -> Type | None:
        """A module-level name of a module file."""
        if depth > MAX_DEPTH:
            return None
        model = self.model(path)
        if model is None:
            return None
        if name in model.names:
            return self.name(name, Place(path, MODULE))
        found = self._star_imported(model, path, name, depth)
        if found is not None:
            return found
        if path.name == "__init__.py":
            sub = self.project.module_in(path.parent, [name])
            if sub is not None:
                return ModuleType(sub)
        explain("%s has no module-level name `%s`", path, name)
        return None

    # --- attributes ---

    def member(self, value: Type, attr: str, depth: int = 0) -> Type | None:
        """`value.attr`."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(value, UnionType):
            found = [self.member(m, attr, depth + 1) for m in value.members if m != NONE]
            return union(found) if found else None
        if isinstance(value, ExternalName):
            return ExternalName(f"{value.qualified}.{attr}")
        if isinstance(value, ModuleType):
            path = value.path
            if self.project.is_directory(path):
                sub = self.project.module_in(path, [attr])
                return ModuleType(sub) if sub is not None else None
            return self.module_member(path, attr, depth + 1)
        if isinstance(value, Instance):
            if isinstance(value.of, ExternalName):
                return self._external_member(value, attr)
            return self.class_member(value.of, attr, value)
        if isinstance(value, ClassType):
            return self.class_member(value, attr, None)
        return None

    def _external_member(self, value: Instance, attr: str) -> Type | None:
        owner = value.external
        if owner is not None:
            known = ATTRIBUTE_TYPES.get(f"{owner}.{attr}")
            if known is not None:
                return Instance(ExternalName(known), origin=value.origin)
            shape = SHAPES.get(owner)
            if shape is not None and shape.attributes is not None and attr not in shape.methods and not attr.startswith("_"):
                return Instance(ExternalName(shape.attributes), origin=value.origin)
        return Instance(value.of, (*value.attrs, attr), value.args, value.facts, value.origin)

    def class_member(self, cls: ClassType, attr: str, instance: Instance | None) -> Type | None:
        """An attribute of a project class (`instance` None) or of its instance: a method (bound
        to the instance), a property's value, a class-level name, or what the class's methods
        assign to `self.attr`; searched through the project bases. None when a base outside the
        project comes first and might define it."""
        for base in self.mro(cls):
            if not isinstance(base, ClassType):
                if base is None or base.qualified not in NEUTRAL_BASES:
                    explain("`%s.%s`: not found before base %s, which is outside the project", cls.qualname, attr, base)
                    return None
                continue
            scope = self.class_scope(base)
            if scope is None:
                return None
            found = self._memoised(("member", base, attr, instance is not None), lambda: self._own_member(base, scope, attr, instance is not None))
            if isinstance(found, _Pending):
                return None
            if found is not None:
                if isinstance(found, FunctionType) and instance is not None:
                    function = self.function_scope(found)
                    if function is not None and not function.is_static:
                        return BoundMethod(found, instance if not function.is_classmethod else cls)
                if isinstance(found, FunctionType) and instance is None:
                    function = self.function_scope(found)
                    if function is not None and function.is_classmethod:
                        return BoundMethod(found, cls)
                return found
            if attr in scope.bindings or attr in scope.attributes:
                return None  # bound, but to something unknown
        explain("`%s` has no method or known attribute `%s`", cls.qualname, attr)
        return None

    def _own_member(self, cls: ClassType, scope: ClassScope, attr: str, on_instance: bool) -> Type | None | _Pending:
        method_key = scope.methods.get(attr)
        if method_key is not None:
            function = FunctionType(cls.path, method_key)
            function_scope = self.function_scope(function)
            if function_scope is None:
                return None
            names = self._decorator_names(function_scope, cls.path)
            if any(name in PROPERTY_DECORATORS or name.endswith(".setter") for name in names):
                return self.function_result(function) if on_instance else None
            if all(_transparent(name) for name in names):
                return function
            return self.function_value(function)
        found: list[Type | None | _Pending] = []
        bindings = scope.bindings.get(attr, [])
        for binding in bindings:
            found.append(self._binding(binding, attr, scope, cls.path))
        if on_instance:
            for site in scope.attributes.get(attr, []):
                where = Place(cls.path, site.scope)
                if site.value is not None:
                    value = self._expression(site.value, where)
                    if site.context and value is not None and not isinstance(value, _Pending):
                        value = self.entered(value)
                    if value is not None and value == NONE and site.annotation is not None:
                        value = _named(self.annotation(site.annotation, where), f"self.{attr}")
                    found.append(value)
                elif site.annotation is not None:
                    found.append(_named(self.annotation(site.annotation, where), f"self.{attr}"))
                else:
                    found.append(None)
        if not found:
            return None
        return self._union(found)

    def mro(self, cls: ClassType) -> tuple[ClassType | ExternalName | None, ...]:
        """The class and its bases, depth first (simple inheritance: enough to find a method,
        and to know when a base outside the project might define it)."""
        if cls in self._mro:
            return self._mro[cls]
        self._mro[cls] = (cls,)  # a cycle stops here
        order: list[ClassType | ExternalName | None] = [cls]
        scope = self.class_scope(cls)
        if scope is not None:
            where = Place(cls.path, scope.parent if scope.parent is not None else MODULE)
            for base_expr in scope.bases:
                if isinstance(base_expr, Subscript):
                    base_expr = base_expr.value
                base = self.expression(base_expr, where)
                if isinstance(base, ClassType):
                    order.extend(b for b in self.mro(base) if b not in order)
                elif isinstance(base, ExternalName):
                    order.append(base)
                else:
                    order.append(None)
        result = tuple(order)
        self._mro[cls] = result
        return result

    def external_bases(self, cls: ClassType) -> Iterator[ExternalName]:
        for base in self.mro(cls):
            if isinstance(base, ExternalName):
                yield base

    def lookup_method(self, cls: ClassType, name: str) -> FunctionType | None:
        found = self.class_member(cls, name, None)
        if isinstance(found, BoundMethod):
            return found.function
        return found if isinstance(found, FunctionType) else None

    def fully_known(self, cls: ClassType) -> bool:
        """Every base is a project class or one that adds no methods a rule cares about."""
        return all(isinstance(base, ClassType) or (base is not None and base.qualified in NEUTRAL_BASES) for base in self.mro(cls))

    # --- calls ---

    def _call_expression(self, call: Call, place: Place) -> Type | None | _Pending:
        func = call.func
        target = self._expression(func, place)
        if isinstance(target, _Pending):
            return target
        if target is None:
            if isinstance(func, Attribute) and func.attr == "compile":
                shown = dotted(func.value) or "..."
                return framework_objects.unknown_receiver_compile(call, lambda e: self.expression(e, place), shown, Origin(shown, place.path, call.line))
            return None
        return self.called(target, call, place)

    def called(self, target: Type, call: Call | None, place: Place) -> Type | None:
        """What calling a value of type `target` gives (`call` with its arguments, when known)."""
        if isinstance(target, UnionType):
            return union(self.called(m, call, place) for m in target.members if m != NONE)
        origin = Origin("", place.path, call.line if call is not None else 0)
        if isinstance(target, ClassType):
            scope = self.class_scope(target)
            text = f"{scope.name}(...)" if scope is not None else "(...)"
            return Instance(target, origin=Origin(text, place.path, origin.line))
        if isinstance(target, ExternalName):
            return self._external_call(target.qualified, call, place, origin)
        if isinstance(target, FunctionType):
            return self.call_result(target)
        if isinstance(target, BoundMethod):
            return self.call_result(target.function)
        if isinstance(target, Instance) and isinstance(target.of, ExternalName) and target.attrs:
            return self._external_method_call(target, call, place, origin)
        if isinstance(target, Instance) and target.external is not None:
            # a factory object called: `SessionLocal()` with `SessionLocal = sessionmaker(...)`
            made = VALUE_TYPES.get(f"{target.external}.__call__")
            if made is not None:
                return Instance(ExternalName(made), origin=Origin(f"{target.external.rsplit('.', 1)[-1]}()(...)", origin.path, origin.line))
        return None

    def _external_call(self, qualified: str, call: Call | None, place: Place, origin: Origin) -> Type | None:
        if qualified in COROUTINE_FUNCTIONS:
            return CoroutineOf(None)
        evaluate = (lambda expr: self.expression(expr, place))
        made = framework_objects.constructed(qualified, call, evaluate, origin)
        if made is not None:
            return made
        shown = Origin(f"{qualified.rsplit('.', 1)[-1]}(...)", origin.path, origin.line)
        known = VALUE_TYPES.get(qualified)
        if known is not None:
            return Instance(ExternalName(known), origin=shown)
        installed = self.installed_return(qualified)
        if isinstance(installed, Instance) and installed.external != qualified:
            return Instance(installed.of, origin=Origin(f"{'.'.join(qualified.rsplit('.', 2)[-2:])}(...)", origin.path, origin.line))
        return Instance(ExternalName(qualified), origin=shown)

    def _external_method_call(self, method: Instance, call: Call | None, place: Place, origin: Origin) -> Type | None:
        assert isinstance(method.of, ExternalName)
        owner = method.of.qualified
        client = ASYNC_CLIENTS.get(owner)
        if client is not None and client_method_awaitable(client, method.attrs):
            return CoroutineOf(None)
        helper = CLIENT_STREAM_HELPERS.get(owner)
        if helper is not None and ".".join(method.attrs) in helper[1]:
            manager = next(name for name, kind in CONTEXT_MANAGER_TYPES.items() if kind is helper[0])
            return Instance(ExternalName(manager), origin=Origin(f".{'.'.join(method.attrs)}(...)", origin.path, origin.line))
        receiver = Instance(method.of, method.attrs[:-1], method.args, method.facts, method.origin)
        name = method.attrs[-1]
        if len(method.attrs) == 1:
            known = VALUE_TYPES.get(f"{owner}.{name}")
            if known is not None:
                return Instance(ExternalName(known), origin=Origin(f".{name}(...)", origin.path, origin.line))
            info = self.object_info(receiver)
            if info is not None:
                evaluate = (lambda expr: self.expression(expr, place))
                found = framework_objects.method_result(receiver, info, name, call, evaluate, lambda c: self.node_facts(c, place), origin)
                if found is None and receiver.external is not None:
                    installed = self.installed_return(f"{receiver.external}.{name}")
                    if isinstance(installed, Instance):
                        return Instance(installed.of, origin=Origin(f"{info.origin}.{name}(...)", origin.path, origin.line))
                return found
        return None

    def call_result(self, function: FunctionType) -> Type | None:
        """What calling a project function gives: a coroutine of its result for an `async def`,
        an async iterator for an async generator, a context manager for an
        `@(async)contextmanager`; None when a decorator may make it anything else."""
        scope = self.function_scope(function)
        if scope is None:
            return None
        names = self._decorator_names(scope, function.path)
        manager = next((CONTEXT_MANAGER_FACTORIES[n] for n in names if n in CONTEXT_MANAGER_FACTORIES), None)
        if manager is not None:
            yielded = self._yielded(function, scope)
            return Instance(ExternalName(manager), args=(yielded,))
        if not all(_transparent(name) for name in names):
            return None
        if scope.is_async:
            if scope.is_generator:
                return AsyncIteratorOf(self._yielded(function, scope))
            return CoroutineOf(self.function_result(function))
        if scope.is_generator:
            return Instance(ExternalName("typing.Generator"), args=(self._yielded(function, scope),))
        return self.function_result(function)

    def function_result(self, function: FunctionType, dependency: bool = False) -> Type | None:
        """What the body of a project function returns (its annotation when it has one; for a
        FastAPI dependency, what a generator yields)."""
        found = self._memoised(("returns", function, dependency), lambda: self._function_result(function, dependency))
        return None if isinstance(found, _Pending) else found

    def _function_result(self, function: FunctionType, dependency: bool) -> Type | None | _Pending:
        scope = self.function_scope(function)
        if scope is None or scope.is_stub and scope.return_annotation is None:
            return None
        place = Place(function.path, scope.key)
        if dependency and scope.is_generator:
            return self._yielded(function, scope)
        if scope.return_annotation is not None:
            outer = Place(function.path, scope.parent if scope.parent is not None else MODULE)
            declared = self.annotation(scope.return_annotation, outer)
            if declared is not None:
                return _named(declared, f"{scope.qualname}() ->", separator=" ")
        if scope.is_generator:
            return None
        if not scope.returns:
            return NONE
        return self._union(self._expression(value, place) for value in scope.returns)

    def _yielded(self, function: FunctionType, scope: FunctionScope) -> Type | None:
        place = Place(function.path, scope.key)
        found = self._union(self._expression(value, place) for value in scope.yields)
        return None if isinstance(found, _Pending) else found

    def function_value(self, function: FunctionType) -> Type | None:
        """What the name a `def` binds holds: the function, or what its decorators make of it."""
        scope = self.function_scope(function)
        if scope is None:
            return None
        if not scope.decorators:
            return function
        outer = Place(function.path, scope.parent if scope.parent is not None else MODULE)
        names = self._decorator_names(scope, function.path)
        for decorator, name in zip(scope.decorators, names):
            call = decorator if isinstance(decorator, Call) else None
            evaluate = (lambda expr: self.expression(expr, outer))
            made = framework_objects.decorated(name, function, scope.name, scope.is_async, call, evaluate, Origin("", function.path, scope.line))
            if made is not None:
                return made
        if all(_transparent(name) or name in CONTEXT_MANAGER_FACTORIES for name in names):
            return function
        return None

    def _decorator_names(self, scope: FunctionScope, path: Path) -> tuple[str, ...]:
        outer = Place(path, scope.parent if scope.parent is not None else MODULE)
        return tuple(self.qualified_name(callee(d), outer) or dotted(callee(d)) or "<expression>" for d in scope.decorators)

    # --- await, iteration, `with`, subscripts ---

    def _awaited(self, expr: Expr, place: Place) -> Type | None | _Pending:
        value = self._expression(expr, place)
        if isinstance(value, _Pending):
            return value
        if isinstance(value, CoroutineOf):
            if value.result is not None:
                return value.result
        if isinstance(expr, Call):
            func = expr.func
            qualified = self.qualified_name(func, place)
            receiver: Instance | None = None
            info: ObjectInfo | None = None
            method: str | None = None
            if isinstance(func, Attribute):
                method = func.attr
                receiver_type = self.expression(func.value, place)
                receiver = receiver_type if isinstance(receiver_type, Instance) else None
                info = self.object_info(receiver) if receiver is not None else None
            shown = dotted(func) or "..."
            made = framework_objects.awaited_call(qualified, receiver, info, method, shown, Origin(shown, place.path, expr.line))
            if made is not None:
                return made
        return self.awaited(value) if value is not None else None

    def awaited(self, value: Type) -> Type | None:
        if isinstance(value, CoroutineOf):
            return value.result
        if isinstance(value, Instance) and value.external in ("typing.Awaitable", "typing.Coroutine", "collections.abc.Awaitable", "collections.abc.Coroutine", "asyncio.Future", "asyncio.Task") and value.args:
            return value.args[-1]
        return None

    def iterated(self, value: Type, is_async: bool) -> Type | None:
        """What `for x in value` (or `async for`) binds `x` to."""
        value = without_none(value) or value
        if is_async and isinstance(value, AsyncIteratorOf):
            return value.item
        if isinstance(value, Instance) and value.external in CONTAINER_TYPES and value.args:
            return value.args[0]
        return None

    def entered(self, manager: Type) -> Type | None:
        """What `with manager as x` binds: the manager itself for most (clients, sessions,
        files, savers), the value an `@(async)contextmanager` function yields."""
        if isinstance(manager, Instance) and manager.external in CONTEXT_MANAGER_FACTORIES.values():
            return manager.args[0] if manager.args else None
        return manager

    def item(self, container: Type) -> Type | None:
        """`container[...]`."""
        container = without_none(container) or container
        if isinstance(container, Instance):
            if container.external in CONTAINER_TYPES and container.args:
                return container.args[0]
            shape = SHAPES.get(container.external or "")
            if shape is not None and shape.items is not None:
                return Instance(ExternalName(shape.items), origin=container.origin)
            if container.external == "builtins.list" and container.facts.async_only_tools:
                return Instance(ExternalName("langchain_core.tools.BaseTool"), facts=container.facts, origin=container.origin)
        return None

    # --- annotations ---

    def annotation(self, expr: Expr, place: Place) -> Type | None:
        """The type an annotation declares (`httpx.Client`, `Optional[Agent]`, `X | None`,
        `Annotated[Session, Depends(get_db)]`, `list[Path]`)."""
        if isinstance(expr, Constant) and expr.value is None:
            return NONE
        if isinstance(expr, BinaryOp) and expr.op == "|":
            return union((self.annotation(expr.left, place), self.annotation(expr.right, place)))
        if isinstance(expr, Subscript):
            outer = self.qualified_name(expr.value, place)
            if outer in OPTIONAL_TYPES and expr.index:
                return union((self.annotation(expr.index[0], place), NONE))
            if outer in UNION_TYPES:
                return union(self.annotation(item, place) for item in expr.index)
            if outer in TRANSPARENT_GENERICS and expr.index:
                return self.annotation(expr.index[0], place)
            generic = self.expression(expr.value, place)
            args = tuple(self.annotation(item, place) for item in expr.index)
            if isinstance(generic, ExternalName):
                return Instance(generic, args=args) if generic.qualified not in NOTHING_TYPES else None
            if isinstance(generic, ClassType):
                return Instance(generic, args=args)
            return None
        if isinstance(expr, (Name, Attribute)):
            named = self.expression(expr, place)
            if isinstance(named, ClassType):
                return Instance(named, origin=Origin(f": {named.qualname.rsplit('.', 1)[-1]}", place.path))
            if isinstance(named, ExternalName):
                if named.qualified in NOTHING_TYPES:
                    return None
                if named.qualified == "builtins.None":
                    return NONE
                return Instance(named, origin=Origin(f": {named.qualified.rsplit('.', 1)[-1]}", place.path))
            if isinstance(expr, Name):
                return self._alias(expr.id, place)
            return None
        if isinstance(expr, Opaque):
            return None
        return None

    def _alias(self, name: str, place: Place, depth: int = 0) -> Type | None:
        """A type alias: `SessionDep = Annotated[Session, Depends(get_session)]` (FastAPI's
        idiom), `Client = httpx.Client | None`, assigned once at module level, here or imported."""
        model = self.model(place.path)
        found = model.lookup(name, place.scope) if model is not None else None
        if found is None or depth > 4:
            return None
        owner, bindings = found
        if len(bindings) != 1:
            return None
        binding = bindings[0]
        if binding.kind is BindingKind.IMPORT and binding.target is not None and binding.target.name is not None:
            module = self.project.import_module_path(ImportTarget(binding.target.module, binding.target.level), place.path)
            if module is None or not self.project.in_project(module) or self.project.is_directory(module):
                return None
            return self._alias(binding.target.name, Place(module, MODULE), depth + 1)
        if binding.kind is BindingKind.ASSIGNMENT and isinstance(binding.value, (Subscript, BinaryOp)) and owner.kind is ScopeKind.MODULE:
            return self.annotation(binding.value, Place(place.path, owner.key))
        return None

    # --- names as written, through imports (for the knowledge tables) ---

    def qualified_name(self, expr: Expr, place: Place) -> str | None:
        """The dotted name an expression stands for through imports (`t.sleep` with `import
        time as t` -> `time.sleep`; `open` -> `builtins.open`), as the knowledge tables spell
        names; None for anything else (a local, a parameter, a relative import)."""
        chain = dotted(expr)
        if chain is None:
            return None
        head, _, rest = chain.partition(".")
        model = self.model(place.path)
        if model is None:
            return None
        found = model.lookup(head, place.scope)
        if found is None:
            base = f"builtins.{head}" if head in _BUILTIN_NAMES else None
        else:
            _, bindings = found
            targets = {b.target for b in bindings if b.kind is BindingKind.IMPORT and b.target is not None}
            if len(targets) != 1 or len(bindings) != len([b for b in bindings if b.kind is BindingKind.IMPORT]):
                return None
            target = targets.pop()
            if target.level:
                return None
            base = target.dotted()
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base

    # --- verdicts ---

    def object_info(self, value: Type | None) -> ObjectInfo | None:
        """Which LangChain/LangGraph/SDK object a value is (see `framework_objects`)."""
        return framework_objects.object_info(value, self.external_bases, self.installed_bases)

    def installed_bases(self, qualified: str) -> tuple[str, ...]:
        """What an external class derives from, read from the installed package when it is one
        that can derive from the classes the knowledge names."""
        environment = self.project.environment
        if environment is None or not depends_on(qualified, ENVIRONMENT_ROOTS):
            return ()
        return environment.bases(qualified)

    def installed_return(self, qualified: str) -> Type | None:
        """What calling an external function or method gives, by the installed package's
        annotation (for packages that can make the objects the knowledge names)."""
        environment = self.project.environment
        if environment is None or not depends_on(qualified, ENVIRONMENT_ROOTS):
            return None
        name = environment.returns(qualified)
        return Instance(ExternalName(name)) if name is not None else None


def _named(found: Type | None, name: str, separator: str = ": ") -> Type | None:
    """An annotated value's origin as messages show it: `llm: BaseChatModel`,
    `get_client() -> OpenAI`."""
    if isinstance(found, UnionType):
        return union(_named(m, name, separator) for m in found.members)
    if isinstance(found, Instance) and found.origin is not None and found.origin.text.startswith(": "):
        origin = Origin(f"{name}{separator}{found.origin.text.removeprefix(': ')}", found.origin.path, found.origin.line)
        return Instance(found.of, found.attrs, found.args, found.facts, origin)
    return found


def _transparent(name: str) -> bool:
    return name.rsplit(".", 1)[-1] in TRANSPARENT_DECORATORS


__all__ = ["MAX_DEPTH", "Place", "TypeInference"]
