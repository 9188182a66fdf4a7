"""The one traversal of a module: keeps track of where it is (which module, class, function,
lambda or comprehension) and hands every node to the rules that asked for its type.

What names mean is not the walker's business: the module model (`analysis.module_model`) holds
every scope's bindings and the type inference (`analysis.inference`) answers what an expression
holds. The walker's frames point into that model (`Frame.key`); lambdas and comprehensions are
frames only (their names are unknown to the inference).

Rules see the walker as their context (`ctx`): `ctx.frame`, `ctx.function`, `ctx.resolve(expr)`,
`ctx.type_of(expr)`, `ctx.object_info(expr)`, `ctx.parent`, `ctx.report(...)`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.cst_expressions import from_cst
from async_lint.analysis.framework_objects import ObjectInfo
from async_lint.analysis.inference import Place, TypeInference
from async_lint.analysis.module_model import MODULE, Binding, BindingKind, ModuleModel, Scope
from async_lint.analysis.project_view import ProjectView
from async_lint.analysis.reports import NodeFix, RelatedNode, Report
from async_lint.analysis.types import Type, made_by

Handler = Callable[[cst.CSTNode, "ModuleWalker"], None]
T = TypeVar("T")

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_BODIES = (cst.IndentedBlock, cst.SimpleStatementSuite)


class FrameKind(enum.Enum):
    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    LAMBDA = "lambda"
    COMPREHENSION = "comprehension"


@dataclass(eq=False)
class Frame:
    """Where the traversal is: a module, class, function, lambda or comprehension."""

    kind: FrameKind
    node: cst.CSTNode
    parent: Frame | None
    key: str
    """The model scope whose names apply here (a lambda's or comprehension's: the enclosing one)."""
    name: str = ""
    is_async: bool = False
    """For functions: `async def`. For comprehensions: `async for` in it or in an async def."""
    shadowed: frozenset[str] = field(default_factory=frozenset)
    """For lambdas and comprehensions: the names they bind (parameters, loop targets)."""

    @property
    def qualname(self) -> str:
        """Dotted name of the frame inside its module (`Agent.run`), as `__qualname__` has it."""
        parts: list[str] = []
        frame: Frame | None = self
        while frame is not None and frame.kind is not FrameKind.MODULE:
            named = frame.kind is FrameKind.FUNCTION or frame.kind is FrameKind.CLASS
            parts.append(frame.name if named else f"<{frame.kind.value}>")
            frame = frame.parent
        return ".".join(reversed(parts))

    def enclosing_function(self) -> Frame | None:
        """The innermost function or lambda this frame runs in (comprehensions run in the
        function around them); None at module or class level."""
        frame: Frame | None = self
        while frame is not None:
            if frame.kind is FrameKind.FUNCTION or frame.kind is FrameKind.LAMBDA:
                return frame
            if frame.kind is FrameKind.CLASS or frame.kind is FrameKind.MODULE:
                return None
            frame = frame.parent
        return None


class ScopeKeys:
    """The model's key for each function and class, met in source order: `parent.name`, and
    `#2` for a second definition of the same path (as `module_model` numbers them)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def key(self, parent: str, name: str) -> str:
        base = f"{parent}.{name}" if parent else name
        key = base
        number = 1
        while key in self._seen:
            number += 1
            key = f"{base}#{number}"
        self._seen.add(key)
        return key


class RuleFailure(Exception):
    """A rule raised while checking; carries the rule's code so the run can name it."""

    def __init__(self, code: str, error: BaseException) -> None:
        super().__init__(f"{code}: {type(error).__name__}: {error}")
        self.code = code
        self.error = error


