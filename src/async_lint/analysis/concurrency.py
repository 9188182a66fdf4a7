"""Which awaits wait for independent I/O one after the other, when they could run concurrently
(ASL500 consecutive awaits, ASL501 one await per loop iteration).

Precision comes first, so every part of a verdict is shown rather than assumed:

- the awaited call is an *independent read*: a read of a known async client or a stateless
  LangChain object (`knowledge.concurrency`), or a coroutine of this module whose every `await`
  is one and which changes nothing it did not make itself (no attribute, subscript or global
  written on what it was given, no mutating method called on it, no project function called
  whose effects are unknown); no argument is an object that orders its operations (a session,
  a connection, a websocket, a lock);
- no later call reads what an earlier one gave (names, and through them attributes and items);
- nothing else runs between them, and no block around them serialises on purpose (an
  `async with` / `with` that is not a client's lifetime or a deadline; a lock acquired in the
  function);
- for a loop: exactly one await per iteration, which uses the item; nothing the loop body
  writes is read by a later iteration; no `break`/`return`; what each iteration awaited is
  collected (`results.append(...)`, `out[key] = ...`).

Anything else is unknown, and unknown is silent. The verdicts carry nodes, never messages.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.async_library import module_library
from async_lint.analysis.cst_expressions import from_cst
from async_lint.analysis.expressions import Call
from async_lint.analysis.inference import Place
from async_lint.analysis.module_model import MODULE, BindingKind
from async_lint.analysis.syntax import NESTED_SCOPES, count, descendants, loaded_names, root_name, target_names
from async_lint.analysis.types import BoundMethod, ExternalName, FunctionType, Instance, Type, made_by
from async_lint.analysis.walker import FrameKind, ModuleWalker, ScopeKeys
from async_lint.knowledge.concurrency import (
    CLIENT_READS,
    COLLECTING_FIXES,
    COLLECTING_METHODS,
    CONCURRENT_CONTEXTS,
    GATHERING_LIBRARY,
    LANGCHAIN_READS,
    LIBRARY_TASK_GROUPS,
    LOCK_METHODS,
    MUTATING_METHODS,
    ORDER_SENSITIVE_TYPES,
    TASK_GROUP,
    TASK_GROUP_VERSION,
    TASK_GROUPS,
)

MAX_DEPTH = 4
"""How deep project coroutines are followed (a read that awaits a read that awaits...)."""


class ReadSource(enum.Enum):
    """What shows that a call is an independent read."""

    CLIENT = "client"
    """A read of a known async client (`owner` its class, `member` the method's path)."""
    LANGCHAIN = "langchain"
    """A stateless LangChain object's call (`owner` the object's kind, `member` the method)."""
    PROJECT = "project"
    """A coroutine of this module that awaits only reads (`owner` its name, `reads` those)."""


@dataclass(frozen=True)
class IoRead:
    """An awaited call that only reads, and what shows it."""

    call: cst.Call
    source: ReadSource
    owner: str
    member: str = ""
    reads: tuple[cst.Call, ...] = ()
    """For a project coroutine: the library reads it awaits (in its body, or further down)."""

    @property
    def leaves(self) -> tuple[cst.Call, ...]:
        """The library reads behind the call: itself, or those a project coroutine awaits."""
        return self.reads if self.source is ReadSource.PROJECT else (self.call,)


@dataclass(frozen=True)
class AwaitedRead:
    """One `target = await read(...)` statement of a sequence."""

    statement: cst.SimpleStatementLine
    assign: cst.Assign
    awaited: cst.Await
    read: IoRead
    names: frozenset[str]
    """What the target binds."""


@dataclass(frozen=True)
class SequentialReads:
    """Consecutive statements, each awaiting an independent read that no later one depends on."""

    members: tuple[AwaitedRead, ...]


@dataclass(frozen=True)
class LoopRead:
    """A loop (or list/set/dict comprehension) awaiting one independent read per item."""

    loop: cst.For | cst.ListComp | cst.SetComp | cst.DictComp
    awaited: cst.Await
    read: IoRead
    collector: str | None = None
    """For a `for` loop whose whole body is `<collector>.<method>(await read(...))`: the name."""
    method: str | None = None


# --- where an expression is evaluated ---


@dataclass(frozen=True)
class _Where:
    """Where the expressions being asked about are written: where the traversal is, or the body
    of another function of this module (`key`); `opaque` names are bound by a comprehension the
    traversal has not entered yet."""

    ctx: ModuleWalker
    key: str | None = None
    opaque: frozenset[str] = frozenset()

    def type_of(self, expr: cst.BaseExpression) -> Type | None:
        ctx = self.ctx
        if self.key is None and not self.opaque:
            return ctx.type_of(expr)
        if self.key is None:
            hidden = lambda name: name in self.opaque or ctx.shadowed(name)  # noqa: E731
            return ctx.inference.expression(from_cst(expr, hidden), ctx.place)
        return ctx.inference.expression(from_cst(expr), Place(ctx.path, self.key))


# --- independent reads ---


def io_read(call: cst.Call, where: _Where, depth: int = 0) -> IoRead | None:
    """Whether awaiting `call` is an independent read (see the module's docstring)."""
    if _uses_order_sensitive(call, where):
        return None
    func = call.func
    ctx = where.ctx
    target = where.type_of(func)
    function = target.function if isinstance(target, BoundMethod) else target
    if isinstance(function, FunctionType):
        reads = _project_reads(function, ctx, depth)
        return IoRead(call, ReadSource.PROJECT, function.qualname, reads=reads) if reads is not None else None
    if isinstance(target, Instance) and isinstance(target.of, ExternalName) and target.attrs:
        path = ".".join(target.attrs)
        if path in CLIENT_READS.get(target.of.qualified, ()):
            return IoRead(call, ReadSource.CLIENT, target.of.qualified, path)
    if isinstance(func, cst.Attribute):
        info = ctx.inference.object_info(where.type_of(func.value))
        if info is not None and func.attr.value in LANGCHAIN_READS.get(info.kind, ()):
            return IoRead(call, ReadSource.LANGCHAIN, info.kind.value, func.attr.value)
    return None


def _uses_order_sensitive(call: cst.Call, where: _Where) -> bool:
    """The receiver, or an argument, is an object that orders its operations."""
    candidates: list[cst.BaseExpression] = [arg.value for arg in call.args]
    func = call.func
    while isinstance(func, cst.Attribute):
        func = func.value
        candidates.append(func)
    for expr in candidates:
        if isinstance(expr, (cst.Name, cst.Attribute)) and made_by(where.type_of(expr)) in ORDER_SENSITIVE_TYPES:
            return True
    return False


def _project_reads(function: FunctionType, ctx: ModuleWalker, depth: int) -> tuple[cst.Call, ...] | None:
    """For a coroutine function of this module that only reads: the library reads it awaits;
    None otherwise, and for other modules' functions (whose bodies the module model does not
    keep)."""
    if depth >= MAX_DEPTH or function.path != ctx.path:
        return None
    memo = ctx.facts(_project_read_memo)
    if function in memo:
        return memo[function]
    memo[function] = None  # a recursive coroutine is not shown to be a read
    scope = ctx.inference.function_scope(function)
    node = ctx.facts(_definitions).get(function.key)
    if scope is None or node is None or not scope.is_coroutine_function or scope.is_stub:
        return None
    found = _body_reads(node, _Where(ctx, function.key), {p.name for p in scope.params}, depth)
    memo[function] = found
    return found


def _project_read_memo(ctx: ModuleWalker) -> dict[FunctionType, tuple[cst.Call, ...] | None]:
    return {}


def _definitions(ctx: ModuleWalker) -> dict[str, cst.FunctionDef]:
    """This module's functions by their model key (numbered as the walker and the model do)."""
    keys = ScopeKeys()
    found: dict[str, cst.FunctionDef] = {}

    def visit(node: cst.CSTNode, parent: str) -> None:
        for child in _statement_children(node):
            if isinstance(child, (cst.FunctionDef, cst.ClassDef)):
                key = keys.key(parent, child.name.value)
                if isinstance(child, cst.FunctionDef):
                    found[key] = child
                visit(child.body, key)
            else:
                visit(child, parent)

    visit(ctx.module, MODULE)
    return found


_STATEMENT_PARTS = (cst.BaseStatement, cst.BaseSuite, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally, cst.MatchCase)


def _statement_children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    if isinstance(node, cst.Module):
        yield from node.body
        return
    for child in traversal.child_nodes(node):
        if isinstance(child, _STATEMENT_PARTS):
            yield child


def _body_reads(function: cst.FunctionDef, where: _Where, parameters: set[str], depth: int) -> tuple[cst.Call, ...] | None:
    awaited: list[cst.Call] = []
    written_roots: set[str] = set()
    local: set[str] = set()
    for node in descendants(function.body, NESTED_SCOPES):
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Global, cst.Nonlocal, cst.Yield)):
            return None
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)) and count(node, cst.Await):
            return None  # its names are not the function's: not evaluated here
        if isinstance(node, cst.Await):
            if not isinstance(node.expression, cst.Call):
                return None
            awaited.append(node.expression)
        elif isinstance(node, cst.For):
            if node.asynchronous is not None:
                return None
            local |= loaded_names(node.target)
        elif isinstance(node, cst.With):
            if not all(_concurrent_context(item.item, where) for item in node.items):
                return None
            local |= {name for item in node.items if item.asname is not None for name in loaded_names(item.asname.name)}
        elif isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            for target in targets:
                names = target_names(target)
                if names is not None:
                    local |= names
                else:
                    written_roots |= _written_roots(target)
        elif isinstance(node, cst.Del):
            written_roots |= _written_roots(node.target)
        elif isinstance(node, cst.Call) and not _harmless_call(node, awaited, where):
            return None
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in MUTATING_METHODS:
            root = root_name(node.func.value)
            written_roots.add(root if root is not None else "")
    if not awaited or not written_roots <= local - parameters:
        return None
    leaves: list[cst.Call] = []
    for call in awaited:
        read = io_read(call, where, depth + 1)
        if read is None:
            return None
        leaves += read.leaves
    return tuple(leaves)


