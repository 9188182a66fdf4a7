"""Which catalog entry a call is: `requests.get(url)` through any import spelling, and
`s.get(url)` when the type inference shows `s` to be a `requests.Session` (made by a
constructor or factory, here or in another module, bound by `with ... as s`, annotated as
one, or a `self.s` the class assigns so).

The verdict for a call in a coroutine (`blocking_call_in_coroutine`) is worked out once per
call and shared by the rules of every family through `ctx.facts`; the call-chain search asks
the same catalog (`catalog(options).get(...)`) about the calls in a module's model.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import libcst as cst

from async_lint.analysis.cst_expressions import from_cst
from async_lint.analysis.expressions import Constant
from async_lint.analysis.module_model import BindingKind
from async_lint.analysis.types import Instance, members, without_none
from async_lint.analysis.walker import ModuleWalker
from async_lint.config import BlockingPackageOption, RuleOptions
from async_lint.knowledge.blocking_calls import (
    CATALOG,
    CONSUMERS,
    MEMORY_FILES,
    METHOD_OWNERS,
    NONBLOCKING_MARKERS,
    PACKAGE_TYPES,
    BlockingCall,
    BlockingFamily,
    Handoff,
)
from async_lint.knowledge.blocking_model import BlockingPackage, ReceiverType, is_public
from async_lint.knowledge.blocking_packages import PACKAGE_OF


@dataclass(frozen=True)
class BlockingCallSite:
    """A call that blocks: its catalog entry, and for a method call the receiver type the
    inference showed (`requests.Session` for `s.get(url)`)."""

    entry: BlockingCall
    receiver_type: str | None = None


def blocking_call_in_coroutine(node: cst.Call, ctx: ModuleWalker, known: Catalog) -> BlockingCallSite | None:
    """The catalog entry of a call made in an `async def` (not in a sync `def` or lambda
    nested in one), or None."""
    if not ctx.in_async_function:
        return None
    return ctx.facts(_BlockingCalls).at(node, ctx, known)


class _BlockingCalls:
    """The verdicts of one module's traversal, by call: each family's rule asks about every
    call, and the answer is worked out once."""

    def __init__(self, ctx: ModuleWalker) -> None:
        self._found: dict[tuple[cst.Call, Catalog], BlockingCallSite | None] = {}

    def at(self, node: cst.Call, ctx: ModuleWalker, known: Catalog) -> BlockingCallSite | None:
        key = (node, known)
        if key not in self._found:
            self._found[key] = _classify(node, ctx, known)
        return self._found[key]


def _classify(node: cst.Call, ctx: ModuleWalker, known: Catalog) -> BlockingCallSite | None:
    """The catalog entry this call is, or None (also when a blocking flag is passed as a
    literal `False`: `lock.acquire(False)`, `q.get(block=False)`)."""
    site = _match(node, ctx, known)
    if site is None or _passes_nonblocking(node, site.entry):
        return None
    if site.receiver_type is not None and isinstance(ctx.parent, cst.Await):
        # awaited: the object is an async one whatever its type seemed (`sessionmaker(...,
        # class_=AsyncSession)()` is typed as the sync `Session` its factory usually makes)
        return None
    if site.entry.lazy and not _consumed_in_place(node, ctx):
        return None
    if site.entry.file_argument is not None and _is_memory_file(_argument(node, site.entry.file_argument, None), ctx):
        return None
    if site.entry.destination is not None:
        destination = _argument(node, *site.entry.destination)
        if destination is None or _is_memory_file(destination, ctx) or _is_none(destination):
            return None
    if site.receiver_type is not None and site.receiver_type in NONBLOCKING_MARKERS and not _in_blocking_state(node, site.receiver_type, ctx):
        return None
    return site


def _consumed_in_place(node: cst.Call, ctx: ModuleWalker) -> bool:
    """`for x in <node>`, `[... for x in <node>]`, `list(<node>)`; or `name = <node>` and then a
    plain `for x in name:` / `list(name)` in the same function body (`cursor = users.find();
    for doc in cursor:`), the name bound nowhere else in the function."""
    parent = ctx.parent
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is node:
        return True
    if isinstance(parent, cst.Arg) and parent.value is node and len(ctx.ancestors) >= 2:
        consumer = ctx.ancestors[-2]
        return isinstance(consumer, cst.Call) and ctx.resolve(consumer.func) in CONSUMERS
    if isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1:
        target = parent.targets[0].target
        return isinstance(target, cst.Name) and _iterated_later(target.value, ctx)
    return False


def _iterated_later(name: str, ctx: ModuleWalker) -> bool:
    function = ctx.function
    found = ctx.bindings(name)
    if function is None or found is None or found[0].key != function.key or len(found[1]) != 1:
        return False
    iterates = _Iterates(name, ctx)
    function.node.visit(iterates)
    return iterates.found


class _Iterates(cst.CSTVisitor):
    """Whether a function body iterates `name` on the spot (not in a nested function, which may
    run in a thread)."""

    def __init__(self, name: str, ctx: ModuleWalker) -> None:
        self.name = name
        self.ctx = ctx
        self.found = False
        self.depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return self.depth == 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is None and isinstance(node.iter, cst.Name) and node.iter.value == self.name:
            self.found = True

    def visit_Call(self, node: cst.Call) -> None:
        first = node.args[0].value if node.args else None
        if isinstance(first, cst.Name) and first.value == self.name and self.ctx.resolve(node.func) in CONSUMERS:
            self.found = True


def _argument(node: cst.Call, position: int, keyword: str | None) -> cst.BaseExpression | None:
    """The argument passed at `position` or as `keyword`; None when there is none (and when
    `*args`/`**kwargs` might hold it: then it counts as given, as the call itself)."""
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    for arg in node.args:
        if keyword is not None and arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    if position < len(positional):
        return positional[position].value
    starred = next((arg for arg in node.args if arg.star), None)
    return starred.value if starred is not None else None


def _is_memory_file(argument: cst.BaseExpression | None, ctx: ModuleWalker) -> bool:
    """`json.dump(obj, io.StringIO())`, or a name holding an `io.BytesIO()`."""
    if argument is None:
        return False
    found = members(ctx.type_of(argument))
    return bool(found) and all(isinstance(m, Instance) and m.external in MEMORY_FILES for m in found)


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and from_cst(expr) == Constant(None)


def _in_blocking_state(node: cst.Call, receiver_type: str, ctx: ModuleWalker) -> bool:
    """For sockets and futures: the receiver is a name this function assigned and never
    switched to non-blocking use (see `NONBLOCKING_MARKERS`), or a fresh object
    (`executor.submit(f).result()`)."""
    func = node.func
    if not isinstance(func, cst.Attribute):
        return False
    if isinstance(func.value, cst.Call):
        return True
    if not isinstance(func.value, cst.Name):
        return False
    name = func.value.value
    function = ctx.function
    found = ctx.bindings(name)
    if found is None or function is None or found[0].key != function.key:
        return False
    if not all(binding.kind in (BindingKind.ASSIGNMENT, BindingKind.CONTEXT) for binding in found[1]):
        return False
    code = ctx.module.code_for_node(function.node)
    return not any(f"{name}.{marker}(" in code for marker in NONBLOCKING_MARKERS[receiver_type])


def _match(node: cst.Call, ctx: ModuleWalker, known: Catalog) -> BlockingCallSite | None:
    func = node.func
    qualified = ctx.resolve(func)
    if qualified is not None:
        entry = known.get(qualified)
        if entry is not None:
            return BlockingCallSite(entry)
    if isinstance(func, cst.Attribute) and known.may_block(func.attr.value):
        site = _method_site(func.value, func.attr.value, ctx, known)
        if site is not None and not isinstance(func.value, cst.Name) and known.is_protocol(site.receiver_type):
            return None
        return site
    return None


def _passes_nonblocking(node: cst.Call, entry: BlockingCall) -> bool:
    if entry.nonblocking_flag is None:
        return False
    position, keyword = entry.nonblocking_flag
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return _is_false(arg.value)
    if any(arg.star for arg in node.args):
        return True  # cannot tell: stay silent
    return position < len(positional) and _is_false(positional[position].value)


def _is_false(expr: cst.BaseExpression) -> bool:
    """`False` or `0` written as such."""
    return isinstance(expr, (cst.Name, cst.Integer)) and from_cst(expr) == Constant(False)


def _method_site(receiver: cst.BaseExpression, method: str, ctx: ModuleWalker, known: Catalog) -> BlockingCallSite | None:
    """The entry of `<receiver>.<method>(...)` when every type the inference allows for the
    receiver (`None` aside) is a receiver type on which the method blocks; the first such type,
    by name, is the one the message shows."""
    found: list[tuple[str, BlockingCall]] = []
    for member in members(without_none(ctx.type_of(receiver))):
        name = member.external if isinstance(member, Instance) else None
        entry = known.get(f"{name}.{method}") if name is not None and name in known.receiver_types else None
        if name is None or entry is None:
            return None
        found.append((name, entry))
    if not found:
        return None
    name, entry = min(found, key=lambda pair: pair[0])
    return BlockingCallSite(entry, name)


@dataclass(frozen=True, eq=False)
class Catalog:
    """The blocking calls in force for one configuration: the built-in entries plus the
    configured `blocking-calls`, minus the `allow-blocking` names, and the receiver types of the
    sync I/O packages (built in and `blocking-packages`), on which every public method but the
    pure ones blocks (one object per configuration, see `catalog`)."""

    entries: Mapping[str, BlockingCall]
    method_names: frozenset[str]
    """Every method name some receiver type has a blocking entry for (a cheap pre-check)."""
    receiver_types: frozenset[str]
    packages: Mapping[str, tuple[ReceiverType, BlockingPackage]]
    """Receiver type name -> the type and its package, for the package default."""
    allowed: frozenset[str] = frozenset()
    _made: dict[str, BlockingCall | None] = field(default_factory=dict)
    """Package-default entries, made once per name."""

    def get(self, qualified_name: str) -> BlockingCall | None:
        """Whether this qualified call is a blocking sink, and what replaces it: a named entry,
        or a method of a package's receiver type (`redis.Redis.hset`)."""
        entry = self.entries.get(qualified_name)
        if entry is not None:
            return entry
        if qualified_name not in self._made:
            owner, _, method = qualified_name.rpartition(".")
            known = self.packages.get(owner)
            made = None
            if known is not None and known[0].blocks(method):
                made = _package_entry(known[0], known[1], method, self.allowed)
            self._made[qualified_name] = made
        return self._made[qualified_name]

    def is_protocol(self, receiver_type: str | None) -> bool:
        """A stream protocol (`typing.BinaryIO`): blocking only on a plain name (see
        `ReceiverType.protocol`)."""
        known = self.packages.get(receiver_type or "")
        return known is not None and known[0].protocol

    def may_block(self, method: str) -> bool:
        """Whether a method of this name may block on some receiver type (before the receiver's
        type is worked out)."""
        return method in self.method_names or (bool(self.packages) and is_public(method))


