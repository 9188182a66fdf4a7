"""What a function is to the framework that calls it: a web route handler, a LangGraph node, a
LangChain/MCP tool, or the script's entry point.

A role comes from a decorator (`@app.get("/x")` on a `FastAPI()` app, `@tool`, `@mcp.tool()`),
from a registration anywhere in the module (`builder.add_node("n", fn)` on a `StateGraph`,
`Route("/x", endpoint)`, `app.add_api_route("/x", fn)`), from a class (`_run` of a `BaseTool`
subclass), or from the `if __name__ == "__main__":` block. Decorators and app objects are
resolved through imports and bindings; what cannot be resolved gives no role (silence).

Registrations can come after the function, so they are collected by one extra pass over the
module, made only when a rule first asks (`function_role(ctx, frame)`) and only in modules that
import a registering framework (`REGISTERING_PACKAGES`) at module level, and shared by every rule.
What an app or builder object is comes from the type inference (`app = FastAPI()` here or in
another module; `builder.add_node(...)` on a `StateGraph`).
"""

from __future__ import annotations

import enum
import fnmatch
from dataclasses import dataclass, field

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.cst_expressions import from_cst
from async_lint.analysis.inference import Place
from async_lint.analysis.module_model import BindingKind
from async_lint.analysis.types import ClassType, made_by
from async_lint.analysis.walker import Frame, FrameKind, ModuleWalker, ScopeKeys
from async_lint.knowledge.function_roles import (
    CONFIGURED,
    ENTRY_POINT_RUNNERS,
    GRAPH_CLASSES,
    GRAPH_FUNCTION_DECORATORS,
    GRAPH_NODE_KEYWORD,
    GRAPH_NODE_METHOD,
    LANGCHAIN_TOOL,
    LANGGRAPH,
    MCP_DECORATOR_METHODS,
    MCP_SERVER_CLASSES,
    MCP_TOOL,
    REGISTERING_PACKAGES,
    ROUTE_APP_CLASSES,
    ROUTE_CONSTRUCTORS,
    ROUTE_DECORATOR_METHODS,
    ROUTE_REGISTRATION_KEYWORDS,
    ROUTE_REGISTRATION_METHODS,
    TOOL_ASYNC_METHOD,
    TOOL_BASE_CLASSES,
    TOOL_CONSTRUCTORS,
    TOOL_COROUTINE_KEYWORD,
    TOOL_DECORATORS,
    TOOL_SYNC_METHOD,
    Framework,
)

FunctionNode = cst.FunctionDef | cst.Lambda


class RoleKind(enum.Enum):
    ROUTE_HANDLER = "route handler"
    GRAPH_NODE = "graph node"
    TOOL = "tool"
    ENTRY_POINT = "entry point"


@dataclass(frozen=True)
class FunctionRole:
    kind: RoleKind
    framework: Framework | None
    """Who calls the function (None for an entry point: the interpreter does)."""
    evidence: cst.CSTNode
    """The decorator, registration call or class that gives the role."""
    sync_fallback: bool = False
    """The framework also has an async implementation (`_arun` next to `_run`,
    `from_function(func=f, coroutine=af)`), so this sync one only serves sync callers."""

    def describe(self, name: str) -> str:
        """`FastAPI route handler `get_item``, `LangGraph node `retrieve``, `entry point `main``."""
        shown = "(a lambda)" if name == "<lambda>" else f"`{name}`"
        if self.framework is None:
            return f"entry point {shown}"
        return f"{self.framework.name} {self.framework.role} {shown}"


def function_role(
    ctx: ModuleWalker, function: Frame, route_decorators: frozenset[str] = frozenset()
) -> FunctionRole | None:
    """The role of the function (or lambda) whose frame this is, None if it has none we can
    show. `route_decorators` are the configured extra route decorators (`RuleOptions`)."""
    roles = ctx.facts(ModuleRoles)
    key = (function.node, route_decorators)
    if key not in roles.cache:
        roles.cache[key] = roles.compute(ctx, function, route_decorators)
    return roles.cache[key]