def _written_roots(target: cst.BaseExpression) -> set[str]:
    """The names whose objects an assignment or `del` target writes into (`self` for
    `self.cache[k] = v`); "" when it writes into something that is not a name's."""
    if isinstance(target, (cst.Tuple, cst.List)):
        return {root for element in target.elements for root in _written_roots(element.value)}
    if isinstance(target, cst.StarredElement):
        return _written_roots(target.value)
    if isinstance(target, (cst.Attribute, cst.Subscript)):
        root = root_name(target)
        return {root if root is not None else ""}
    return set()


def _harmless_call(call: cst.Call, awaited: list[cst.Call], where: _Where) -> bool:
    """A call made in a read's body that cannot have effects of its own we do not know: not a
    call of a project function (other than an awaited coroutine, checked as a read itself)."""
    if any(call is a for a in awaited):
        return True
    target = where.type_of(call.func)
    function = target.function if isinstance(target, BoundMethod) else target
    return not isinstance(function, FunctionType)


# --- the blocks around an await ---


def _concurrent_context(manager: cst.BaseExpression, where: _Where) -> bool:
    made = made_by(where.type_of(manager))
    if made is None and isinstance(manager, cst.Call):
        made = made_by(where.type_of(manager.func)) or where.ctx.resolve(manager.func)
    return made in CONCURRENT_CONTEXTS


