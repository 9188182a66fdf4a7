"""The one traversal of a module: keeps the scope stack and the bindings up to date and
hands every node to the rules that asked for its type.

Rules see the walker as their context (`ctx`): `ctx.scope`, `ctx.function`, `ctx.resolve(expr)`,
`ctx.parent`, `ctx.report(...)`, and `ctx.project` (the project index: other modules' coroutines,
classes, instances).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar
from typing import TYPE_CHECKING

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.names import BUILTIN_NAMES, attribute_chain, imported_names
from async_lint.analysis.reports import NodeFix, RelatedNode, Report
from async_lint.analysis.scopes import Binding, BindingKind, Scope, ScopeKind

if TYPE_CHECKING:
    from async_lint.analysis.project_view import ProjectView

Handler = Callable[[cst.CSTNode, "ModuleWalker"], None]
T = TypeVar("T")

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_BODIES = (cst.IndentedBlock, cst.SimpleStatementSuite)


class RuleFailure(Exception):
    """A rule raised while checking; carries the rule's code so the run can name it."""

    def __init__(self, code: str, error: BaseException) -> None:
        super().__init__(f"{code}: {type(error).__name__}: {error}")
        self.code = code
        self.error = error


class ModuleWalker(cst.CSTVisitor):
    def __init__(
        self,
        module: cst.Module,
        handlers: dict[type[cst.CSTNode], list[tuple[str, Handler]]],
        *,
        module_name: str | None = None,
        is_package: bool = False,
        filename: str = "<unknown>",
        project: ProjectView | None = None,
    ) -> None:
        super().__init__()
        self.module = module
        self.module_name = module_name
        self.is_package = is_package
        self.filename = filename
        self.project = project
        """The project index as this file sees it (None when the caller gave none)."""
        self._handlers = handlers
        self.module_scope = Scope(ScopeKind.MODULE, module, None, name=module_name or "")
        self.scope = self.module_scope
        self.ancestors: list[cst.CSTNode] = []
        self.reports: list[Report] = []
        self.memo: dict[str, object] = {}
        """Per-module results rules compute once (a pre-pass over the module), by key."""
        self._scope_nodes: list[cst.CSTNode] = []
        self._facts: dict[Callable[[ModuleWalker], object], object] = {}
        self._instance_attributes: dict[cst.ClassDef, dict[str, list[cst.BaseExpression]]] = {}
        self._bind_module_imports(module.body)

    # --- what rules use ---

    @property
    def function(self) -> Scope | None:
        """The innermost function or lambda the current code runs in (None at module level)."""
        return self.scope.enclosing_function()

    @property
    def in_async_function(self) -> bool:
        function = self.scope.enclosing_function()
        return function is not None and function.is_async

    @property
    def can_await(self) -> bool:
        """Whether an `await` inserted here keeps the meaning: inside an `async def`, and not
        inside a generator expression (an `await` there makes it an async generator)."""
        scope: Scope | None = self.scope
        while scope is not None and scope.kind is ScopeKind.COMPREHENSION:
            if isinstance(scope.node, cst.GeneratorExp):
                return False
            scope = scope.parent
        return scope is not None and scope.kind is ScopeKind.FUNCTION and scope.is_async

    @property
    def parent(self) -> cst.CSTNode | None:
        """The parent of the node being visited."""
        return self.ancestors[-1] if self.ancestors else None

    def resolve(self, expr: cst.BaseExpression, scope: Scope | None = None) -> str | None:
        """The qualified name an expression stands for through imports (`t.sleep` with
        `import time as t` -> `time.sleep`; `open` -> `builtins.open`), else None.
        Names are looked up from `scope` (default: the current scope)."""
        chain = attribute_chain(expr)
        if chain is None:
            return None
        name, attrs = chain
        base = self.resolve_name(name, scope)
        if base is None:
            return None
        return ".".join([base, *attrs])

    def resolve_name(self, name: str, scope: Scope | None = None) -> str | None:
        binding = (scope or self.scope).lookup(name)
        if binding is None:
            return f"builtins.{name}" if name in BUILTIN_NAMES else None
        return binding.qualified_name

    def lookup(self, name: str) -> Binding | None:
        return self.scope.lookup(name)

    def instance_attribute_values(self, expr: cst.BaseExpression) -> tuple[cst.BaseExpression, ...]:
        """For `self.x` inside a method: every value assigned to `x` in the class body or to
        `self.x` in the class's methods (in any order); empty when `expr` is not such an attribute."""
        if not isinstance(expr, cst.Attribute) or not isinstance(expr.value, cst.Name):
            return ()
        scope: Scope | None = self.scope
        while scope is not None and not (
            scope.kind is ScopeKind.FUNCTION and scope.parent is not None and scope.parent.kind is ScopeKind.CLASS
        ):
            scope = scope.parent
        if scope is None or not isinstance(scope.node, cst.FunctionDef):
            return ()
        receiver = _first_parameter(scope.node)
        if receiver is None or receiver.name.value != expr.value.value:
            return ()
        binding = self.lookup(receiver.name.value)
        if binding is None or binding.node is not receiver:
            return ()
        class_node = scope.parent.node  # type: ignore[union-attr]
        assert isinstance(class_node, cst.ClassDef)
        if class_node not in self._instance_attributes:
            self._instance_attributes[class_node] = _attribute_assignments(class_node)
        return tuple(self._instance_attributes[class_node].get(expr.attr.value, ()))

    def local_name_for_module(self, module: str) -> str | None:
        """The name under which `module` is imported and visible here (`aio` after
        `import asyncio as aio`), or None."""
        if self.resolve_name(module) == module:
            return module
        scope: Scope | None = self.scope
        while scope is not None:
            for name in scope.imported_as.get(module, ()):
                binding = scope.bindings.get(name)
                if (
                    binding is not None
                    and binding.kind is BindingKind.IMPORT
                    and binding.qualified_name == module
                    and self.resolve_name(binding.name) == module
                ):
                    return binding.name
            scope = scope.parent
        return None

    def module_reference(self, module: str) -> tuple[str, tuple[str, ...]] | None:
        """How to spell `module` in a fix here, and which imports the fix must add.
        None when the plain name is taken by something else, so no fix can name it."""
        local = self.local_name_for_module(module)
        if local is not None:
            return local, ()
        if self.scope.lookup(module) is not None:
            return None
        return module, (module,)

    def facts(self, compute: Callable[[ModuleWalker], T]) -> T:
        """A whole-module analysis (`compute(walker)`), computed on first use and shared by
        every rule for the rest of this module's traversal."""
        if compute not in self._facts:
            self._facts[compute] = compute(self)
        return self._facts[compute]  # type: ignore[return-value]

    def report(
        self,
        code: str,
        node: cst.CSTNode,
        message: str,
        fix: NodeFix | None = None,
        related: Iterable[RelatedNode] = (),
    ) -> None:
        self.reports.append(Report(code, node, message, fix, tuple(related)))

    # --- the traversal ---

    def walk(self) -> None:
        """Visit the module: what `module.visit(self)` does, minus the syntax trivia no rule
        handles and without LibCST rebuilding every node (see `analysis.traversal`)."""
        traversal.walk(self.module, self.on_visit, self.on_leave, traversal.skipped_types(self._handlers.keys()))

    def on_visit(self, node: cst.CSTNode) -> bool:
        node_type = type(node)
        handlers = self._handlers.get(node_type)
        if handlers:
            for code, handler in handlers:
                try:
                    handler(node, self)
                except RecursionError:
                    raise
                except Exception as error:  # noqa: BLE001 - reported as ASL003 by the checker
                    raise RuleFailure(code, error) from error
        if node_type in _BODIES:
            owner = self.ancestors[-1] if self.ancestors else None
            if isinstance(owner, cst.FunctionDef) and owner.body is node:
                self._enter_function(owner)
            elif isinstance(owner, cst.ClassDef) and owner.body is node:
                self._push(Scope(ScopeKind.CLASS, owner, self.scope, name=owner.name.value), node)
        elif node_type is cst.FunctionDef:
            self._bind_def(node, BindingKind.FUNCTION)  # type: ignore[arg-type]
        elif node_type is cst.ClassDef:
            self._bind_def(node, BindingKind.CLASS)  # type: ignore[arg-type]
        elif node_type is cst.Import or node_type is cst.ImportFrom:
            self._bind_imports(node)  # type: ignore[arg-type]
        elif node_type is cst.Assign:
            for target in node.targets:  # type: ignore[attr-defined]
                self._bind_target(target.target, node.value)  # type: ignore[attr-defined]
        elif node_type is cst.AnnAssign:
            self._bind_target(node.target, node.value)  # type: ignore[attr-defined]
        elif node_type is cst.For:
            self._bind_target(node.target, None)  # type: ignore[attr-defined]
        elif node_type is cst.WithItem:
            if node.asname is not None:  # type: ignore[attr-defined]
                self._bind_target(node.asname.name, node.item)  # type: ignore[attr-defined]
        elif node_type is cst.NamedExpr:
            self._bind_target(node.target, node.value)  # type: ignore[attr-defined]
        elif node_type is cst.Lambda:
            scope = Scope(ScopeKind.LAMBDA, node, self.scope, name="<lambda>")
            self._bind_parameters(scope, node.params)  # type: ignore[attr-defined]
            self._push(scope, node)
        elif node_type in _COMPREHENSIONS:
            is_async = self.in_async_function or _has_async_for(node)
            self._push(Scope(ScopeKind.COMPREHENSION, node, self.scope, is_async=is_async), node)
        elif node_type is cst.CompFor:
            self._bind_target(node.target, None)  # type: ignore[attr-defined]
        self.ancestors.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.ancestors.pop()
        if self._scope_nodes and self._scope_nodes[-1] is original_node:
            self._scope_nodes.pop()
            assert self.scope.parent is not None
            self.scope = self.scope.parent

    # --- bookkeeping ---

    def _push(self, scope: Scope, node: cst.CSTNode) -> None:
        self.scope = scope
        self._scope_nodes.append(node)

    def _enter_function(self, node: cst.FunctionDef) -> None:
        scope = Scope(
            ScopeKind.FUNCTION,
            node,
            self.scope,
            name=node.name.value,
            is_async=node.asynchronous is not None,
        )
        self._bind_parameters(scope, node.params)
        self._push(scope, node.body)

    def _bind_parameters(self, scope: Scope, params: cst.Parameters) -> None:
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.bind(Binding(param.name.value, BindingKind.PARAMETER, param))
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.bind(Binding(star.name.value, BindingKind.PARAMETER, star))

    def _bind_def(self, node: cst.FunctionDef | cst.ClassDef, kind: BindingKind) -> None:
        name = node.name.value
        qualified = None
        if self.scope.kind is ScopeKind.MODULE and self.module_name:
            qualified = f"{self.module_name}.{name}"
        is_async = isinstance(node, cst.FunctionDef) and node.asynchronous is not None
        self.scope.bind(Binding(name, kind, node, qualified_name=qualified, is_async=is_async))

    def _bind_imports(self, node: cst.Import | cst.ImportFrom) -> None:
        for local, qualified in imported_names(node, self.module_name, self.is_package):
            self.scope.bind(Binding(local, BindingKind.IMPORT, node, qualified_name=qualified))

    def _bind_module_imports(self, body: Iterable[cst.CSTNode]) -> None:
        """Module-level imports are visible to every function, wherever they stand."""
        for statement in body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, (cst.Import, cst.ImportFrom)):
                        self._bind_imports(small)
            elif isinstance(statement, cst.If):
                self._bind_module_imports(statement.body.body)
                if isinstance(statement.orelse, cst.If):
                    self._bind_module_imports([statement.orelse])
                elif statement.orelse is not None:
                    self._bind_module_imports(statement.orelse.body.body)
            elif isinstance(statement, cst.Try):
                self._bind_module_imports(statement.body.body)
                for handler in statement.handlers:
                    self._bind_module_imports(handler.body.body)

    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(Binding(target.value, BindingKind.ASSIGNMENT, target, value=value))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                inner = element.value
                self._bind_target(inner, None)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, None)


