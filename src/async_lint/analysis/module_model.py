"""The one model of a module: its scopes and the bindings in each (pyflakes' shape), what every
function and class is made of, learnt with CPython's `ast` (about 20x faster than a LibCST
parse) and small enough to cache as JSON by content hash.

Every rule and inference reads this model: the walker's position is a scope of it, a name's
type comes from its bindings here, and the project index keeps one model per module so that a
module learns what another built (`graph = builder.compile()` in `graph.py`) without parsing it
with LibCST. Names are recorded as written (`expressions.Expr`), not resolved: resolving needs
the other modules, which is the project's job (`analysis/project.py`); a model depends on the
file's bytes alone (relative imports keep their level).

Bindings are flow-insensitive: a name bound twice in a scope has two bindings, and its type is
what all of them agree on. Comprehensions and lambdas are not scopes here (their names are
unknown to the inference); functions and classes are, keyed by their dotted path in the module
(`Agent.run`), `#2` marking a second definition under the same path (`if X: def f ... else:
def f ...`), in source order (the walker counts them the same way).
"""

from __future__ import annotations

import ast
import enum
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from async_lint.analysis.expressions import (
    OPAQUE,
    Attribute,
    Call,
    Constant,
    Expr,
    Name,
    annotation_from_ast,
    callee,
    dotted,
    from_ast,
    from_data,
    names_in,
    optional_from_data,
    optional_to_data,
    to_data,
)
from async_lint.deep_stack import run_deep
from async_lint.knowledge.decorators import TRANSPARENT_DECORATORS
from async_lint.knowledge.langchain import BUILDER_EFFECT_METHODS

MODEL_FORMAT = 4
"""Bumped whenever the shape below changes (part of the cache key)."""

MODULE = ""
"""The module scope's key."""


@dataclass(frozen=True)
class ImportTarget:
    """What an import binds a local name to: `import a.b as c` -> (`a.b`, 0, None);
    `from ..m import x` -> (`m`, 2, `x`); `import a.b` binds `a` -> (`a`, 0, None)."""

    module: str
    level: int = 0
    name: str | None = None

    def dotted(self) -> str:
        """The absolute-looking name (`.m.x` style for relative imports)."""
        base = "." * self.level + self.module
        if self.name is None:
            return base
        return f"{base}.{self.name}" if self.module else f"{base}{self.name}"


class BindingKind(enum.Enum):
    IMPORT = "import"
    FUNCTION = "function"
    CLASS = "class"
    PARAMETER = "parameter"
    ASSIGNMENT = "assignment"
    """`x = value`, `x: T = value`, `(x := value)`."""
    DECLARATION = "declaration"
    """`x: T` with no value (a class field, or a name assigned elsewhere)."""
    LOOP = "loop"
    """`for x in value`: the value is the iterable."""
    CONTEXT = "context"
    """`with value as x` (or `async with`): the value is the context manager."""
    OTHER = "other"
    """Bound in a way that says nothing of its type (`x += 1`, `except E as x`, unpacking)."""


@dataclass(frozen=True)
class Binding:
    kind: BindingKind
    line: int
    value: Expr | None = None
    annotation: Expr | None = None
    target: ImportTarget | None = None
    """For imports."""
    definition: str | None = None
    """For `def` and `class`: the key of the scope it defines."""
    scope: str | None = None
    """The scope whose names `value` is written in, when it is not the binding's own scope
    (`global client` then `client = OpenAI()` in a function)."""
    is_async: bool = False
    """For `async with` and `async for`."""


@dataclass(frozen=True)
class Parameter:
    name: str
    annotation: Expr | None = None
    default: Expr | None = None
    star: str = ""
    """`*` for `*args`, `**` for `**kwargs`, `/`-free otherwise."""


@dataclass(frozen=True)
class CallSite:
    """A call a sync function makes: the callee as written, its last name (`run_until_complete`
    for `loop.run_until_complete`), and where."""

    func: Expr
    method: str | None
    line: int
    column: int


class ScopeKind(enum.Enum):
    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"