def _serialised(ctx: ModuleWalker) -> bool:
    """The code being visited runs inside a block that may serialise its awaits on purpose, or
    in a function that acquires a lock."""
    where = _Where(ctx)
    for node in reversed(ctx.ancestors):
        if isinstance(node, cst.FunctionDef):
            return _acquires_lock(node, ctx)
        if isinstance(node, cst.With) and not all(_concurrent_context(item.item, where) for item in node.items):
            return True
    return True


def _acquires_lock(function: cst.FunctionDef, ctx: ModuleWalker) -> bool:
    memo = ctx.facts(_lock_memo)
    key = id(function)
    if key not in memo:
        memo[key] = any(
            isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in LOCK_METHODS
            for node in descendants(function.body, (cst.FunctionDef, cst.ClassDef))
        )
    return memo[key]


def _lock_memo(ctx: ModuleWalker) -> dict[int, bool]:
    return {}


def _in_async_body(ctx: ModuleWalker) -> bool:
    frame = ctx.frame
    return frame.kind is FrameKind.FUNCTION and frame.is_async


# --- ASL500: consecutive awaits ---


def sequential_reads(statement: cst.SimpleStatementLine, ctx: ModuleWalker) -> SequentialReads | None:
    """The run of independent reads that starts at `statement`, if one does (visit the block's
    statements in order: the block is analysed once, at its first statement)."""
    block = ctx.parent
    if not isinstance(block, cst.IndentedBlock):
        return None
    memo = ctx.facts(_runs_memo)
    key = id(block)
    if key not in memo:
        memo[key] = _runs(block, ctx) if _in_async_body(ctx) else {}
    return memo[key].get(id(statement))


