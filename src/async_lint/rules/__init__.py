"""The rule registry: every `Rule` subclass defined in a module of this package, by code, and
the rule set a check runs (`build_rule_set`, which the front ends hand to the engine).

Rules are found by walking the package, so adding a rule is adding a module (or a class to one):
nothing else has to be edited. Importing this package imports no rule (nor LibCST): a run that
finds every result in its cache never needs one.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from typing import TYPE_CHECKING, cast

from async_lint.config import RuleOptions

if TYPE_CHECKING:
    from async_lint.analysis.rule_set import RuleSet
    from async_lint.analysis.walker import Handler
    from async_lint.rules.base import Rule


@functools.cache
def all_rules() -> dict[str, type[Rule]]:
    from async_lint.rules.base import Rule

    found: dict[str, type[Rule]] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__ and "code" in vars(value):
                if value.code in found:
                    raise RuntimeError(f"rule code {value.code} defined twice: {found[value.code]} and {value}")
                found[value.code] = value
    return dict(sorted(found.items()))


@functools.lru_cache(maxsize=64)
def build_rule_set(codes: frozenset[str], options: RuleOptions) -> RuleSet:
    """The rules of `codes` that the walker runs (ASL001-ASL003 are the engine's own), each
    instantiated once with `options`."""
    from async_lint.analysis.rule_set import EnabledRule, RuleSet

    enabled = []
    for code, rule_class in all_rules().items():
        if code not in codes or rule_class.infrastructure:
            continue
        rule = rule_class(options)
        handlers = cast("dict[type, Handler]", rule.handlers())
        enabled.append(EnabledRule(code, rule_class.name, handlers, rule_class.triggers, rule_class.triggers_on_project_imports))
    return RuleSet(enabled, options)
