"""What the project index knows about one module, learnt with Python's own `ast` (about 20x
faster than a LibCST parse) and small enough to cache as JSON.

A summary records names as they are written (`Ref`s), not yet resolved: resolving them needs
the other modules, which is the index's job (`engine/project_index.py`). It depends on the
file's bytes alone (relative imports keep their level), so it is cached by content hash.

Per module: the module-level names (functions, classes, imports, `x = Factory(...)` instances),
every function and method (async? generator? decorators, and for sync functions the calls
they make), every class (bases, methods, `self.x = Factory(...)` attributes), and the
functions the `if __name__ == "__main__":` block is the only caller of (script entry points).
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from async_lint.deep_stack import run_deep

SUMMARY_FORMAT = 3
"""Bumped whenever the shape below changes (part of the cache key)."""


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


@dataclass(frozen=True)
class Ref:
    """An expression as written, to resolve later in its module (and class) context.

    - `global`: a module-level name, then attributes (`bot.answer` -> name `bot`, attrs `answer`);
    - `import`: a function-local import (`target`), then attributes;
    - `self`: the method's `self`/`cls`, then attributes (`self.client.get` -> attrs `client`, `get`);
    - `call`: the result of calling `inner` (`Agent().run`, or a local `a = Agent()` then `a.run`).
    """

    kind: str
    name: str = ""
    attrs: tuple[str, ...] = ()
    target: ImportTarget | None = None
    inner: Ref | None = None

    def with_attrs(self, attrs: Iterable[str]) -> Ref:
        return Ref(self.kind, self.name, (*self.attrs, *attrs), self.target, self.inner)

    def display(self) -> str:
        if self.kind == "self":
            head = "self"
        elif self.kind == "call":
            head = f"{self.inner.display() if self.inner else '?'}()"
        elif self.kind == "import" and self.target is not None:
            head = self.name or self.target.dotted()
        else:
            head = self.name
        return ".".join((head, *self.attrs))


@dataclass(frozen=True)
class CallSite:
    """A call a sync function makes: what it calls (None when the callee is a local we cannot
    follow), the last name in the callee (`run_until_complete` for `loop.run_until_complete`),
    and where."""

    ref: Ref | None
    method: str | None
    line: int
    column: int


@dataclass(frozen=True)
class FunctionSummary:
    name: str
    qualname: str
    """`Agent.run`, `outer.inner`, as the walker's `Scope.qualname` has it."""
    is_async: bool
    is_generator: bool
    """A `yield` in its own body: an async def with one is an async generator."""
    decorators: tuple[str, ...]
    """Dotted names of the decorators, calls stripped (`app.get` for `@app.get("/")`)."""
    line: int
    class_qualname: str | None = None
    """The class it is a method of (None for plain functions)."""
    calls: tuple[CallSite, ...] = ()
    """Only for sync functions (the only ones call-chain queries walk through)."""

    @property
    def is_coroutine_function(self) -> bool:
        """Calling it returns a coroutine: `async def`, no `yield`, no decorator that might
        wrap it into something else."""
        return self.is_async and not self.is_generator and all(transparent_decorator(d) for d in self.decorators)

    @property
    def is_async_generator(self) -> bool:
        return self.is_async and self.is_generator

    @property
    def is_static(self) -> bool:
        return any(d.rsplit(".", 1)[-1] == "staticmethod" for d in self.decorators)

    @property
    def is_property(self) -> bool:
        return any(d.rsplit(".", 1)[-1] in _PROPERTY_DECORATORS or d.endswith(".setter") for d in self.decorators)


@dataclass(frozen=True)
class ClassSummary:
    name: str
    qualname: str
    line: int
    bases: tuple[Ref | None, ...]
    """None for a base we cannot name (`Generic[T]` is `Generic`; a call result is None)."""
    methods: tuple[str, ...]
    attributes: dict[str, Ref] = field(default_factory=dict)
    """`self.x = Factory(...)` in a method, or `x = Factory(...)` in the class body: x -> Factory."""


@dataclass(frozen=True)
class NameBinding:
    """What a module-level name is: `function`/`class` (qualname), `import` (target),
    `instance` (ref: the factory called), or `other` (anything else, or bound in ways that
    disagree: never resolved)."""

    kind: str
    qualname: str = ""
    target: ImportTarget | None = None
    ref: Ref | None = None