def _runs_memo(ctx: ModuleWalker) -> dict[int, dict[int, SequentialReads]]:
    return {}


@dataclass(frozen=True)
class _Shape:
    """`target = await call(...)` alone on its line, before its call is shown to be a read."""

    statement: cst.SimpleStatementLine
    assign: cst.Assign
    awaited: cst.Await
    call: cst.Call
    names: frozenset[str]


def _runs(block: cst.IndentedBlock, ctx: ModuleWalker) -> dict[int, SequentialReads]:
    """The runs of the block: first its runs of `x = await call(...)` statements by their shape
    alone (cheap), then, for those of two or more, which calls are independent reads."""
    shaped: list[list[_Shape]] = [[]]
    for statement in block.body:
        shape = _shape(statement)
        if shape is None:
            shaped.append([])
        else:
            shaped[-1].append(shape)
    candidates = [run for run in shaped if len(run) >= 2]
    if not candidates or _serialised(ctx):
        return {}
    found: dict[int, SequentialReads] = {}
    for run in candidates:
        current: list[AwaitedRead] = []
        for shape in [*run, None]:
            read = io_read(shape.call, _Where(ctx)) if shape is not None else None
            member = AwaitedRead(shape.statement, shape.assign, shape.awaited, read, shape.names) if shape is not None and read is not None else None
            if member is not None and (not current or _independent(current, member)):
                current.append(member)
                continue
            if len(current) >= 2:
                found[id(current[0].statement)] = SequentialReads(tuple(current))
            current = [member] if member is not None else []
    return found


def _shape(statement: cst.BaseStatement) -> _Shape | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    assign = statement.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return None
    awaited = assign.value
    if not isinstance(awaited, cst.Await) or awaited.lpar or not isinstance(awaited.expression, cst.Call):
        return None
    names = target_names(assign.targets[0].target)
    if names is None:
        return None
    return _Shape(statement, assign, awaited, awaited.expression, frozenset(names))


def _independent(earlier: list[AwaitedRead], later: AwaitedRead) -> bool:
    bound = frozenset().union(*(member.names for member in earlier))
    return not (bound & later.names) and not (bound & loaded_names(later.awaited.expression))


# --- ASL501: one await per iteration ---


def loop_read(loop: cst.For, ctx: ModuleWalker) -> LoopRead | None:
    """A `for` loop in an `async def` awaiting one independent read per item and collecting
    the results."""
    if loop.asynchronous is not None or loop.orelse is not None or not _in_async_body(ctx):
        return None
    item_names = target_names(loop.target)
    if item_names is None:
        return None
    awaits = [node for node in descendants(loop.body, NESTED_SCOPES) if isinstance(node, cst.Await)]
    if len(awaits) != 1 or count(loop.body, cst.Await) != 1 or not isinstance(awaits[0].expression, cst.Call):
        return None
    awaited = awaits[0]
    call = awaits[0].expression
    statements = _loop_statements(loop.body)
    if statements is None or not _collects_independently(statements, awaited, item_names, loaded_names(loop.iter)):
        return None
    if _serialised(ctx):
        return None
    read = io_read(call, _Where(ctx))
    if read is None:
        return None
    collector, method = _collect_shape(statements, awaited)
    return LoopRead(loop, awaited, read, collector, method)


