"""Which loop runner a call is (`asyncio.run`, `loop.run_until_complete`, `asyncio.Runner().run`,
`anyio.run`, `trio.run`) and where it runs, as one verdict per call (DESIGN: one call, one
loop-runner finding):

- `RunnerInCoroutine`: inside an `async def`, where a loop is always running;
- `RunnerUnderRunningGuard`: in sync code, in a branch that only runs while the loop runs
  (`if loop.is_running(): loop.run_until_complete(...)`);
- `RunnerInHandler`: in a sync function a framework calls for us (a route handler, a LangGraph
  node, a tool; see `analysis.function_roles`);
- `RunnerPerItem`: anywhere else in sync code, in a `for` loop or comprehension that starts a
  new loop for every item.

A module that calls `nest_asyncio.apply()` allows nested runs on purpose: no verdict but the
last. The verdict is worked out once per call and shared through `ctx.facts`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.function_roles import FunctionRole, RoleKind, function_role
from async_lint.analysis.names import dotted_name
from async_lint.analysis.walker import Frame, ModuleWalker
from async_lint.knowledge.loop_runners import (
    CURRENT_LOOP_GETTERS,
    LOOP_FACTORIES,
    LOOP_RUNNER_FUNCTIONS,
    LOOP_RUNNER_METHODS,
    LOOP_RUNNING_CHECK,
    NESTED_LOOP_PATCHES,
    RUNNER_CONSTRUCTORS,
    RUNNER_METHODS,
    LoopRunner,
)

Comprehension = cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp


@dataclass(frozen=True)
class RunnerInCoroutine:
    runner: LoopRunner
    function: Frame
    """The `async def` the call is made in."""


@dataclass(frozen=True)
class RunnerUnderRunningGuard:
    runner: LoopRunner
    guard: cst.If | cst.IfExp
    """The `if loop.is_running():` (or `if not loop.is_running():`) around the call."""
    in_body: bool
    """In the guard's body (else in its `else:` branch)."""


@dataclass(frozen=True)
class RunnerInHandler:
    runner: LoopRunner
    function: Frame
    """The sync function (or lambda) the call is made in."""
    role: FunctionRole
    """What makes the framework call it (never an entry point nor a sync fallback)."""


@dataclass(frozen=True)
class RunnerPerItem:
    runner: LoopRunner
    loop: cst.For | Comprehension
    """The `for` loop or comprehension that runs the call once per item."""


LoopRunnerCall = RunnerInCoroutine | RunnerUnderRunningGuard | RunnerInHandler | RunnerPerItem


def loop_runner_call(node: cst.Call, ctx: ModuleWalker, route_decorators: frozenset[str]) -> LoopRunnerCall | None:
    """The verdict for a call, None when it is no loop runner or runs where that is fine.
    `route_decorators` are the configured extra route decorators (`RuleOptions`)."""
    return ctx.facts(_LoopRunnerCalls).at(node, ctx, route_decorators)


class _LoopRunnerCalls:
    """The verdicts of one module's traversal, by call (each loop-runner rule asks)."""

    def __init__(self, ctx: ModuleWalker) -> None:
        self._found: dict[tuple[cst.Call, frozenset[str]], LoopRunnerCall | None] = {}

    def at(self, node: cst.Call, ctx: ModuleWalker, route_decorators: frozenset[str]) -> LoopRunnerCall | None:
        key = (node, route_decorators)
        if key not in self._found:
            self._found[key] = _classify(node, ctx, route_decorators)
        return self._found[key]


