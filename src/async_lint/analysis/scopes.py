"""Python's binding and scoping, modelled with a few plain classes (as pyflakes does).

A `Scope` holds the names bound in one module, class, function, lambda or comprehension.
A `Binding` says what bound a name: an import (then `qualified_name` is the imported dotted
name), a `def`/`class`, a parameter, or an assignment (then `value` is the assigned
expression, for rules that infer what kind of object a name holds).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import libcst as cst


class ScopeKind(enum.Enum):
    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    LAMBDA = "lambda"
    COMPREHENSION = "comprehension"


class BindingKind(enum.Enum):
    IMPORT = "import"
    FUNCTION = "function"
    CLASS = "class"
    PARAMETER = "parameter"
    ASSIGNMENT = "assignment"


@dataclass(eq=False)
class Binding:
    name: str
    kind: BindingKind
    node: cst.CSTNode
    qualified_name: str | None = None
    """For imports: the dotted name the local name stands for (`t` -> `time`)."""
    value: cst.BaseExpression | None = None
    """For assignments: the expression assigned (the last one seen)."""
    is_async: bool = False
    """For functions: whether it is an `async def`."""


@dataclass(eq=False)
class Scope:
    kind: ScopeKind
    node: cst.CSTNode
    parent: Scope | None
    name: str = ""
    is_async: bool = False
    """For functions: `async def`. For comprehensions: `async for` in it or in an async def."""
    bindings: dict[str, Binding] = field(default_factory=dict)
    imported_as: dict[str, list[str]] = field(default_factory=dict)
    """Qualified name -> the local names ever bound to it by an import here (may be stale:
    check the binding). Spares a scan of every binding per lookup on huge modules."""

    def bind(self, binding: Binding) -> None:
        self.bindings[binding.name] = binding
        if binding.kind is BindingKind.IMPORT and binding.qualified_name is not None:
            self.imported_as.setdefault(binding.qualified_name, []).append(binding.name)

    @property
    def qualname(self) -> str:
        """Dotted name of the scope inside its module (`Agent.run`), as `__qualname__` has it."""
        parts: list[str] = []
        scope: Scope | None = self
        while scope is not None and scope.kind is not ScopeKind.MODULE:
            parts.append(scope.name if scope.kind is ScopeKind.FUNCTION or scope.kind is ScopeKind.CLASS else f"<{scope.kind.value}>")
            scope = scope.parent
        return ".".join(reversed(parts))

    def lookup(self, name: str) -> Binding | None:
        """The binding `name` refers to from this scope, by Python's rules (LEGB, class
        bodies invisible from the functions nested in them)."""
        scope: Scope | None = self
        innermost = True
        while scope is not None:
            if innermost or scope.kind is not ScopeKind.CLASS:
                binding = scope.bindings.get(name)
                if binding is not None:
                    return binding
            innermost = False
            scope = scope.parent
        return None

    def enclosing_function(self) -> Scope | None:
        """The innermost function or lambda this scope runs in (comprehensions run in the
        function around them); None at module or class level."""
        scope: Scope | None = self
        while scope is not None:
            if scope.kind is ScopeKind.FUNCTION or scope.kind is ScopeKind.LAMBDA:
                return scope
            if scope.kind is ScopeKind.CLASS or scope.kind is ScopeKind.MODULE:
                return None
            scope = scope.parent
        return None
