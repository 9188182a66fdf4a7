"""The project index as one file's check sees it (`ctx.project`): resolves the expressions of
this file, through the walker's scopes and bindings, to project symbols.

`ctx.project.symbol(expr, ctx)` says what `expr` stands for: a project function or class, an
instance of one (`bot` after `bot = SupportBot()`, `self` in a method), a module, or a name
outside the project (`ExternalSym("asyncio.sleep")`); None when it cannot be followed (the
reason goes to the `async_lint.project` debug log).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from async_lint.analysis.module_summary import (
    FunctionSummary,
    ImportTarget,
    ModuleSummary,
    summarise_source,
)
from async_lint.analysis.names import dotted_name
from async_lint.analysis.scopes import Binding, BindingKind, Scope, ScopeKind
from async_lint.engine.project_index import (
    ClassSym,
    ExternalSym,
    FunctionSym,
    InstanceSym,
    ModuleSym,
    ProjectIndex,
    Symbol,
    logger,
)
from async_lint.knowledge.coroutines import ASYNC_CLIENTS, COROUTINE_FUNCTIONS

if TYPE_CHECKING:
    from async_lint.analysis.walker import ModuleWalker

_MAX_ALIAS_DEPTH = 8


class ProjectView:
    def __init__(self, index: ProjectIndex, path: Path, text: str, summary: ModuleSummary | None = None) -> None:
        """`summary` is `text`'s, when the caller has it already."""
        self.index = index
        self.path = path
        self._text = text
        self._current = summary
        known = index.summaries.get(path)
        if summary is not None and known is not summary and known != summary:
            index.set_summary(path, summary)  # replacing one clears the index's memos: only on a real change

    @property
    def current(self) -> ModuleSummary:
        """This file's own summary (of the text being checked, which `--fix` may have changed)."""
        if self._current is None:
            self._current = summarise_source(self._text)
            self.index.set_summary(self.path, self._current)
        return self._current

    def imports_project_coroutine(self) -> bool:
        """Whether something this file imports may lead to a project coroutine function (so
        a call here may create a coroutine whose name this file need not spell as `async`)."""
        return any(
            self.index.may_reach_coroutine(self.index.resolve_import(target, self.path), _external_coroutine)
            for target in set(self.current.imported_targets())
        )

    def is_entry_point(self, function_name: str) -> bool:
        """A module-level sync function called only from the `__main__` block."""
        return function_name in self.current.entry_points

    def is_coroutine_function(self, target: Symbol | str | None) -> bool:
        """Calling it returns a coroutine: a project `async def` (no `yield`, no unknown
        decorator). `target` is a symbol or a qualified name as `ctx.resolve` gives it."""
        function = self.function(target)
        return function is not None and function.is_coroutine_function

    def is_async_generator_function(self, target: Symbol | str | None) -> bool:
        """A project `async def` with `yield`: calling it gives an async iterator."""
        function = self.function(target)
        return function is not None and function.is_async_generator

    def function(self, target: Symbol | str | None) -> FunctionSummary | None:
        symbol = self.resolve_qualified(target) if isinstance(target, str) else target
        return self.index.function(symbol) if isinstance(symbol, FunctionSym) else None

    def resolve_qualified(self, qualified: str) -> Symbol | None:
        """A dotted name as `ctx.resolve` gives it (`store.pricing.refresh_rates`,
        `app.bots.bot.answer`), found in the project from this file: the longest prefix that
        is a module, then attributes."""
        self.current  # noqa: B018 - this module's own names are looked up in its summary
        parts = qualified.split(".")
        for split in range(len(parts) - 1, 0, -1):
            module = self.index.module_path(".".join(parts[:split]), self.path)
            if module is None:
                continue
            symbol: Symbol | None = ModuleSym(module)
            for attr in parts[split:]:
                if symbol is None:
                    return None
                symbol = self.index.member(symbol, attr)
            return symbol
        return None

    # --- resolving this file's expressions ---

    def symbol(self, expr: cst.BaseExpression, ctx: ModuleWalker, depth: int = 0) -> Symbol | None:
        if depth > _MAX_ALIAS_DEPTH:
            return None
        self.current  # noqa: B018 - make sure lookups in this module see the text being checked
        if isinstance(expr, cst.Name):
            return self._name_symbol(expr.value, ctx, depth)
        if isinstance(expr, cst.Attribute):
            base = self.symbol(expr.value, ctx, depth + 1)
            return self.index.member(base, expr.attr.value) if base is not None else None
        if isinstance(expr, cst.Call):
            return self.index.call_result(self.symbol(expr.func, ctx, depth + 1))
        return None

    def explain_if_unresolved(self, expr: cst.BaseExpression, ctx: ModuleWalker) -> None:
        """With the debug log on (`--explain-unresolved`): say so when `expr` cannot be resolved
        (the index logs why just before)."""
        if logger.isEnabledFor(logging.DEBUG) and self.symbol(expr, ctx) is None:
            where = ctx.scope.qualname or "<module>"
            logger.debug("unresolved: %s: in %s: `%s`", ctx.filename, where, ctx.module.code_for_node(expr))

    def _name_symbol(self, name: str, ctx: ModuleWalker, depth: int) -> Symbol | None:
        binding = ctx.lookup(name)
        if binding is None:
            # Not bound yet where the traversal is: a module-level name defined further down
            # (functions often call helpers defined after them), else a builtin.
            if name in self.current.names:
                return self.index.module_member(self.path, name)
            resolved = ctx.resolve_name(name)
            return ExternalSym(resolved) if resolved is not None else None
        owner = _owning_scope(ctx.scope, binding)
        if binding.kind is BindingKind.IMPORT:
            target = _import_target(binding)
            return self.index.resolve_import(target, self.path) if target is not None else None
        if owner is None:
            return None
        if owner.kind is ScopeKind.MODULE and binding.kind is not BindingKind.PARAMETER:
            return self.index.module_member(self.path, name)
        qualname = f"{owner.qualname}.{name}" if owner.qualname else name
        if binding.kind is BindingKind.FUNCTION:
            return FunctionSym(self.path, qualname)
        if binding.kind is BindingKind.CLASS:
            return ClassSym(self.path, qualname)
        if binding.kind is BindingKind.PARAMETER:
            return self._self_symbol(binding, owner)
        if binding.kind is BindingKind.ASSIGNMENT and owner.kind is ScopeKind.FUNCTION:
            value = binding.value
            if isinstance(value, cst.Call):
                return self.index.call_result(self.symbol(value.func, ctx, depth + 1))
            if isinstance(value, (cst.Name, cst.Attribute)) and dotted_name(value) != name:
                return self.symbol(value, ctx, depth + 1)
        return None

    def _self_symbol(self, binding: Binding, function: Scope) -> Symbol | None:
        """`self` (or `cls`) as the first parameter of a method: the instance (or the class)."""
        owner_class = function.parent
        if function.kind is not ScopeKind.FUNCTION or owner_class is None or owner_class.kind is not ScopeKind.CLASS:
            return None
        node = function.node
        if not isinstance(node, cst.FunctionDef):
            return None
        params = [*node.params.posonly_params, *node.params.params]
        if not params or params[0] is not binding.node:
            return None
        summary = self.current.functions.get(function.qualname)
        if summary is None or summary.is_static:
            return None
        cls = ClassSym(self.path, owner_class.qualname)
        if any(d.rsplit(".", 1)[-1] == "classmethod" for d in summary.decorators):
            return cls
        return InstanceSym(cls)