def _loop_statements(body: cst.BaseSuite) -> list[cst.BaseSmallStatement | cst.If] | None:
    """The body as small statements and `if ...: continue` filters; None for anything else."""
    if isinstance(body, cst.SimpleStatementSuite):
        return list(body.body)
    assert isinstance(body, cst.IndentedBlock)
    found: list[cst.BaseSmallStatement | cst.If] = []
    for statement in body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            found.extend(statement.body)
        elif _is_filter(statement):
            assert isinstance(statement, cst.If)
            found.append(statement)
        else:
            return None
    return found


def _is_filter(statement: cst.BaseStatement) -> bool:
    """`if <condition>: continue`."""
    if not isinstance(statement, cst.If) or statement.orelse is not None:
        return False
    body = statement.body
    lines = [body] if isinstance(body, cst.SimpleStatementSuite) else list(body.body)
    if len(lines) != 1 or not isinstance(lines[0], (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return False
    return len(lines[0].body) == 1 and isinstance(lines[0].body[0], cst.Continue)


def _collects_independently(
    statements: list[cst.BaseSmallStatement | cst.If], awaited: cst.Await, items: set[str], iterated: set[str]
) -> bool:
    """Each iteration reads only the item and what it computes itself (no value carried from
    one iteration to the next), the awaited call uses the item, and what it gives is collected
    into containers that nothing else in the loop reads."""
    assigned_in_body: set[str] = set()
    for statement in statements:
        if isinstance(statement, (cst.Assign, cst.AnnAssign)):
            targets = [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else [statement.target]
            for target in targets:
                assigned_in_body |= target_names(target) or set()
    known = set(items)
    from_result: set[str] = set()
    collectors: dict[str, int] = {}
    collected = False
    uses_item = False
    for statement in statements:
        holds_await = any(node is awaited for node in descendants(statement))
        if holds_await:
            uses_item = bool(loaded_names(awaited.expression) & known)
        if isinstance(statement, cst.If):
            if holds_await or loaded_names(statement.test) & (assigned_in_body - known):
                return False
            continue
        if isinstance(statement, cst.Pass):
            continue
        if isinstance(statement, (cst.Assign, cst.AnnAssign)):
            value = statement.value
            if value is None:
                return False
            reads = loaded_names(value)
            if reads & (assigned_in_body - known):
                return False  # a value the previous iteration left
            targets = [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else [statement.target]
            gives_result = holds_await or bool(reads & from_result)
            for target in targets:
                names = target_names(target)
                if names is not None:
                    known |= names
                    if gives_result:
                        from_result |= names
                    continue
                # `out[key] = result`: a collector
                if not isinstance(target, cst.Subscript) or not isinstance(target.value, cst.Name):
                    return False
                name = target.value.value
                if (loaded_names(target) - {name}) & (assigned_in_body - known):
                    return False
                collectors[name] = collectors.get(name, 0) + 1
                collected = collected or gives_result
            continue
        if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
            call = statement.value
            func = call.func
            if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in COLLECTING_METHODS):
                return False
            reads = set().union(*(loaded_names(arg.value) for arg in call.args)) if call.args else set()
            if reads & (assigned_in_body - known):
                return False
            collectors[func.value.value] = collectors.get(func.value.value, 0) + 1
            collected = collected or holds_await or bool(reads & from_result)
            continue
        return False
    if not collected or not uses_item:
        return False
    for name, uses in collectors.items():
        if name in assigned_in_body or name in items or name in iterated:
            return False
        if sum(_count_name(s, name) for s in statements) != uses:
            return False  # the loop reads what it collects
    return True


def _count_name(node: cst.CSTNode, name: str) -> int:
    return sum(1 for current in descendants(node) if isinstance(current, cst.Name) and current.value == name)


def _collect_shape(statements: list[cst.BaseSmallStatement | cst.If], awaited: cst.Await) -> tuple[str | None, str | None]:
    """`(collector, method)` when the whole body is `collector.append(await read(...))` (or
    `.add`): the shape the fix rewrites."""
    if len(statements) != 1 or not isinstance(statements[0], cst.Expr):
        return None, None
    call = statements[0].value
    if not isinstance(call, cst.Call) or len(call.args) != 1 or call.args[0].value is not awaited or call.args[0].keyword or call.args[0].star:
        return None, None
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in COLLECTING_FIXES:
        return func.value.value, func.attr.value
    return None, None


def comprehension_read(comprehension: cst.ListComp | cst.SetComp | cst.DictComp, ctx: ModuleWalker) -> LoopRead | None:
    """`[await read(item) for item in items]` in an `async def`: one read after the other."""
    element = comprehension.value if isinstance(comprehension, cst.DictComp) else comprehension.elt
    if not isinstance(element, cst.Await) or element.lpar or not isinstance(element.expression, cst.Call):
        return None
    if not ctx.can_await or count(comprehension, cst.Await) != 1:
        return None
    names: set[str] = set()
    comp_for: cst.CompFor | None = comprehension.for_in
    while comp_for is not None:
        if comp_for.asynchronous is not None:
            return None
        names |= loaded_names(comp_for.target)
        comp_for = comp_for.inner_for_in
    call = element.expression
    if loaded_names(call.func) & names or not loaded_names(call) & names:
        return None  # a receiver that changes per item is unknown; a call that ignores the item is not per item
    if _serialised(ctx):
        return None
    read = io_read(call, _Where(ctx, opaque=frozenset(names)))
    return LoopRead(comprehension, element, read) if read is not None else None


# --- the module's async library and style ---


def running_library(ctx: ModuleWalker) -> str | None:
    """The event-loop library whose API the concurrency fixes and advice spell: the module's own
    (`analysis/async_library.py`, the one verdict every fix reads); asyncio's when nothing in
    the module names a library (the gather fixes are unsafe anyway); None when it names several
    and one of them is not asyncio (no fix, the advice names `asyncio.gather`)."""
    verdict = module_library(ctx)
    if verdict.library is not None:
        return verdict.library.value
    if verdict.candidates:
        return None
    return GATHERING_LIBRARY


def foreign_task_group(ctx: ModuleWalker) -> str | None:
    """In a module that runs on anyio or trio: that library's task-group API (the advice names
    it; the fixes, which spell asyncio's, do not apply)."""
    library = running_library(ctx)
    return LIBRARY_TASK_GROUPS.get(library) if library is not None else None


def preferred_task_group(ctx: ModuleWalker) -> str | None:
    """The structured-concurrency API the module already uses (`asyncio.TaskGroup`), if any."""
    return ctx.facts(_preferred_task_group)


def _preferred_task_group(ctx: ModuleWalker) -> str | None:
    for scope in ctx.model.scopes.values():
        for bindings in scope.bindings.values():
            for binding in bindings:
                value = binding.value
                if binding.kind in (BindingKind.CONTEXT, BindingKind.ASSIGNMENT) and isinstance(value, Call):
                    name = ctx.inference.qualified_name(value.func, Place(ctx.path, scope.key))
                    if name in TASK_GROUPS:
                        return name
    return None


def gather_reference(ctx: ModuleWalker) -> tuple[str, tuple[str, ...]] | None:
    """How a fix spells `asyncio` here, and the imports it must add; None when the module runs
    on another library (its task groups are the advice, with no fix) or the name is taken."""
    if running_library(ctx) != GATHERING_LIBRARY:
        return None
    return ctx.module_reference(GATHERING_LIBRARY)


def use_task_group(ctx: ModuleWalker, python: tuple[int, int] | None) -> bool:
    """Whether a fix should use `asyncio.TaskGroup`: the module already does, and the project
    does not say it supports a Python older than 3.11."""
    return preferred_task_group(ctx) == TASK_GROUP and (python is None or python >= TASK_GROUP_VERSION)