def _classify(node: cst.Call, ctx: ModuleWalker, route_decorators: frozenset[str]) -> LoopRunnerCall | None:
    runner = _loop_runner_called(node, ctx)
    if runner is None:
        return None
    function = ctx.function
    if ctx.in_async_function:
        assert function is not None
        return None if nested_runs_allowed(ctx) else RunnerInCoroutine(runner, function)
    path = _path_in_function(ctx, node)
    guard = _running_guard(path, ctx, node, runner)
    if guard is not None:
        return None if nested_runs_allowed(ctx) else guard
    role = _handler_role(ctx, function, route_decorators) if function is not None else None
    if function is not None and role is not None:
        return None if nested_runs_allowed(ctx) else RunnerInHandler(runner, function, role)
    loop = _enclosing_loop(path) if _new_loop_per_call(node, runner, ctx) else None
    return RunnerPerItem(runner, loop) if loop is not None else None


def _loop_runner_called(node: cst.Call, ctx: ModuleWalker) -> LoopRunner | None:
    """The loop runner this call is, if it is one."""
    func = node.func
    qualified = ctx.resolve(func)
    if qualified is not None and qualified in LOOP_RUNNER_FUNCTIONS:
        return LOOP_RUNNER_FUNCTIONS[qualified]
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        if method in LOOP_RUNNER_METHODS:
            return LOOP_RUNNER_METHODS[method]
        if method in RUNNER_METHODS and ctx.made_by(func.value) in RUNNER_CONSTRUCTORS:
            return RUNNER_METHODS[method]
    return None


def nested_runs_allowed(ctx: ModuleWalker) -> bool:
    """Whether the module calls `nest_asyncio.apply()`: it patches asyncio so that loop
    runners work inside a running loop, which its author wants."""
    return ctx.facts(_applies_nest_asyncio)


def _applies_nest_asyncio(ctx: ModuleWalker) -> bool:
    return _calls_patch(ctx.module, ctx)


_STATEMENT_CONTAINERS = (cst.BaseCompoundStatement, cst.IndentedBlock, cst.Else, cst.ExceptHandler, cst.Finally)