@dataclass
class Scope:
    key: str
    kind: ScopeKind
    name: str
    qualname: str
    """`Agent.run`, as `__qualname__` has it (no `#2`, no `<locals>`)."""
    parent: str | None
    line: int
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    effects: dict[str, list[Call]] = field(default_factory=dict)
    """Calls made as statements on a name bound here that change what it holds
    (`builder.add_node(...)`), by name."""

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)


@dataclass
class FunctionScope(Scope):
    is_async: bool = False
    is_generator: bool = False
    """A `yield` in its own body: an async def with one is an async generator."""
    is_stub: bool = False
    """The body is `...`, `pass`, a docstring or `raise NotImplementedError`: meant to be overridden."""
    decorators: tuple[Expr, ...] = ()
    params: tuple[Parameter, ...] = ()
    returns: tuple[Expr, ...] = ()
    """The values of its `return` statements (a bare `return` is `None`)."""
    yields: tuple[Expr, ...] = ()
    return_annotation: Expr | None = None
    class_key: str | None = None
    """The class it is a method of."""
    calls: tuple[CallSite, ...] = ()
    """Only for sync functions (the only ones call-chain queries walk through)."""

    @property
    def decorator_names(self) -> tuple[str, ...]:
        """Dotted names of the decorators, calls stripped (`app.get` for `@app.get("/")`);
        `<expression>` for one that is not a dotted name."""
        return tuple(dotted(callee(d)) or "<expression>" for d in self.decorators)

    @property
    def is_coroutine_function(self) -> bool:
        """Calling it returns a coroutine: `async def`, no `yield`, no decorator that might
        wrap it into something else."""
        return self.is_async and not self.is_generator and all(transparent_decorator(d) for d in self.decorator_names)

    @property
    def is_async_generator(self) -> bool:
        return self.is_async and self.is_generator

    @property
    def is_static(self) -> bool:
        return any(d.rsplit(".", 1)[-1] == "staticmethod" for d in self.decorator_names)

    @property
    def is_classmethod(self) -> bool:
        return any(d.rsplit(".", 1)[-1] == "classmethod" for d in self.decorator_names)

    @property
    def is_property(self) -> bool:
        return any(d.rsplit(".", 1)[-1] in _PROPERTY_DECORATORS or d.endswith(".setter") for d in self.decorator_names)

    @property
    def self_name(self) -> str | None:
        """The first parameter of a method (`self`, or `cls` of a classmethod)."""
        if self.class_key is None or self.is_static or not self.params or self.params[0].star:
            return None
        return self.params[0].name


@dataclass(frozen=True)
class AttributeSite:
    """A value (or an annotation) given to an attribute of a class's instances."""

    line: int
    scope: str
    """Where the value is written: the class body, or the method that assigns `self.x`."""
    value: Expr | None = None
    annotation: Expr | None = None
    is_async: bool = False
    """Bound by `async with ... as self.x`."""
    context: bool = False
    """Bound by `with ... as self.x`: the value is the context manager."""


@dataclass
class ClassScope(Scope):
    bases: tuple[Expr, ...] = ()
    decorators: tuple[Expr, ...] = ()
    methods: dict[str, str] = field(default_factory=dict)
    """Method name -> its function scope's key."""
    attributes: dict[str, list[AttributeSite]] = field(default_factory=dict)
    """`self.x = ...` (and `self.x: T`, `with ... as self.x`) in its methods, by name; the
    class body's own names are its bindings."""