def _package_entry(receiver: ReceiverType, package: BlockingPackage, method: str, allowed: frozenset[str]) -> BlockingCall | None:
    name = f"{receiver.name}.{method}"
    if is_allowed(name, allowed):
        return None
    if method in receiver.lazy:
        return BlockingCall(name, package.family, package.replacement, Handoff.NEVER, lazy=True)
    handoff = Handoff.STATEMENT if method in receiver.statement_only else Handoff.ANY
    return BlockingCall(name, package.family, package.replacement, handoff)


def is_allowed(qualified_name: str, allowed: Iterable[str]) -> bool:
    """`allow-blocking` names a call, or a module/type prefix of it (`os.path` allows
    `os.path.exists`)."""
    return any(qualified_name == name or qualified_name.startswith(name + ".") for name in allowed)


_CODE_LIKE = re.compile(r"[\w.]+(?:\([^`]*\))?|await [^`]*")
"""Configured advice that is a name or code (`mycompany.db.aquery`, `await x.fetch(...)`), not
already quoted."""


def configured_advice(text: str) -> str:
    """Configured advice in the voice of the built-in texts (``use `...` ``, lower case after the
    message's `;`): a name or code is quoted, a sentence taken as written."""
    text = text.strip()
    if _CODE_LIKE.fullmatch(text):
        return f"use `{text}`"
    if text[:1].isupper() and text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