def _first_parameter(function: cst.FunctionDef) -> cst.Param | None:
    params = (*function.params.posonly_params, *function.params.params)
    return params[0] if params else None


def _statements(body: cst.BaseSuite) -> Iterable[cst.BaseSmallStatement]:
    """The small statements of a block and of the blocks nested in it (if/for/while/try/with),
    not descending into nested functions or classes: a cheap scan that skips expressions."""
    if isinstance(body, cst.SimpleStatementSuite):
        yield from body.body
        return
    for statement in body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
        elif not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            for block in _blocks(statement):
                yield from _statements(block)


def _blocks(statement: cst.BaseCompoundStatement) -> Iterable[cst.BaseSuite]:
    for attribute in ("body", "orelse", "finalbody"):
        part = getattr(statement, attribute, None)
        if isinstance(part, cst.If):
            yield from _blocks(part)
        elif isinstance(part, (cst.Else, cst.Finally)):
            yield part.body
        elif isinstance(part, cst.BaseSuite):
            yield part
    for clause in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
        yield clause.body


def _assigned(small: cst.BaseSmallStatement) -> Iterable[tuple[cst.BaseExpression, cst.BaseExpression]]:
    """(target, value) pairs of an assignment statement."""
    if isinstance(small, cst.Assign):
        for target in small.targets:
            yield target.target, small.value
    elif isinstance(small, cst.AnnAssign) and small.value is not None:
        yield small.target, small.value


def _attribute_assignments(class_node: cst.ClassDef) -> dict[str, list[cst.BaseExpression]]:
    """`x = value` in the class body and `self.x = value` in its methods, by attribute name."""
    found: dict[str, list[cst.BaseExpression]] = {}
    for statement in class_node.body.body:
        if isinstance(statement, cst.FunctionDef):
            receiver = _first_parameter(statement)
            if receiver is None:
                continue
            for small in _statements(statement.body):
                for target, value in _assigned(small):
                    if (
                        isinstance(target, cst.Attribute)
                        and isinstance(target.value, cst.Name)
                        and target.value.value == receiver.name.value
                    ):
                        found.setdefault(target.attr.value, []).append(value)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                for target, value in _assigned(small):
                    if isinstance(target, cst.Name):
                        found.setdefault(target.value, []).append(value)
    return found


def _has_async_for(node: cst.CSTNode) -> bool:
    comp_for = getattr(node, "for_in", None)
    while isinstance(comp_for, cst.CompFor):
        if comp_for.asynchronous is not None:
            return True
        comp_for = comp_for.inner_for_in
    return False