@dataclass
class ModuleModel:
    scopes: dict[str, Scope]
    star_imports: tuple[ImportTarget, ...] = ()
    entry_points: frozenset[str] = frozenset()
    """Module-level sync functions called only from the `if __name__ == "__main__":` block."""
    checkable: bool = True
    """CPython parses the module: the checker can give it to LibCST without parsing it with
    `ast` once more to find out."""

    @classmethod
    def empty(cls, checkable: bool = False) -> ModuleModel:
        return cls({MODULE: Scope(MODULE, ScopeKind.MODULE, "", "", None, 0)}, checkable=checkable)

    @property
    def module_scope(self) -> Scope:
        return self.scopes[MODULE]

    @property
    def names(self) -> dict[str, list[Binding]]:
        """The module-level names and their bindings."""
        return self.module_scope.bindings

    def function(self, key: str) -> FunctionScope | None:
        scope = self.scopes.get(key)
        return scope if isinstance(scope, FunctionScope) else None

    def class_scope(self, key: str) -> ClassScope | None:
        scope = self.scopes.get(key)
        return scope if isinstance(scope, ClassScope) else None

    def functions(self) -> Iterator[FunctionScope]:
        return (scope for scope in self.scopes.values() if isinstance(scope, FunctionScope))

    def classes(self) -> Iterator[ClassScope]:
        return (scope for scope in self.scopes.values() if isinstance(scope, ClassScope))

    def lookup(self, name: str, key: str) -> tuple[Scope, list[Binding]] | None:
        """The scope that binds `name` as seen from scope `key` (Python's rules: class bodies
        are invisible from the functions nested in them), with its bindings; None for a name
        bound nowhere in the module (a builtin, or a typo)."""
        scope: Scope | None = self.scopes.get(key)
        innermost = True
        while scope is not None:
            if innermost or scope.kind is not ScopeKind.CLASS:
                found = scope.bindings.get(name)
                if found:
                    return scope, found
            innermost = False
            scope = self.scopes.get(scope.parent) if scope.parent is not None else None
        return None

    def imported_targets(self) -> Iterator[ImportTarget]:
        for scope in self.scopes.values():
            for bindings in scope.bindings.values():
                for binding in bindings:
                    if binding.target is not None:
                        yield binding.target
        yield from self.star_imports

    def mentions(self) -> frozenset[str]:
        """Every name this module's model uses to look something up elsewhere: the parts of
        its imports and every identifier in its recorded expressions. What another module may
        be asked for on this module's behalf is named here (or is a dunder, which is looked up
        unasked)."""
        found: set[str] = set()
        for target in self.imported_targets():
            _add_target(found, target)
        for scope in self.scopes.values():
            for expr in _expressions(scope):
                found.update(names_in(expr))
            if isinstance(scope, FunctionScope):
                found.update(site.method for site in scope.calls if site.method)
        return frozenset(found)

    def parts(self) -> Iterator[tuple[str, tuple[str, ...], object]]:
        """The model cut into what a lookup may read: (key, the names a lookup must use to
        reach it, its data) for each module-level name and each function and class."""
        for name, bindings in self.names.items():
            yield f"name:{name}", (name,), [_binding_data(b) for b in bindings]
        for scope in self.scopes.values():
            if scope.kind is not ScopeKind.MODULE:
                yield f"scope:{scope.key}", tuple(scope.qualname.split(".")), _scope_data(scope)

    # --- JSON (the cache format) ---

    def to_data(self) -> dict[str, Any]:
        return {
            "scopes": [_scope_data(scope) for scope in self.scopes.values()],
            "star": [_target_data(t) for t in self.star_imports],
            "entry_points": sorted(self.entry_points),
            "checkable": self.checkable,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ModuleModel:
        scopes = [_scope_from(item) for item in data["scopes"]]
        return cls(
            {scope.key: scope for scope in scopes},
            tuple(_target_from_required(t) for t in data["star"]),
            frozenset(data["entry_points"]),
            bool(data["checkable"]),
        )


_PROPERTY_DECORATORS = frozenset({"property", "cached_property", "setter", "getter", "deleter"})


def transparent_decorator(dotted_name: str) -> bool:
    """Whether `@dotted_name` keeps an `async def` a coroutine function. Unknown decorators are
    assumed to change it (precision first: the rules then stay silent)."""
    return dotted_name.rsplit(".", 1)[-1] in TRANSPARENT_DECORATORS


# --- building a model ---


def parse_python(text: str | bytes, filename: str = "<unknown>") -> ast.Module:
    """CPython's parse, its warnings (SyntaxWarning, DeprecationWarning) silenced: not ours to print."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename=filename)


def model_of_source(text: str | bytes) -> ModuleModel:
    """The model of a module's source; an empty, uncheckable one when it does not parse."""
    try:
        tree = parse_python(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - SyntaxError, ValueError, RecursionError, MemoryError
        return ModuleModel.empty()
    return model_of_tree(tree)


def model_of_tree(tree: ast.Module) -> ModuleModel:
    """The model of a parsed module, built on the calling thread; one nested too deeply for its
    stack (generated code: a 1,000-term sum) is built again on the deep-stack thread
    (`async_lint.deep_stack`), where the recursion it needs is safe. Real code nests a few dozen
    levels: trying first costs nothing, where measuring every tree's depth first cost a
    quarter of the model."""
    try:
        return _ModelBuilder().build(tree)
    except RecursionError:
        return run_deep(_ModelBuilder().build, tree)


def import_targets(node: ast.Import | ast.ImportFrom) -> list[tuple[str, ImportTarget]]:
    """The (local name, target) pairs an import statement binds (star imports bind nothing
    we can know)."""
    pairs: list[tuple[str, ImportTarget]] = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                pairs.append((alias.asname, ImportTarget(alias.name)))
            else:
                top = alias.name.split(".", 1)[0]
                pairs.append((top, ImportTarget(top)))
        return pairs
    for alias in node.names:
        if alias.name == "*":
            continue
        pairs.append((alias.asname or alias.name, ImportTarget(node.module or "", node.level, alias.name)))
    return pairs


def is_main_guard(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":` (either way round)."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    strings = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(names) == 1 and len(strings) == 1


_FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)
_TRY_NODES = (ast.Try, ast.TryStar)


class _ModelBuilder:
    def __init__(self) -> None:
        self.scopes: dict[str, Scope] = {}
        self.star_imports: list[ImportTarget] = []

    def build(self, tree: ast.Module) -> ModuleModel:
        module = Scope(MODULE, ScopeKind.MODULE, "", "", None, 0)
        self.scopes[MODULE] = module
        _Body(self, module, None).statements(tree.body)
        return ModuleModel(self.scopes, tuple(self.star_imports), _entry_points(tree, self.scopes))

    def new_key(self, parent: Scope, name: str) -> str:
        base = f"{parent.key}.{name}" if parent.key else name
        key = base
        number = 1
        while key in self.scopes:
            number += 1
            key = f"{base}#{number}"
        return key

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, parent: Scope, class_key: str | None) -> str:
        key = self.new_key(parent, node.name)
        qualname = f"{parent.qualname}.{node.name}" if parent.qualname else node.name
        args = node.args
        params: list[Parameter] = []
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for arg, default in zip(positional, defaults):
            params.append(Parameter(arg.arg, annotation_from_ast(arg.annotation), _optional(default)))
        if args.vararg is not None:
            params.append(Parameter(args.vararg.arg, annotation_from_ast(args.vararg.annotation), None, "*"))
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults):
            params.append(Parameter(arg.arg, annotation_from_ast(arg.annotation), _optional(kw_default)))
        if args.kwarg is not None:
            params.append(Parameter(args.kwarg.arg, annotation_from_ast(args.kwarg.annotation), None, "**"))
        scope = FunctionScope(
            key,
            ScopeKind.FUNCTION,
            node.name,
            qualname,
            parent.key,
            node.lineno,
            is_async=isinstance(node, ast.AsyncFunctionDef),
            is_stub=_is_stub(node.body),
            decorators=tuple(from_ast(d) for d in node.decorator_list),
            params=tuple(params),
            return_annotation=annotation_from_ast(node.returns),
            class_key=class_key,
        )
        self.scopes[key] = scope
        for param in params:
            scope.bind(param.name, Binding(BindingKind.PARAMETER, node.lineno, param.default, param.annotation))
        body = _Body(self, scope, scope.self_name)
        body.statements(node.body)
        scope.returns = tuple(body.returns)
        scope.yields = tuple(body.yields)
        scope.is_generator = body.is_generator
        if not scope.is_async:
            scope.calls = tuple(body.calls)
        return key

    def class_(self, node: ast.ClassDef, parent: Scope) -> str:
        key = self.new_key(parent, node.name)
        qualname = f"{parent.qualname}.{node.name}" if parent.qualname else node.name
        scope = ClassScope(
            key,
            ScopeKind.CLASS,
            node.name,
            qualname,
            parent.key,
            node.lineno,
            bases=tuple(from_ast(base) for base in node.bases),
            decorators=tuple(from_ast(d) for d in node.decorator_list),
        )
        self.scopes[key] = scope
        _Body(self, scope, None).statements(node.body)
        return key


