"""`--explain-unresolved`: which receivers of calls in async code stayed unknown, and why, in
terms a user can act on (install a package into the hook's environment, add a source root, add
an annotation). Nothing here runs unless the debug log is on.

A receiver is worth a line when knowing it could change a verdict: an object of an external class
or factory that no table, family, installed base or derived twin explains (once per class), or a
receiver of unknown type whose method is one the knowledge names as I/O (`find_one`, `invoke`,
`execute`...) somewhere (once per receiver and file). The reason is one of:

- the class's package is not installed where async-lint runs (a pre-commit hook's isolated
  environment): install it there (`additional_dependencies`) to let async-lint read it;
- the package is installed, but neither the tables nor its sources say its methods do I/O
  (installing more will not help; `blocking-calls` in the configuration can say so);
- a name bound in a way the model does not follow (a parameter without annotation, an attribute
  of an unknown object, a module that is neither the project's nor installed).
"""

from __future__ import annotations

import functools
import logging
import sys

import libcst as cst

from async_lint.analysis.distributions import installed_version
from async_lint.analysis.expressions import shown_expression
from async_lint.analysis.module_model import Binding, BindingKind, ScopeKind
from async_lint.analysis.project import display_path, logger
from async_lint.analysis.types import ExternalName, FunctionType, Instance, members, without_none
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.blocking_calls import CATALOG, METHOD_OWNERS, VALUE_TYPES
from async_lint.knowledge.coroutines import ASYNC_CLIENTS
from async_lint.knowledge.langchain import SYNC_METHODS, TIER_A_SYNC_METHODS, factory_for
from async_lint.knowledge.library_types import SHAPES
from async_lint.knowledge.types import ROOT_CLASS

_IO_METHODS = frozenset(
    {
        *(method for methods in SYNC_METHODS.values() for method in methods),
        *TIER_A_SYNC_METHODS,
        *(entry.qualified_name.rsplit(".", 1)[1] for entry in CATALOG if entry.qualified_name.rsplit(".", 1)[0] in METHOD_OWNERS),
        *(method for shape in SHAPES.values() for method in shape.methods),
    }
)
"""Method names some table knows as I/O on some receiver: an unknown receiver of one of these
is worth explaining."""

_KNOWN_TYPES = frozenset({*METHOD_OWNERS, *VALUE_TYPES, *ASYNC_CLIENTS, *SHAPES})
_BUILTINS = frozenset({ROOT_CLASS.split(".", 1)[0]})


def explaining() -> bool:
    return logger.isEnabledFor(logging.DEBUG)


def explain_receiver(receiver: cst.BaseExpression, method: str, ctx: ModuleWalker) -> None:
    """Log why `receiver` (of `receiver.method(...)` in async code, which got no verdict) is
    unknown, when knowing it could matter."""
    if not explaining():
        return
    found = members(without_none(ctx.type_of(receiver)))
    where = f"{display_path(ctx.path)}: in {ctx.frame.qualname or '<module>'}"
    shown = f"`{_short(ctx.module.code_for_node(receiver))}.{method}()`"
    if not found:
        key = (where, ctx.module.code_for_node(receiver))
        if method in _IO_METHODS and key not in _seen_receivers:
            _seen_receivers.add(key)
            logger.debug("unresolved receiver: %s: %s: %s", where, shown, _why_unknown(receiver, ctx))
        return
    if len(found) != 1:
        return
    only = found[0]
    if isinstance(only, Instance) and isinstance(only.of, ExternalName):
        _explain_external(only.of.qualified, method in _IO_METHODS and only.external is not None, f"{where}: {shown}", ctx)
    elif isinstance(only, ExternalName):
        _explain_external(only.qualified, False, f"{where}: {shown}", ctx)