@dataclass(frozen=True)
class ModuleSummary:
    names: dict[str, NameBinding]
    functions: dict[str, FunctionSummary]
    classes: dict[str, ClassSummary]
    entry_points: frozenset[str] = frozenset()
    """Module-level sync functions called only from the `if __name__ == "__main__":` block."""
    checkable: bool = True
    """CPython parses the module and it nests no deeper than MAX_NESTING: the checker can give
    it to LibCST without parsing it with `ast` once more to find out."""

    @classmethod
    def empty(cls, checkable: bool = False) -> ModuleSummary:
        return cls({}, {}, {}, checkable=checkable)

    def imported_targets(self) -> Iterator[ImportTarget]:
        for binding in self.names.values():
            if binding.target is not None:
                yield binding.target
        for function in self.functions.values():
            for call in function.calls:
                ref = call.ref
                while ref is not None:
                    if ref.target is not None:
                        yield ref.target
                    ref = ref.inner

    def mentions(self) -> frozenset[str]:
        """Every name this module's summary uses to look something up elsewhere: the parts of
        its imports, of the factories, bases and attribute values it refers to, of its
        decorators, and of the calls its sync functions make. What another module may be asked
        for on this module's behalf is named here (or is a dunder, which is looked up unasked)."""
        found: set[str] = set()
        refs: list[Ref | None] = []
        for binding in self.names.values():
            _add_target(found, binding.target)
            refs.append(binding.ref)
        for function in self.functions.values():
            for decorator in function.decorators:
                found.update(decorator.split("."))
            for call in function.calls:
                refs.append(call.ref)
                if call.method:
                    found.add(call.method)
        for cls in self.classes.values():
            refs.extend(cls.bases)
            refs.extend(cls.attributes.values())
        while refs:
            ref = refs.pop()
            if ref is not None:
                found.add(ref.name)
                found.update(ref.attrs)
                _add_target(found, ref.target)
                refs.append(ref.inner)
        return frozenset(found)

    def parts(self) -> Iterator[tuple[str, tuple[str, ...], list]]:
        """The summary cut into what a lookup may read: (key, the names a lookup must use to
        reach it, its data) for each module-level name, function and class."""
        for name, binding in self.names.items():
            yield f"name:{name}", (name,), _binding_data(binding)
        for function in self.functions.values():
            yield f"function:{function.qualname}", tuple(function.qualname.split(".")), _function_data(function)
        for cls in self.classes.values():
            yield f"class:{cls.qualname}", tuple(cls.qualname.split(".")), _class_data(cls)

    # --- JSON (the cache format) ---

    def to_data(self) -> dict:
        return {
            "names": {name: _binding_data(b) for name, b in self.names.items()},
            "functions": [_function_data(f) for f in self.functions.values()],
            "classes": [_class_data(c) for c in self.classes.values()],
            "entry_points": sorted(self.entry_points),
            "checkable": self.checkable,
        }

    @classmethod
    def from_data(cls, data: dict) -> ModuleSummary:
        functions = [_function_from(item) for item in data["functions"]]
        classes = [_class_from(item) for item in data["classes"]]
        return cls(
            {name: _binding_from(item) for name, item in data["names"].items()},
            {f.qualname: f for f in functions},
            {c.qualname: c for c in classes},
            frozenset(data["entry_points"]),
            bool(data["checkable"]),
        )


_PROPERTY_DECORATORS = frozenset({"property", "cached_property", "setter", "getter", "deleter"})
_TRANSPARENT_DECORATORS = frozenset(
    {
        # Python's own, which return the function itself (or a descriptor calling it).
        "staticmethod",
        "classmethod",
        "abstractmethod",
        "override",
        "final",
        "wraps",
        "cache",
        "lru_cache",
        "no_type_check",
        "deprecated",
        # Web route and event registration: the function is registered and returned as is.
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "route",
        "api_route",
        "websocket",
        "websocket_route",
        "on_event",
        "exception_handler",
        "middleware",
        # Tracing and retry wrappers that keep an async def async.
        "traceable",
        "observe",
        "retry",
    }
)


def transparent_decorator(dotted: str) -> bool:
    """Whether `@dotted` keeps an `async def` a coroutine function. Unknown decorators are
    assumed to change it (precision first: the rules then stay silent)."""
    return dotted.rsplit(".", 1)[-1] in _TRANSPARENT_DECORATORS


# --- building a summary ---


MAX_NESTING = 400
"""How deep (in CPython AST levels) a module may nest and be summarised on the calling thread.
Deeper ones (generated code: a 1,000-term sum) are summarised on the deep-stack thread
(`async_lint.deep_stack`), where the recursion they need is safe. Real code stays far below:
the deepest file of the 450,000-line test corpus nests about 40 levels."""