def _calls_patch(node: cst.CSTNode, ctx: ModuleWalker) -> bool:
    """A statement-level search (no expressions): `nest_asyncio.apply()` is a statement."""
    for child in traversal.child_nodes(node):
        if isinstance(child, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in child.body:
                if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                    func = small.value.func
                    name = ctx.resolve(func, ctx.module_frame) or dotted_name(func)
                    if name in NESTED_LOOP_PATCHES:
                        return True
        elif isinstance(child, _STATEMENT_CONTAINERS) and _calls_patch(child, ctx):
            return True
    return False


def _handler_role(ctx: ModuleWalker, function: Frame, route_decorators: frozenset[str]) -> FunctionRole | None:
    """The role by which a framework calls this sync function where a loop may be running."""
    role = function_role(ctx, function, route_decorators)
    if role is None or role.kind is RoleKind.ENTRY_POINT or role.sync_fallback:
        return None
    return role


# --- where in the function the call sits ---

_BOUNDARIES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _path_in_function(ctx: ModuleWalker, node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node and its ancestors up to (not including) the `def`/`lambda`/`class` it runs in,
    outermost first."""
    path = [node]
    for ancestor in reversed(ctx.ancestors):
        if isinstance(ancestor, _BOUNDARIES):
            break
        path.append(ancestor)
    path.reverse()
    return path


def _running_guard(path: list[cst.CSTNode], ctx: ModuleWalker, node: cst.Call, runner: LoopRunner) -> RunnerUnderRunningGuard | None:
    """The `if loop.is_running():` (or the `else:` of `if not loop.is_running():`) the loop
    runner sits in: a branch that only runs while the loop is running, so the call always fails."""
    for parent, child in itertools.pairwise(path):
        if not isinstance(parent, (cst.If, cst.IfExp)):
            continue
        if child is parent.body and _asserts_running(parent.test, ctx, node, runner):
            return RunnerUnderRunningGuard(runner, parent, in_body=True)
        if child is parent.orelse and _denies_running(parent.test, ctx, node, runner):
            return RunnerUnderRunningGuard(runner, parent, in_body=False)
    return None


def _asserts_running(test: cst.BaseExpression, ctx: ModuleWalker, call: cst.Call, runner: LoopRunner) -> bool:
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _asserts_running(test.left, ctx, call, runner) or _asserts_running(test.right, ctx, call, runner)
    if (
        isinstance(test, cst.Call)
        and isinstance(test.func, cst.Attribute)
        and test.func.attr.value == LOOP_RUNNING_CHECK
        and not test.args
    ):
        return _is_the_runners_loop(test.func.value, ctx, call, runner)
    return False


def _denies_running(test: cst.BaseExpression, ctx: ModuleWalker, call: cst.Call, runner: LoopRunner) -> bool:
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        return _denies_running(test.left, ctx, call, runner) or _denies_running(test.right, ctx, call, runner)
    return (
        isinstance(test, cst.UnaryOperation)
        and isinstance(test.operator, cst.Not)
        and _asserts_running(test.expression, ctx, call, runner)
    )


def _is_the_runners_loop(loop: cst.BaseExpression, ctx: ModuleWalker, call: cst.Call, runner: LoopRunner) -> bool:
    """Whether `loop` (in `loop.is_running()`) is the loop the call would run: the same
    receiver (`loop.run_until_complete`), or this thread's current loop for `asyncio.run`
    (a loop running in another thread does not stop `asyncio.run` here)."""
    func = call.func
    if runner.new_loop_per_call:
        return _is_current_loop(loop, ctx)
    if isinstance(func, cst.Attribute):
        receiver = dotted_name(func.value)
        if receiver is not None and receiver == dotted_name(loop):
            return True
        return _is_current_loop(loop, ctx) and _is_current_loop(func.value, ctx)
    return False


def _is_current_loop(expr: cst.BaseExpression, ctx: ModuleWalker) -> bool:
    """`asyncio.get_event_loop()` / `get_running_loop()`, or a name bound to one."""
    return ctx.made_by(expr) in CURRENT_LOOP_GETTERS


def _new_loop_per_call(node: cst.Call, runner: LoopRunner, ctx: ModuleWalker) -> bool:
    """`asyncio.run(...)`, `anyio.run`, `trio.run`, and `asyncio.new_event_loop().run_until_complete`
    or `asyncio.Runner().run` written on one line (a fresh loop each time)."""
    if runner.new_loop_per_call:
        return True
    func = node.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):
        made_by = ctx.resolve(func.value.func)
        return made_by in LOOP_FACTORIES or made_by in RUNNER_CONSTRUCTORS
    return False


def _enclosing_loop(path: list[cst.CSTNode]) -> cst.For | Comprehension | None:
    """The `for` loop or comprehension that runs the call once per item, if any (a `while`
    loop, or a `for` loop that exits after a run, stops the search)."""
    for index in range(len(path) - 2, -1, -1):
        parent, child = path[index], path[index + 1]
        if isinstance(parent, cst.While):
            return None
        if isinstance(parent, cst.For) and child is parent.body:
            return None if _exits_early(parent) else parent
        if isinstance(parent, _COMPREHENSIONS):
            once = child is parent.for_in and index + 2 < len(path) and path[index + 2] is parent.for_in.iter
            if not once:
                return parent
    return None


def _exits_early(loop: cst.For) -> bool:
    finder = _LoopExitFinder()
    traversal.visit(loop.body, finder)
    return finder.found


class _LoopExitFinder(cst.CSTVisitor):
    """A `break` of this loop or a `return` (not in nested loops or functions)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found = False

    def visit_For(self, node: cst.For) -> None:
        self.depth += 1

    def leave_For(self, original_node: cst.For) -> None:
        self.depth -= 1

    def visit_While(self, node: cst.While) -> None:
        self.depth += 1

    def leave_While(self, original_node: cst.While) -> None:
        self.depth -= 1

    def visit_Break(self, node: cst.Break) -> None:
        if self.depth == 0:
            self.found = True

    def visit_Return(self, node: cst.Return) -> None:
        self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False