def _explain_external(qualified: str, io_method: bool, met: str, ctx: ModuleWalker) -> None:
    """An object made by an external class or factory that nothing explains: once per package
    not installed (installing it may help), once per installed class met with an I/O method
    (installing more will not)."""
    top = qualified.split(".", 1)[0]
    if qualified in _KNOWN_TYPES or factory_for(qualified) is not None or top in sys.stdlib_module_names or top in _BUILTINS:
        return
    environment = ctx.inference.project.environment
    if environment is None:
        if io_method:
            _once(f"unresolved class: `{qualified}`: no table lists it, and this run does not read installed packages (first met in {met})")
        return
    if environment.project.module_path(top, None) is None:
        if top not in _seen_packages:
            _seen_packages.add(top)
            logger.debug(
                "unresolved package: `%s` is neither a module of the project nor installed where async-lint runs, "
                "and no table lists `%s` (first met in %s): if it is a LangChain integration or a client library, "
                "install it there (pre-commit: `additional_dependencies`) so that async-lint reads its classes; "
                "if it is the project's own, add its directory to `src`",
                top,
                qualified,
                met,
            )
        return
    if io_method and qualified not in _seen_classes and environment.async_sibling(qualified) is None:
        _seen_classes.add(qualified)
        version = installed_version(top)
        installed = f"`{top}` {version}" if version else f"`{top}`"
        logger.debug(
            "unresolved class: `%s`: %s is installed, but neither the tables nor its sources (LangChain bases, "
            "an `Async` sibling, `a`-prefixed twins) say its methods do I/O; `blocking-calls` in the "
            "configuration can (first met in %s)",
            qualified,
            installed,
            met,
        )


def _why_unknown(receiver: cst.BaseExpression, ctx: ModuleWalker) -> str:
    """What the model could not follow, from the receiver's root name."""
    root = receiver
    attributes: list[str] = []
    while isinstance(root, cst.Attribute):
        attributes.insert(0, root.attr.value)
        root = root.value
    if isinstance(root, cst.Call):
        return f"`{_short(ctx.module.code_for_node(root.func))}(...)` returns nothing the model knows"
    if not isinstance(root, cst.Name):
        return "an expression the model does not type"
    found = ctx.bindings(root.value)
    if found is None:
        return f"`{root.value}` is bound nowhere the model sees (a builtin, a star import, a lambda or comprehension name)"
    owner, bindings = found
    function = ctx.inference.function_scope(FunctionType(ctx.path, owner.key)) if owner.kind is ScopeKind.FUNCTION else None
    if attributes and function is not None and function.class_key is not None and function.self_name == root.value:
        return _why_unknown_attribute(function.class_key, attributes, ctx)
    reasons = sorted({_binding_reason(root.value, binding) for binding in bindings})
    reason = "; ".join(reasons) or f"`{root.value}` is bound to nothing the model can type"
    if attributes:
        return f"{reason} (then `.{'.'.join(attributes)}` of it)"
    return reason


def _why_unknown_attribute(class_key: str, attributes: list[str], ctx: ModuleWalker) -> str:
    """`self.db`: what the class assigns to it, or that it assigns nothing."""
    name = attributes[0]
    shown = f"`self.{name}`"
    scope = ctx.model.class_scope(class_key)
    sites = scope.attributes.get(name, []) if scope is not None else []
    values = sorted({text for site in sites if site.value is not None and (text := shown_expression(site.value)) is not None})
    if not sites:
        return f"{shown} is not assigned in the class (a base class, or code elsewhere, sets it: annotate it in the class body)"
    if values:
        return f"{shown} is assigned `{'`, `'.join(values)}`, whose type the model does not know (annotate it in the class body)"
    return f"{shown} is assigned an expression the model does not type (annotate it in the class body)"


def _binding_reason(name: str, binding: Binding) -> str:
    kind = binding.kind
    if kind is BindingKind.PARAMETER:
        if binding.annotation is None:
            return f"`{name}` is a parameter without annotation (annotate it with the class it holds)"
        return f"`{name}` is a parameter annotated with a type the model does not know"
    shown = shown_expression(binding.value) if binding.value is not None else None
    value = f" `{shown}`" if shown is not None else " an expression"
    if kind is BindingKind.ASSIGNMENT:
        return f"`{name}` is assigned{value} (line {binding.line}), whose type the model does not know"
    if kind is BindingKind.CONTEXT:
        manager = shown or "..."
        return f"`{name}` is bound by `with {manager} as {name}` (line {binding.line}), whose type the model does not know"
    if kind is BindingKind.LOOP:
        return f"`{name}` is a loop variable over{value} (line {binding.line}), whose items the model does not know"
    if kind is BindingKind.IMPORT:
        return f"`{name}` is imported from a module the model could not read"
    if kind is BindingKind.OTHER:
        return f"`{name}` is bound by unpacking, `+=`, `except` or the like (line {binding.line}), which the model does not follow"
    return f"`{name}` is bound by a {kind.value} the model could not type (line {binding.line})"


_seen_classes: set[str] = set()
_seen_packages: set[str] = set()
_seen_receivers: set[tuple[str, str]] = set()
"""External classes, packages and (function, receiver) pairs explained already in this process
(one line each)."""


@functools.lru_cache(maxsize=None)
def _once(message: str) -> None:
    logger.debug(message)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."