class _Body:
    """Reads the statements of one scope's body (not the bodies of the functions and classes
    defined in it, which are scopes of their own)."""

    def __init__(self, builder: _ModelBuilder, scope: Scope, self_name: str | None) -> None:
        self.builder = builder
        self.scope = scope
        self.self_name = self_name
        self.returns: list[Expr] = []
        self.yields: list[Expr] = []
        self.is_generator = False
        self.calls: list[CallSite] = []
        self.declared: dict[str, Scope] = {}
        """Names declared `global` (or `nonlocal`) here: bound in that scope instead."""

    def bind(self, name: str, binding: Binding) -> None:
        owner = self.declared.get(name)
        if owner is None:
            self.scope.bind(name, binding)
        else:
            owner.bind(name, Binding(binding.kind, binding.line, binding.value, binding.annotation, binding.target, binding.definition, self.scope.key, binding.is_async))

    def statements(self, body: Iterable[ast.stmt]) -> None:
        for statement in body:
            self.statement(statement)

    def statement(self, node: ast.stmt) -> None:
        line = node.lineno
        if isinstance(node, ast.Assign):
            self.expression(node.value)
            converted = from_ast(node.value)
            for target in node.targets:
                self.target(target, converted, None, line)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.expression(node.value)
            annotation = annotation_from_ast(node.annotation)
            self.target(node.target, from_ast(node.value) if node.value is not None else None, annotation, line)
        elif isinstance(node, ast.AugAssign):
            self.expression(node.value)
            self.target(node.target, None, None, line, BindingKind.OTHER)
        elif isinstance(node, ast.Expr):
            self.expression(node.value)
            if isinstance(node.value, ast.Call):
                self.effect(node.value)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                self.expression(node.value)
            self.returns.append(from_ast(node.value) if node.value is not None else Constant(None))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.definition_outside(node)
            class_key = self.scope.key if isinstance(self.scope, ClassScope) else None
            key = self.builder.function(node, self.scope, class_key)
            if isinstance(self.scope, ClassScope) and not _is_accessor(node):
                self.scope.methods[node.name] = key
            self.bind(node.name, Binding(BindingKind.FUNCTION, line, definition=key))
        elif isinstance(node, ast.ClassDef):
            self.definition_outside(node)
            key = self.builder.class_(node, self.scope)
            self.bind(node.name, Binding(BindingKind.CLASS, line, definition=key))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for local, imported in import_targets(node):
                self.bind(local, Binding(BindingKind.IMPORT, line, target=imported))
            if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
                if self.scope.kind is ScopeKind.MODULE:
                    self.builder.star_imports.append(ImportTarget(node.module or "", node.level))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.expression(node.iter)
            self.target(node.target, from_ast(node.iter), None, line, BindingKind.LOOP, isinstance(node, ast.AsyncFor))
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expression(item.context_expr)
                if item.optional_vars is not None:
                    self.target(
                        item.optional_vars, from_ast(item.context_expr), None, line, BindingKind.CONTEXT, isinstance(node, ast.AsyncWith)
                    )
            self.statements(node.body)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            owner = self.builder.scopes[MODULE] if isinstance(node, ast.Global) else self._enclosing_function()
            if owner is not None and owner is not self.scope:
                for name in node.names:
                    self.declared[name] = owner
        elif isinstance(node, (ast.If, ast.While)):
            self.expression(node.test)
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, _TRY_NODES):
            self.statements(node.body)
            for handler in node.handlers:
                if handler.type is not None:
                    self.expression(handler.type)
                if handler.name:
                    self.bind(handler.name, Binding(BindingKind.OTHER, handler.lineno))
                self.statements(handler.body)
            self.statements(node.orelse)
            self.statements(node.finalbody)
        elif isinstance(node, ast.Match):
            self.expression(node.subject)
            for case in node.cases:
                for child in ast.walk(case.pattern):
                    captured = getattr(child, "name", None) or getattr(child, "rest", None)
                    if isinstance(captured, str):
                        self.bind(captured, Binding(BindingKind.OTHER, line))
                if case.guard is not None:
                    self.expression(case.guard)
                self.statements(case.body)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expression(child)

    def definition_outside(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        """Decorators, defaults, annotations and bases run in the scope around a definition."""
        outer: list[ast.expr] = [*node.decorator_list]
        if isinstance(node, ast.ClassDef):
            outer += [*node.bases, *(k.value for k in node.keywords)]
        else:
            outer += [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
        for expr in outer:
            self.expression(expr)

    def _enclosing_function(self) -> Scope | None:
        key = self.scope.parent
        while key is not None:
            scope = self.builder.scopes[key]
            if scope.kind is ScopeKind.FUNCTION:
                return scope
            key = scope.parent
        return None

    def target(
        self,
        target: ast.expr,
        value: Expr | None,
        annotation: Expr | None,
        line: int,
        kind: BindingKind | None = None,
        is_async: bool = False,
    ) -> None:
        if isinstance(target, ast.Name):
            if kind is None:
                kind = BindingKind.ASSIGNMENT if value is not None else BindingKind.DECLARATION
            self.bind(target.id, Binding(kind, line, value, annotation, is_async=is_async))
        elif isinstance(target, ast.Attribute):
            owner = target.value
            if self.self_name is not None and isinstance(owner, ast.Name) and owner.id == self.self_name:
                self._self_attribute(target.attr, value, annotation, line, kind, is_async)
            else:
                self.expression(target)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.target(element, None, None, line, BindingKind.OTHER)
        elif isinstance(target, ast.Starred):
            self.target(target.value, None, None, line, BindingKind.OTHER)
        else:
            self.expression(target)

    def _self_attribute(
        self, name: str, value: Expr | None, annotation: Expr | None, line: int, kind: BindingKind | None, is_async: bool
    ) -> None:
        function = self.scope
        assert isinstance(function, FunctionScope) and function.class_key is not None
        owner = self.builder.scopes[function.class_key]
        assert isinstance(owner, ClassScope)
        if kind is BindingKind.OTHER or kind is BindingKind.LOOP:
            value, annotation = None, None
        site = AttributeSite(line, function.key, value, annotation, is_async, kind is BindingKind.CONTEXT)
        owner.attributes.setdefault(name, []).append(site)

    def effect(self, call: ast.Call) -> None:
        """`builder.add_node(...)` (also chained): a call that changes what a local name holds."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in BUILDER_EFFECT_METHODS:
            return
        base: ast.expr = func.value
        while isinstance(base, ast.Call) and isinstance(base.func, ast.Attribute):
            base = base.func.value
        if isinstance(base, ast.Name):
            converted = from_ast(call)
            assert isinstance(converted, Call)
            self.scope.effects.setdefault(base.id, []).append(converted)

    def expression(self, root: ast.expr) -> None:
        """Calls (for a sync function's call sites), `yield`s and `:=` bindings in an expression,
        not inside lambdas (their bodies run later, elsewhere)."""
        stack: list[ast.AST] = [root]
        collect_calls = isinstance(self.scope, FunctionScope) and not self.scope.is_async
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Lambda):
                stack.extend(node.args.defaults)
                continue
            if isinstance(node, ast.Call):
                if collect_calls:
                    func = node.func
                    method = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
                    self.calls.append(CallSite(from_ast(func), method, node.lineno, node.col_offset + 1))
            elif isinstance(node, (ast.Yield, ast.YieldFrom)):
                self.is_generator = True
                if isinstance(node, ast.YieldFrom):
                    self.yields.append(OPAQUE)
                else:
                    self.yields.append(from_ast(node.value) if node.value is not None else Constant(None))
            elif isinstance(node, ast.NamedExpr):
                self.bind(node.target.id, Binding(BindingKind.ASSIGNMENT, node.lineno, from_ast(node.value)))
            stack.extend(reversed(_expression_children(node)))


_EXPRESSION_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {
    ast.Name: (),
    ast.Constant: (),
    ast.Attribute: ("value",),
    ast.Call: ("func", "args", "keywords"),
    ast.keyword: ("value",),
    ast.Subscript: ("value", "slice"),
    ast.Starred: ("value",),
    ast.Tuple: ("elts",),
    ast.List: ("elts",),
    ast.Set: ("elts",),
    ast.Dict: ("keys", "values"),
    ast.BinOp: ("left", "right"),
    ast.BoolOp: ("values",),
    ast.UnaryOp: ("operand",),
    ast.Compare: ("left", "comparators"),
    ast.IfExp: ("test", "body", "orelse"),
    ast.Await: ("value",),
    ast.Yield: ("value",),
    ast.YieldFrom: ("value",),
    ast.NamedExpr: ("target", "value"),
    ast.JoinedStr: ("values",),
    ast.FormattedValue: ("value", "format_spec"),
    ast.Slice: ("lower", "upper", "step"),
    ast.ListComp: ("elt", "generators"),
    ast.SetComp: ("elt", "generators"),
    ast.GeneratorExp: ("elt", "generators"),
    ast.DictComp: ("key", "value", "generators"),
    ast.comprehension: ("target", "iter", "ifs"),
}
"""The fields of each expression node that hold expressions (or the keywords and comprehension
clauses around them), in `_fields` order: what `ast.iter_child_nodes` yields, without the
contexts and operators (leaves, and a third of the nodes). Other node types (a newer Python's)
fall back to `ast.iter_child_nodes`."""


def _expression_children(node: ast.AST) -> list[ast.AST]:
    fields = _EXPRESSION_FIELDS.get(node.__class__)
    if fields is None:
        return list(ast.iter_child_nodes(node))
    children: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name)
        if value.__class__ is list:
            children.extend(item for item in value if item is not None)
        elif value is not None:
            children.append(value)
    return children


def _is_accessor(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`@name.setter` / `.deleter`: the property stays the getter's."""
    return any(isinstance(d, ast.Attribute) and d.attr in ("setter", "deleter") for d in node.decorator_list)


def _optional(node: ast.expr | None) -> Expr | None:
    return from_ast(node) if node is not None else None


def _is_stub(body: list[ast.stmt]) -> bool:
    """`...`, `pass`, a docstring, or `raise NotImplementedError`: a body to be overridden."""
    for statement in body:
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and (
            statement.value.value is Ellipsis or isinstance(statement.value.value, str)
        ):
            continue
        if isinstance(statement, ast.Raise) and statement.exc is not None:
            raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
            if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
                continue
        return False
    return True


def _entry_points(tree: ast.Module, scopes: dict[str, Scope]) -> frozenset[str]:
    if not any(is_main_guard(statement) for statement in tree.body):
        return frozenset()  # most modules: no need to walk the tree for the names it mentions
    guard_calls: set[str] = set()
    other_mentions: set[str] = set()
    for statement in tree.body:
        guarded = is_main_guard(statement)
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                (guard_calls if guarded else other_mentions).add(node.id)
    found = set()
    for name in guard_calls - other_mentions:
        scope = scopes.get(name)
        if isinstance(scope, FunctionScope) and not scope.is_async and scope.class_key is None:
            found.add(name)
    return frozenset(found)


def _expressions(scope: Scope) -> Iterator[Expr]:
    for calls in scope.effects.values():
        yield from calls
    for bindings in scope.bindings.values():
        for binding in bindings:
            if binding.value is not None:
                yield binding.value
            if binding.annotation is not None:
                yield binding.annotation
    if isinstance(scope, FunctionScope):
        yield from scope.decorators
        yield from scope.returns
        yield from scope.yields
        if scope.return_annotation is not None:
            yield scope.return_annotation
        for call in scope.calls:
            yield call.func
    elif isinstance(scope, ClassScope):
        yield from scope.bases
        yield from scope.decorators
        for sites in scope.attributes.values():
            for site in sites:
                if site.value is not None:
                    yield site.value
                if site.annotation is not None:
                    yield site.annotation


# --- JSON ---


def _add_target(found: set[str], target: ImportTarget) -> None:
    found.update(part for part in target.module.split(".") if part)
    if target.name is not None:
        found.add(target.name)


def _target_data(target: ImportTarget | None) -> list[Any] | None:
    return None if target is None else [target.module, target.level, target.name]


def _target_from(data: list[Any] | None) -> ImportTarget | None:
    return None if data is None else ImportTarget(data[0], data[1], data[2])


def _target_from_required(data: list[Any]) -> ImportTarget:
    return ImportTarget(data[0], data[1], data[2])


def _binding_data(binding: Binding) -> list[Any]:
    return [
        binding.kind.value,
        binding.line,
        optional_to_data(binding.value),
        optional_to_data(binding.annotation),
        _target_data(binding.target),
        binding.definition,
        binding.scope,
        binding.is_async,
    ]


def _binding_from(data: list[Any]) -> Binding:
    return Binding(
        BindingKind(data[0]),
        data[1],
        optional_from_data(data[2]),
        optional_from_data(data[3]),
        _target_from(data[4]),
        data[5],
        data[6],
        data[7],
    )


def _scope_data(scope: Scope) -> list[Any]:
    common: list[Any] = [
        scope.kind.value,
        scope.key,
        scope.name,
        scope.qualname,
        scope.parent,
        scope.line,
        {name: [_binding_data(b) for b in bindings] for name, bindings in scope.bindings.items()},
        {name: [to_data(call) for call in calls] for name, calls in scope.effects.items()},
    ]
    if isinstance(scope, FunctionScope):
        common.append(
            [
                scope.is_async,
                scope.is_generator,
                scope.is_stub,
                [to_data(d) for d in scope.decorators],
                [[p.name, optional_to_data(p.annotation), optional_to_data(p.default), p.star] for p in scope.params],
                [to_data(r) for r in scope.returns],
                [to_data(y) for y in scope.yields],
                optional_to_data(scope.return_annotation),
                scope.class_key,
                [[to_data(c.func), c.method, c.line, c.column] for c in scope.calls],
            ]
        )
    elif isinstance(scope, ClassScope):
        common.append(
            [
                [to_data(b) for b in scope.bases],
                [to_data(d) for d in scope.decorators],
                scope.methods,
                {
                    name: [[s.line, s.scope, optional_to_data(s.value), optional_to_data(s.annotation), s.is_async, s.context] for s in sites]
                    for name, sites in scope.attributes.items()
                },
            ]
        )
    return common


def _scope_from(data: list[Any]) -> Scope:
    kind = ScopeKind(data[0])
    bindings = {name: [_binding_from(b) for b in items] for name, items in data[6].items()}
    effects: dict[str, list[Call]] = {}
    for name, calls in data[7].items():
        effects[name] = [call for call in (from_data(c) for c in calls) if isinstance(call, Call)]
    head = (data[1], kind, data[2], data[3], data[4], data[5], bindings, effects)
    if kind is ScopeKind.FUNCTION:
        extra = data[8]
        return FunctionScope(
            *head,
            is_async=extra[0],
            is_generator=extra[1],
            is_stub=extra[2],
            decorators=tuple(from_data(d) for d in extra[3]),
            params=tuple(Parameter(p[0], optional_from_data(p[1]), optional_from_data(p[2]), p[3]) for p in extra[4]),
            returns=tuple(from_data(r) for r in extra[5]),
            yields=tuple(from_data(y) for y in extra[6]),
            return_annotation=optional_from_data(extra[7]),
            class_key=extra[8],
            calls=tuple(CallSite(from_data(c[0]), c[1], c[2], c[3]) for c in extra[9]),
        )
    if kind is ScopeKind.CLASS:
        extra = data[8]
        return ClassScope(
            *head,
            bases=tuple(from_data(b) for b in extra[0]),
            decorators=tuple(from_data(d) for d in extra[1]),
            methods=dict(extra[2]),
            attributes={
                name: [AttributeSite(s[0], s[1], optional_from_data(s[2]), optional_from_data(s[3]), s[4], s[5]) for s in sites]
                for name, sites in extra[3].items()
            },
        )
    return Scope(*head)


__all__ = [
    "MODEL_FORMAT",
    "MODULE",
    "Attribute",
    "AttributeSite",
    "Binding",
    "BindingKind",
    "CallSite",
    "ClassScope",
    "FunctionScope",
    "ImportTarget",
    "ModuleModel",
    "Name",
    "Parameter",
    "Scope",
    "ScopeKind",
    "import_targets",
    "is_main_guard",
    "model_of_source",
    "model_of_tree",
    "parse_python",
    "transparent_decorator",
]
