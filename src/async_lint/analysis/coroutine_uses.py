"""What a scope does with a name holding a coroutine (ASL101): hands it on (awaited, returned,
passed, stored), or only uses it as if it were the result (`data["x"]`, `print(data)`)."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.coroutines import CONSUMERS, COROUTINE_PROTOCOL, LOG_METHODS, LOGGERS

_INSPECTING_PARENTS = (
    cst.Comparison,
    cst.ComparisonTarget,
    cst.BooleanOperation,
    cst.UnaryOperation,
    cst.BinaryOperation,
    cst.FormattedStringExpression,
)
"""Expressions that look at the value (a coroutine object, where the code means a result)."""

_NESTED_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
"""Scopes of their own: a use of the name inside one is a use we cannot follow."""


def coroutine_escapes(scope_node: cst.CSTNode, name: str, assignment: cst.CSTNode, ctx: ModuleWalker) -> bool:
    """Whether, anywhere in the scope, `name` is awaited, returned, yielded, passed on,
    stored, or used where we cannot tell (a nested function, a `global`...). Uses that are
    the bug itself (`data.content`, `data["x"]`, `print(data)`, `if data:`) do not count."""
    finder = _UseFinder(name, assignment, ctx)
    # The finder looks at names, scopes and their parents, never at whitespace or punctuation.
    traversal.walk(scope_node, finder.on_visit, finder.on_leave, traversal.TRIVIA_TYPES)
    return finder.escapes


class _UseFinder(cst.CSTVisitor):
    def __init__(self, name: str, assignment: cst.CSTNode, ctx: ModuleWalker) -> None:
        super().__init__()
        self.name = name
        self.assignment = assignment
        self.ctx = ctx
        self.stack: list[cst.CSTNode] = []
        self.depth_in_nested = 0
        self.escapes = False
        self.started = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.escapes:
            return False
        if node is self.assignment:
            return False  # the assignment's own target is no use
        nested = self.started and isinstance(node, _NESTED_SCOPES)
        self.started = True
        if isinstance(node, (cst.Global, cst.Nonlocal)) and any(n.name.value == self.name for n in node.names):
            self.escapes = True
            return False
        if (
            isinstance(node, cst.Name)
            and node.value == self.name
            and (self.depth_in_nested or not self._harmless_use(node))
        ):
            self.escapes = True
            return False
        if nested:
            self.depth_in_nested += 1
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if self.stack and self.stack[-1] is original_node:
            self.stack.pop()
            if isinstance(original_node, _NESTED_SCOPES) and self.depth_in_nested:
                self.depth_in_nested -= 1

    def _harmless_use(self, name: cst.Name) -> bool:
        """A use that leaves the coroutine un-awaited (the bug), or a rebinding."""
        parent = self.stack[-1] if self.stack else None
        if isinstance(parent, cst.AssignTarget) and parent.target is name:
            return True  # rebinding the name
        if isinstance(parent, cst.Attribute) and parent.value is name:
            return parent.attr.value not in COROUTINE_PROTOCOL
        if isinstance(parent, cst.Subscript) and parent.value is name:
            return True
        if isinstance(parent, _INSPECTING_PARENTS):
            return True
        if isinstance(parent, (cst.If, cst.While)) and parent.test is name:
            return True
        if isinstance(parent, cst.For) and parent.iter is name:
            return True
        if isinstance(parent, cst.Arg) and len(self.stack) >= 2 and parent.value is name:
            call = self.stack[-2]
            if isinstance(call, cst.Call):
                return self._only_shows(call)
        return False

    def _only_shows(self, call: cst.Call) -> bool:
        """`print(coro)`, `logger.info(coro)`: calls that show or test the object."""
        if self.ctx.resolve(call.func) in CONSUMERS:
            return True
        func = call.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in LOG_METHODS
            and self.ctx.module.code_for_node(func.value) in LOGGERS
        )