def _configured_package(option: BlockingPackageOption) -> BlockingPackage:
    return BlockingPackage(
        name=option.name,
        family=BlockingFamily(option.family),
        replacement=configured_advice(option.replacement),
        alternative=option.replacement,
        types=tuple(ReceiverType((name,), pure=frozenset(pure)) for name, pure in option.types),
    )


@functools.lru_cache(maxsize=16)
def catalog(options: RuleOptions) -> Catalog:
    """The one entry point, for the direct rules and the call-chain search alike:
    `catalog(options).get("requests.get")` -> the entry, or None."""
    entries = {entry.qualified_name: entry for entry in CATALOG}
    for name, suggestion in options.blocking_calls:
        existing = entries.get(name)
        if existing is not None:
            entries[name] = replace(existing, replacement=configured_advice(suggestion))
        else:
            entries[name] = BlockingCall(name, BlockingFamily.OTHER, configured_advice(suggestion), Handoff.NEVER)
    entries = {name: entry for name, entry in entries.items() if not is_allowed(name, options.allow_blocking)}
    packages = {name: (receiver, PACKAGE_OF[name]) for name, receiver in PACKAGE_TYPES.items()}
    for option in options.blocking_packages:
        configured = _configured_package(option)
        packages.update({receiver.name: (receiver, configured) for receiver in configured.types})
    owners = {name.rsplit(".", 1)[0] for name in entries} & METHOD_OWNERS
    configured_owners = {name.rsplit(".", 1)[0] for name, _ in options.blocking_calls}
    receiver_types = frozenset(owners | configured_owners | set(packages))
    method_names = frozenset(name.rsplit(".", 1)[1] for name in entries if name.rsplit(".", 1)[0] in receiver_types)
    return Catalog(entries, method_names, receiver_types, packages, frozenset(options.allow_blocking))