@dataclass(eq=False)
class _Registration:
    """A call that hands a function to a framework: `builder.add_node("n", fn)`, `Route("/", fn)`."""

    call: cst.Call
    target: cst.BaseExpression
    """The function argument (`fn`, `self.node`, a lambda)."""
    key: str
    """The model scope the call is made in."""


@dataclass(eq=False)
class ModuleRoles:
    """The module facts behind `function_role`: registrations, assignments, local imports."""

    ctx: ModuleWalker
    registrations: list[_Registration] = field(default_factory=list)
    entry_points: set[str] = field(default_factory=set)
    cache: dict[tuple[cst.CSTNode, frozenset[str]], FunctionRole | None] = field(default_factory=dict)

    collected: bool = False

    def __post_init__(self) -> None:
        for statement in self.ctx.module.body:
            if isinstance(statement, cst.If) and _is_main_guard(statement.test):
                traversal.visit(statement.body, _EntryPointCollector(self.entry_points, self.ctx))

    def _collect(self) -> None:
        """The extra pass over the module, made once and only where a framework that takes
        functions by registration is imported at module level (a cheap gate: the pass costs
        about as much as the walk itself)."""
        if self.collected:
            return
        self.collected = True
        imports = self.ctx.imported_modules()
        if any(name == package or name.startswith(package + ".") for name in imports for package in REGISTERING_PACKAGES):
            traversal.visit(self.ctx.module, _RegistrationCollector(self))

    # --- one function's role ---

    def compute(self, ctx: ModuleWalker, function: Frame, route_decorators: frozenset[str]) -> FunctionRole | None:
        node = function.node
        parent = function.parent
        if parent is None:
            return None
        if isinstance(node, cst.FunctionDef):
            for decorator in node.decorators:
                role = self._decorator_role(ctx, decorator, parent, route_decorators)
                if role is not None:
                    return role
            if node.name.value == TOOL_SYNC_METHOD and parent.kind is FrameKind.CLASS and self._is_tool_class(ctx, parent):
                has_arun = _defines_async_method(parent.node, TOOL_ASYNC_METHOD)
                return FunctionRole(RoleKind.TOOL, LANGCHAIN_TOOL, parent.node, sync_fallback=has_arun)
        self._collect()
        for registration in self.registrations:
            if self._targets(registration, function):
                role = self._registration_role(ctx, registration)
                if role is not None:
                    return role
        if (
            isinstance(node, cst.FunctionDef)
            and parent.kind is FrameKind.MODULE
            and node.name.value in self.entry_points
        ):
            return FunctionRole(RoleKind.ENTRY_POINT, None, node)
        return None

    def _decorator_role(
        self, ctx: ModuleWalker, decorator: cst.Decorator, scope: Frame, route_decorators: frozenset[str]
    ) -> FunctionRole | None:
        expr = decorator.decorator
        func = expr.func if isinstance(expr, cst.Call) else expr
        qualified = ctx.resolve(func, scope)
        if qualified in TOOL_DECORATORS:
            return FunctionRole(RoleKind.TOOL, LANGCHAIN_TOOL, decorator)
        if qualified in GRAPH_FUNCTION_DECORATORS:
            return FunctionRole(RoleKind.GRAPH_NODE, LANGGRAPH, decorator)
        if _is_configured_route(func, qualified, route_decorators):
            return FunctionRole(RoleKind.ROUTE_HANDLER, CONFIGURED, decorator)
        if not isinstance(func, cst.Attribute):
            return None
        owner = self._object_class(ctx, func.value, scope)
        method = func.attr.value
        framework = ROUTE_APP_CLASSES.get(owner or "")
        if framework is not None and method in ROUTE_DECORATOR_METHODS.get(framework, ()):
            return FunctionRole(RoleKind.ROUTE_HANDLER, framework, decorator)
        if owner in MCP_SERVER_CLASSES and method in MCP_DECORATOR_METHODS:
            return FunctionRole(RoleKind.TOOL, MCP_TOOL, decorator)
        return None

    def _object_class(self, ctx: ModuleWalker, expr: cst.BaseExpression, frame: Frame) -> str | None:
        """The qualified class of `app` in `@app.get(...)` (`app = FastAPI()`, here or imported)."""
        return made_by(ctx.inference.expression(from_cst(expr), Place(ctx.path, frame.key)))

    def _is_tool_class(self, ctx: ModuleWalker, class_frame: Frame) -> bool:
        """A class deriving (through project classes anywhere) from a LangChain tool base."""
        cls = ClassType(ctx.path, class_frame.key)
        return any(base.qualified in TOOL_BASE_CLASSES for base in ctx.inference.external_bases(cls))

    # --- registrations ---

    def _targets(self, registration: _Registration, function: Frame) -> bool:
        """Whether the registration's function argument is this function."""
        target = registration.target
        node = function.node
        if isinstance(node, cst.Lambda):
            return target is node
        assert isinstance(node, cst.FunctionDef)
        name = node.name.value
        model = self.ctx.model
        if isinstance(target, cst.Name):
            if target.value != name:
                return False
            found = model.lookup(name, registration.key)
            return found is not None and any(
                b.kind is BindingKind.FUNCTION and b.definition == function.key for b in found[1]
            )
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.attr.value == name:
            registering = model.function(registration.key)
            parent = function.parent
            return (
                registering is not None
                and target.value.value == registering.self_name
                and parent is not None
                and parent.kind is FrameKind.CLASS
                and registering.class_key == parent.key
            )
        return False

    def _registration_role(self, ctx: ModuleWalker, registration: _Registration) -> FunctionRole | None:
        call = registration.call
        func = call.func
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            owner = self._class_of(ctx, func.value, registration)
            if method == GRAPH_NODE_METHOD and owner in GRAPH_CLASSES:
                return FunctionRole(RoleKind.GRAPH_NODE, LANGGRAPH, call)
            framework = ROUTE_APP_CLASSES.get(owner or "")
            if framework is not None and method in ROUTE_REGISTRATION_METHODS.get(framework, {}):
                return FunctionRole(RoleKind.ROUTE_HANDLER, framework, call)
        qualified = self._resolve(ctx, func, registration)
        if qualified in ROUTE_CONSTRUCTORS:
            return FunctionRole(RoleKind.ROUTE_HANDLER, ROUTE_CONSTRUCTORS[qualified][0], call)
        if qualified in TOOL_CONSTRUCTORS:
            return FunctionRole(RoleKind.TOOL, LANGCHAIN_TOOL, call, sync_fallback=_keyword(call, TOOL_COROUTINE_KEYWORD) is not None)
        return None

    def _class_of(self, ctx: ModuleWalker, expr: cst.BaseExpression, registration: _Registration) -> str | None:
        """The qualified class of a receiver (`StateGraph(State)`, a name bound to one)."""
        return made_by(ctx.inference.expression(from_cst(expr), Place(ctx.path, registration.key)))

    def _resolve(self, ctx: ModuleWalker, expr: cst.BaseExpression, registration: _Registration) -> str | None:
        """Resolve through the registering scope's imports, then the module's."""
        return ctx.inference.qualified_name(from_cst(expr), Place(ctx.path, registration.key))