def parse_python(text: str | bytes, filename: str = "<unknown>") -> ast.Module:
    """CPython's parse, its warnings (SyntaxWarning, DeprecationWarning) silenced: not ours to print."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename=filename)


def summarise_source(text: str | bytes) -> ModuleSummary:
    """The summary of a module's source; an empty, uncheckable one when it does not parse."""
    try:
        tree = parse_python(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - SyntaxError, ValueError, RecursionError, MemoryError
        return ModuleSummary.empty()
    return summarise_tree(tree)


def summarise_tree(tree: ast.Module) -> ModuleSummary:
    if nesting_depth(tree, MAX_NESTING) > MAX_NESTING:
        return run_deep(_ModuleSummariser().summarise, tree)
    return _ModuleSummariser().summarise(tree)


def nesting_depth(tree: ast.AST, limit: int) -> int:
    """The depth of the AST, or the first depth found above `limit` (without recursion)."""
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    deepest = 0
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        depth += 1
        for name in node._fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                stack.extend((item, depth) for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append((value, depth))
    return deepest


def dotted_expr(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


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
_SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _own_nodes(body: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node of a function body, not descending into nested functions, lambdas or classes
    (their own bodies are theirs); the nested definitions themselves are yielded."""
    stack = list(body)
    stack.reverse()
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _SCOPE_NODES):
            # Decorators and default values run in the enclosing scope.
            if isinstance(node, (*_FUNCTION_NODES, ast.ClassDef)):
                outer = [*node.decorator_list]
                if isinstance(node, ast.ClassDef):
                    outer += [*node.bases, *(k.value for k in node.keywords)]
                else:
                    outer += [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
                stack.extend(reversed(outer))
            continue
        children = list(ast.iter_child_nodes(node))
        children.reverse()
        stack.extend(children)


@dataclass
class _Env:
    """Names bound in one function (and, for closures, the functions around it)."""

    imports: dict[str, ImportTarget] = field(default_factory=dict)
    instances: dict[str, Ref | None] = field(default_factory=dict)
    """Locals assigned a call exactly once: name -> the callee (None when ambiguous)."""
    locals: set[str] = field(default_factory=set)
    self_name: str | None = None
    parent: _Env | None = None

    def ref_for_name(self, name: str) -> Ref | None:
        env: _Env | None = self
        while env is not None:
            if env.self_name == name:
                return Ref("self")
            if name in env.imports:
                return Ref("import", name, target=env.imports[name])
            if name in env.instances:
                inner = env.instances[name]
                return Ref("call", inner=inner) if inner is not None else None
            if name in env.locals:
                return None
            env = env.parent
        return Ref("global", name)


class _ModuleSummariser:
    def __init__(self) -> None:
        self.names: dict[str, NameBinding] = {}
        self.functions: dict[str, FunctionSummary] = {}
        self.classes: dict[str, ClassSummary] = {}

    def summarise(self, tree: ast.Module) -> ModuleSummary:
        module_env = _Env()
        self._module_body(tree.body, module_env)
        return ModuleSummary(self.names, self.functions, self.classes, _entry_points(tree, self.functions))

    def _bind(self, name: str, binding: NameBinding) -> None:
        previous = self.names.get(name)
        if previous is not None and previous != binding:
            same_kind = previous.kind == binding.kind and binding.kind in ("function", "class")
            binding = binding if same_kind else NameBinding("other")
        self.names[name] = binding

    def _module_body(self, body: list[ast.stmt], env: _Env) -> None:
        for statement in body:
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                for local, target in import_targets(statement):
                    self._bind(local, NameBinding("import", target=target))
            elif isinstance(statement, _FUNCTION_NODES):
                self._function(statement, "", None, env)
                self._bind(statement.name, NameBinding("function", statement.name))
            elif isinstance(statement, ast.ClassDef):
                self._class(statement, "", env)
                self._bind(statement.name, NameBinding("class", statement.name))
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                factory = _factory_ref(statement.value, env) if statement.value is not None else None
                for target in targets:
                    for name in _target_names(target):
                        simple = isinstance(target, ast.Name)
                        self._bind(
                            name, NameBinding("instance", ref=factory) if simple and factory else NameBinding("other")
                        )
            elif isinstance(statement, (ast.If, ast.Try, ast.With, ast.For, ast.While)) and not is_main_guard(
                statement
            ):
                for block in _blocks(statement):
                    self._module_body(block, env)
            else:
                for node in _own_nodes([statement]):
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        self._bind(node.id, NameBinding("other"))
                    elif isinstance(node, (ast.Import, ast.ImportFrom)):
                        for local, _ in import_targets(node):
                            self._bind(local, NameBinding("other"))

    def _class(self, node: ast.ClassDef, prefix: str, env: _Env) -> None:
        qualname = f"{prefix}{node.name}"
        methods: list[str] = []
        attributes: dict[str, Ref | None] = {}
        for statement in node.body:
            if isinstance(statement, _FUNCTION_NODES):
                methods.append(statement.name)
                function_attributes = self._function(statement, f"{qualname}.", qualname, env)
                for name, ref in function_attributes.items():
                    _merge(attributes, name, ref)
            elif isinstance(statement, ast.ClassDef):
                self._class(statement, f"{qualname}.", env)
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        _merge(attributes, target.id, _factory_ref(statement.value, env))
        bases = tuple(_base_ref(base, env) for base in node.bases)
        kept = {name: ref for name, ref in attributes.items() if ref is not None}
        self.classes[qualname] = ClassSummary(node.name, qualname, node.lineno, bases, tuple(methods), kept)

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, prefix: str, class_qualname: str | None, outer: _Env
    ) -> dict[str, Ref | None]:
        """Summarise a function (and the functions and classes nested in it); returns the
        `self.x = Factory(...)` assignments it makes, for its class."""
        qualname = f"{prefix}{node.name}"
        decorators = tuple(d for d in (_decorator_name(d) for d in node.decorator_list) if d is not None)
        if len(decorators) != len(node.decorator_list):
            decorators = (*decorators, "<expression>")
        env = _Env(parent=outer)
        params = [*node.args.posonlyargs, *node.args.args]
        static = any(d.rsplit(".", 1)[-1] == "staticmethod" for d in decorators)
        if class_qualname is not None and params and not static:
            env.self_name = params[0].arg
        for arg in (*params, *node.args.kwonlyargs, node.args.vararg, node.args.kwarg):
            if arg is not None and arg.arg != env.self_name:
                env.locals.add(arg.arg)
        own = list(_own_nodes(node.body))
        is_generator = False
        self_attributes: dict[str, Ref | None] = {}
        globals_declared: set[str] = set()
        for child in own:
            if isinstance(child, (ast.Global, ast.Nonlocal)):
                globals_declared.update(child.names)
        for child in own:
            if isinstance(child, (ast.Yield, ast.YieldFrom)):
                is_generator = True
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                for local, target in import_targets(child):
                    env.imports[local] = target
            elif isinstance(child, (*_FUNCTION_NODES, ast.ClassDef)):
                env.locals.add(child.name)
            elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store) and child.id not in globals_declared:
                env.locals.add(child.id)
            elif isinstance(child, (ast.Assign, ast.AnnAssign)) and child.value is not None:
                targets = child.targets if isinstance(child, ast.Assign) else [child.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id not in globals_declared:
                        if target.id in env.instances:
                            env.instances[target.id] = None
                        elif isinstance(child.value, ast.Call):
                            env.instances[target.id] = _callee_ref(child.value.func, env)
                    elif (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == env.self_name
                    ):
                        _merge(self_attributes, target.attr, _factory_ref(child.value, env))
        # A name assigned a call and also bound some other way is not an instance we know.
        for name in list(env.instances):
            if _bound_otherwise(name, own):
                env.instances[name] = None
        env.locals.difference_update(env.instances)
        env.locals.difference_update(env.imports)
        calls: list[CallSite] = []
        if node.__class__ is ast.FunctionDef:
            for child in own:
                if isinstance(child, ast.Call):
                    method = (
                        child.func.attr
                        if isinstance(child.func, ast.Attribute)
                        else (child.func.id if isinstance(child.func, ast.Name) else None)
                    )
                    calls.append(CallSite(_callee_ref(child.func, env), method, child.lineno, child.col_offset + 1))
        is_async = isinstance(node, ast.AsyncFunctionDef)
        previous = self.functions.get(qualname)
        if previous is not None and (previous.is_async != is_async or previous.is_generator != is_generator):
            # Defined twice, once sync and once async (`if sys.version_info...`): unknown.
            decorators = (*decorators, "<redefined>")
        self.functions[qualname] = FunctionSummary(
            node.name, qualname, is_async, is_generator, decorators, node.lineno, class_qualname, tuple(calls)
        )
        for child in own:
            if isinstance(child, _FUNCTION_NODES):
                self._function(child, f"{qualname}.", None, env)
            elif isinstance(child, ast.ClassDef):
                self._class(child, f"{qualname}.", env)
        return self_attributes


def _merge(attributes: dict[str, Ref | None], name: str, ref: Ref | None) -> None:
    if name in attributes and attributes[name] != ref:
        attributes[name] = None
    else:
        attributes[name] = ref


def _bound_otherwise(name: str, nodes: list[ast.AST]) -> bool:
    """Bound more than once (the call assignment plus a loop target, another assignment...)."""
    stores = sum(1 for n in nodes if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store))
    return stores > 1


def _callee_ref(func: ast.expr, env: _Env) -> Ref | None:
    attrs: list[str] = []
    node = func
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    attrs.reverse()
    if isinstance(node, ast.Name):
        head = env.ref_for_name(node.id)
    elif isinstance(node, ast.Call):
        inner = _callee_ref(node.func, env)
        head = Ref("call", inner=inner) if inner is not None else None
    else:
        return None
    return head.with_attrs(attrs) if head is not None else None


def _factory_ref(value: ast.expr, env: _Env) -> Ref | None:
    """For `x = Factory(...)`: the callee `Factory` (None for anything but a call)."""
    if isinstance(value, ast.Call):
        return _callee_ref(value.func, env)
    return None


def _base_ref(base: ast.expr, env: _Env) -> Ref | None:
    if isinstance(base, ast.Subscript):
        base = base.value
    return _callee_ref(base, env)


def _decorator_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    return dotted_expr(node)


def _target_names(target: ast.expr) -> Iterator[str]:
    for node in ast.walk(target):
        if isinstance(node, ast.Name):
            yield node.id


def _blocks(statement: ast.If | ast.Try | ast.With | ast.For | ast.While) -> list[list[ast.stmt]]:
    if isinstance(statement, ast.Try):
        return [statement.body, *(h.body for h in statement.handlers), statement.orelse, statement.finalbody]
    if isinstance(statement, ast.With):
        return [statement.body]
    return [statement.body, statement.orelse]


def _entry_points(tree: ast.Module, functions: dict[str, FunctionSummary]) -> frozenset[str]:
    if not any(is_main_guard(statement) for statement in tree.body):
        return frozenset()  # most modules: no need to walk the tree for the names it mentions
    guard_calls: set[str] = set()
    other_mentions: set[str] = set()
    for statement in tree.body:
        guarded = is_main_guard(statement)
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                (guard_calls if guarded else other_mentions).add(node.id)
    return frozenset(
        name
        for name in guard_calls - other_mentions
        if name in functions and not functions[name].is_async and functions[name].class_qualname is None
    )


# --- JSON ---


def _add_target(found: set[str], target: ImportTarget | None) -> None:
    if target is not None:
        found.update(part for part in target.module.split(".") if part)
        if target.name is not None:
            found.add(target.name)


def _target_data(target: ImportTarget | None) -> list | None:
    return None if target is None else [target.module, target.level, target.name]


def _target_from(data: list | None) -> ImportTarget | None:
    return None if data is None else ImportTarget(data[0], data[1], data[2])


def _ref_data(ref: Ref | None) -> list | None:
    if ref is None:
        return None
    return [ref.kind, ref.name, list(ref.attrs), _target_data(ref.target), _ref_data(ref.inner)]


def _ref_from(data: list | None) -> Ref | None:
    if data is None:
        return None
    return Ref(data[0], data[1], tuple(data[2]), _target_from(data[3]), _ref_from(data[4]))


def _binding_data(binding: NameBinding) -> list:
    return [binding.kind, binding.qualname, _target_data(binding.target), _ref_data(binding.ref)]


def _binding_from(data: list) -> NameBinding:
    return NameBinding(data[0], data[1], _target_from(data[2]), _ref_from(data[3]))


def _function_data(function: FunctionSummary) -> list:
    return [
        function.name,
        function.qualname,
        function.is_async,
        function.is_generator,
        list(function.decorators),
        function.line,
        function.class_qualname,
        [[_ref_data(c.ref), c.method, c.line, c.column] for c in function.calls],
    ]


def _function_from(data: list) -> FunctionSummary:
    calls = tuple(CallSite(_ref_from(c[0]), c[1], c[2], c[3]) for c in data[7])
    return FunctionSummary(data[0], data[1], data[2], data[3], tuple(data[4]), data[5], data[6], calls)


def _class_data(summary: ClassSummary) -> list:
    return [
        summary.name,
        summary.qualname,
        summary.line,
        [_ref_data(b) for b in summary.bases],
        list(summary.methods),
        {name: _ref_data(ref) for name, ref in summary.attributes.items()},
    ]


def _class_from(data: list) -> ClassSummary:
    return ClassSummary(
        data[0],
        data[1],
        data[2],
        tuple(_ref_from(b) for b in data[3]),
        tuple(data[4]),
        {name: ref for name, ref in ((n, _ref_from(r)) for n, r in data[5].items()) if ref is not None},
    )