class ModuleWalker:
    def __init__(
        self,
        module: cst.Module,
        handlers: dict[type[cst.CSTNode], list[tuple[str, Handler]]],
        view: ProjectView,
        *,
        module_name: str | None = None,
        is_package: bool = False,
        filename: str = "<unknown>",
    ) -> None:
        self.module = module
        self.module_name = module_name
        self.is_package = is_package
        self.filename = filename
        self.view = view
        """The project as this file sees it: its model, the other modules', the inference."""
        self.path: Path = view.path
        self.model: ModuleModel = view.current
        self._handlers = handlers
        self.module_frame = Frame(FrameKind.MODULE, module, None, MODULE, name=module_name or "")
        self.frame = self.module_frame
        self.ancestors: list[cst.CSTNode] = []
        self.reports: list[Report] = []
        self._frame_nodes: list[cst.CSTNode] = []
        self._keys = ScopeKeys()
        self._facts: dict[Callable[[ModuleWalker], object], object] = {}
        self._types: dict[int, Type | None] = {}

    # --- what rules use ---

    @property
    def inference(self) -> TypeInference:
        return self.view.project.inference

    @property
    def function(self) -> Frame | None:
        """The innermost function or lambda the current code runs in (None at module level)."""
        return self.frame.enclosing_function()

    @property
    def in_async_function(self) -> bool:
        function = self.frame.enclosing_function()
        return function is not None and function.is_async

    @property
    def can_await(self) -> bool:
        """Whether an `await` inserted here keeps the meaning: inside an `async def`, and not
        inside a generator expression (an `await` there makes it an async generator)."""
        frame: Frame | None = self.frame
        while frame is not None and frame.kind is FrameKind.COMPREHENSION:
            if isinstance(frame.node, cst.GeneratorExp):
                return False
            frame = frame.parent
        return frame is not None and frame.kind is FrameKind.FUNCTION and frame.is_async

    @property
    def parent(self) -> cst.CSTNode | None:
        """The parent of the node being visited."""
        return self.ancestors[-1] if self.ancestors else None

    @property
    def place(self) -> Place:
        """Where the current code is, as the inference names places."""
        return Place(self.path, self.frame.key)

    def shadowed(self, name: str, frame: Frame | None = None) -> bool:
        """Whether `name` is bound by a lambda or comprehension around the current code."""
        frame = frame or self.frame
        while frame is not None and (frame.kind is FrameKind.LAMBDA or frame.kind is FrameKind.COMPREHENSION):
            if name in frame.shadowed:
                return True
            frame = frame.parent
        return False

    def expression(self, expr: cst.BaseExpression) -> object:
        """`expr` in the inference's form (see `analysis.cst_expressions`)."""
        return from_cst(expr, self.shadowed)

    def type_of(self, expr: cst.BaseExpression) -> Type | None:
        """What `expr`, where the traversal is, holds (None: unknown). Memoised per node."""
        key = id(expr)
        if key in self._types:
            return self._types[key]
        found = self.inference.expression(from_cst(expr, self.shadowed), self.place)
        self._types[key] = found
        return found

    def made_by(self, expr: cst.BaseExpression) -> str | None:
        """The external class or factory that made the value of `expr` (`asyncio.Runner`,
        `asyncio.get_running_loop`), see `types.made_by`."""
        return made_by(self.type_of(expr))

    def object_info(self, expr: cst.BaseExpression) -> ObjectInfo | None:
        """Which LangChain/LangGraph/SDK object `expr` holds, if it is shown to be one."""
        return self.inference.object_info(self.type_of(expr))

    def resolve(self, expr: cst.BaseExpression, frame: Frame | None = None) -> str | None:
        """The qualified name an expression stands for through imports (`t.sleep` with
        `import time as t` -> `time.sleep`; `open` -> `builtins.open`), else None."""
        frame = frame or self.frame
        converted = from_cst(expr, lambda name: self.shadowed(name, frame))
        return self.inference.qualified_name(converted, Place(self.path, frame.key))

    def resolve_name(self, name: str) -> str | None:
        return self.resolve(cst.Name(name))

    def bindings(self, name: str) -> tuple[Scope, list[Binding]] | None:
        """The model scope binding `name` where the traversal is, with its bindings; None when
        nothing in the module binds it, or a lambda or comprehension does."""
        if self.shadowed(name):
            return None
        return self.model.lookup(name, self.frame.key)

    def imported_modules(self) -> Iterable[str]:
        """The dotted names of the modules and names this module imports at module level."""
        for bindings in self.model.names.values():
            for binding in bindings:
                if binding.kind is BindingKind.IMPORT and binding.target is not None and not binding.target.level:
                    yield binding.target.dotted()

    def local_name_for_module(self, module: str) -> str | None:
        """The name under which `module` is imported and visible here (`aio` after
        `import asyncio as aio`), or None."""
        if self.resolve_name(module) == module:
            return module
        key: str | None = self.frame.key
        while key is not None:
            scope = self.model.scopes.get(key)
            if scope is None:
                return None
            for name, bindings in scope.bindings.items():
                if any(b.kind is BindingKind.IMPORT and b.target is not None and b.target.dotted() == module for b in bindings):
                    if self.resolve_name(name) == module:
                        return name
            key = scope.parent
        return None

    def module_reference(self, module: str) -> tuple[str, tuple[str, ...]] | None:
        """How to spell `module` in a fix here, and which imports the fix must add.
        None when the plain name is taken by something else, so no fix can name it."""
        local = self.local_name_for_module(module)
        if local is not None:
            return local, ()
        if self.shadowed(module) or self.model.lookup(module, self.frame.key) is not None:
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
                self._push(
                    Frame(FrameKind.FUNCTION, owner, self.frame, self._key(owner.name.value), owner.name.value, owner.asynchronous is not None),
                    node,
                )
            elif isinstance(owner, cst.ClassDef) and owner.body is node:
                self._push(Frame(FrameKind.CLASS, owner, self.frame, self._key(owner.name.value), owner.name.value), node)
        elif node_type is cst.Lambda:
            params = node.params  # type: ignore[attr-defined]
            names = frozenset(p.name.value for p in _parameters(params))
            self._push(Frame(FrameKind.LAMBDA, node, self.frame, self.frame.key, "<lambda>", shadowed=names), node)
        elif node_type in _COMPREHENSIONS:
            is_async = self.in_async_function or _has_async_for(node)
            names = frozenset(_comprehension_targets(node))
            self._push(Frame(FrameKind.COMPREHENSION, node, self.frame, self.frame.key, is_async=is_async, shadowed=names), node)
        self.ancestors.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.ancestors.pop()
        if self._frame_nodes and self._frame_nodes[-1] is original_node:
            self._frame_nodes.pop()
            assert self.frame.parent is not None
            self.frame = self.frame.parent

    # --- bookkeeping ---

    def _push(self, frame: Frame, node: cst.CSTNode) -> None:
        self.frame = frame
        self._frame_nodes.append(node)

    def _key(self, name: str) -> str:
        """The model's key for a function or class defined here (the model numbers a second
        definition of one path `#2`, in source order, as the traversal meets them)."""
        return self._keys.key(self.frame.key, name)


def _parameters(params: cst.Parameters) -> Iterable[cst.Param]:
    yield from (*params.posonly_params, *params.params, *params.kwonly_params)
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            yield star


def _comprehension_targets(node: cst.CSTNode) -> Iterable[str]:
    comp_for = getattr(node, "for_in", None)
    while isinstance(comp_for, cst.CompFor):
        yield from _target_names(comp_for.target)
        comp_for = comp_for.inner_for_in


def _target_names(target: cst.BaseExpression) -> Iterable[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_names(target.value)


def _has_async_for(node: cst.CSTNode) -> bool:
    comp_for = getattr(node, "for_in", None)
    while isinstance(comp_for, cst.CompFor):
        if comp_for.asynchronous is not None:
            return True
        comp_for = comp_for.inner_for_in
    return False