class _RegistrationCollector(cst.CSTVisitor):
    """Collects registrations in one pass, with the model scope each is made in."""

    def __init__(self, roles: ModuleRoles) -> None:
        super().__init__()
        self.roles = roles
        self.keys = ScopeKeys()
        self.stack: list[str] = [""]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.stack.append(self.keys.key(self.stack[-1], node.name.value))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.stack.append(self.keys.key(self.stack[-1], node.name.value))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.stack.pop()

    def visit_Call(self, node: cst.Call) -> None:
        target = _function_argument(node)
        if target is not None:
            self.roles.registrations.append(_Registration(node, target, self.stack[-1]))


_ENDPOINT_POSITIONS: dict[str, int] = {
    method: position for methods in ROUTE_REGISTRATION_METHODS.values() for method, position in methods.items()
}
"""Where `app.add_api_route("/x", endpoint)` and its kind take the endpoint, by method name."""


def _argument_slots() -> dict[str, tuple[tuple[int, str], ...]]:
    """By the last part of a constructor's name (`Route`, `from_function`, `get`): where the
    function argument may be (position, keyword)."""
    slots: dict[str, tuple[tuple[int, str], ...]] = {}
    places = [(name, position, keyword) for name, (_, position, keyword) in ROUTE_CONSTRUCTORS.items()]
    places += [(name, position, keyword) for name, (position, keyword) in TOOL_CONSTRUCTORS.items()]
    for name, position, keyword in places:
        last = name.rsplit(".", 1)[1]
        if (position, keyword) not in slots.get(last, ()):
            slots[last] = (*slots.get(last, ()), (position, keyword))
    return slots