_COROUTINE_MAKERS = (*COROUTINE_FUNCTIONS, *ASYNC_CLIENTS)


def _external_coroutine(symbol: Symbol) -> bool:
    """A name outside the project, handed on by a project module, that is or holds a known
    coroutine function or async SDK client (`asyncio`, `asyncio.sleep`, `AsyncOpenAI()`)."""
    of = symbol.of if isinstance(symbol, InstanceSym) else symbol
    if not isinstance(of, ExternalSym):
        return False
    prefix = of.qualified + "."
    return any(name == of.qualified or name.startswith(prefix) for name in _COROUTINE_MAKERS)


def _owning_scope(scope: Scope | None, binding: Binding) -> Scope | None:
    while scope is not None:
        if scope.bindings.get(binding.name) is binding:
            return scope
        scope = scope.parent
    return None


def _import_target(binding: Binding) -> ImportTarget | None:
    """What the import statement that made `binding` binds its name to."""
    node = binding.node
    local = binding.name
    if isinstance(node, cst.Import):
        for alias in node.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                if alias.asname.name.value == local:
                    return ImportTarget(full)
            elif full.split(".", 1)[0] == local:
                return ImportTarget(local)
        return None
    if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
        module = dotted_name(node.module) if node.module is not None else ""
        if module is None:
            return None
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            bound = alias.name.value
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bound = alias.asname.name.value
            if bound == local:
                return ImportTarget(module, len(node.relative), alias.name.value)
    return None