_ARGUMENT_SLOTS = _argument_slots()


def _function_argument(call: cst.Call) -> cst.BaseExpression | None:
    """The function a possible registration call hands over (resolution comes later)."""
    func = call.func
    last = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    if last is None:
        return None
    if last == GRAPH_NODE_METHOD:
        # add_node(fn) / add_node("name", fn) / add_node("name", action=fn)
        positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
        action = _keyword(call, GRAPH_NODE_KEYWORD)
        if action is not None:
            return action
        if len(positional) >= 2:
            return positional[1].value
        if len(positional) == 1 and not isinstance(positional[0].value, (cst.SimpleString, cst.ConcatenatedString)):
            return positional[0].value
        return None
    if last in _ENDPOINT_POSITIONS:
        for name in ROUTE_REGISTRATION_KEYWORDS:
            endpoint = _argument(call, _ENDPOINT_POSITIONS[last], name)
            if endpoint is not None:
                return endpoint
        return None
    for position, slot in _ARGUMENT_SLOTS.get(last, ()):
        argument = _argument(call, position, slot)
        if argument is not None:
            return argument
    return None


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    found = _keyword(call, keyword)
    if found is not None:
        return found
    positional = [arg for arg in call.args if arg.keyword is None]
    if any(arg.star for arg in positional[: position + 1]):
        return None
    if len(positional) > position:
        return positional[position].value
    return None


_ANY_OWNER = "*."
"""A `route-decorators` pattern `*.route` names a decorator by its last attribute alone."""


def _is_configured_route(func: cst.BaseExpression, qualified: str | None, patterns: frozenset[str]) -> bool:
    """`route-decorators`: qualified names (`myapp.web.route`, globs allowed) or `*.attr`
    patterns matching the decorator's last attribute (`*.route` matches `@bp.route(...)`)."""
    for pattern in patterns:
        attribute = pattern.removeprefix(_ANY_OWNER)
        if attribute != pattern and attribute.isidentifier():
            if isinstance(func, cst.Attribute) and func.attr.value == attribute:
                return True
        elif qualified is not None and fnmatch.fnmatchcase(qualified, pattern):
            return True
    return False


def _defines_async_method(node: cst.CSTNode, name: str) -> bool:
    """Whether the class body has `async def name` (anywhere in it: later methods too)."""
    if not isinstance(node, cst.ClassDef) or not isinstance(node.body, cst.IndentedBlock):
        return False
    return any(
        isinstance(statement, cst.FunctionDef) and statement.name.value == name and statement.asynchronous is not None
        for statement in node.body.body
    )


def _is_main_guard(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"` (either way round)."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    comparison = test.comparisons[0]
    if not isinstance(comparison.operator, cst.Equal):
        return False
    sides = (test.left, comparison.comparator)
    names = [side for side in sides if isinstance(side, cst.Name) and side.value == "__name__"]
    strings = [side for side in sides if isinstance(side, cst.SimpleString) and side.evaluated_value == "__main__"]
    return len(names) == 1 and len(strings) == 1


class _EntryPointCollector(cst.CSTVisitor):
    """Names of module functions called in the `__main__` block: `main()`, `asyncio.run(main())`."""

    def __init__(self, found: set[str], ctx: ModuleWalker) -> None:
        super().__init__()
        self.found = found
        self.ctx = ctx

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            self.found.add(node.func.value)
        if self.ctx.resolve(node.func, self.ctx.module_frame) in ENTRY_POINT_RUNNERS and node.args:
            first = node.args[0].value
            if isinstance(first, cst.Name):
                self.found.add(first.value)
