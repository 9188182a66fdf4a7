"""The rules one check runs, in the shape the walker needs: each rule's handlers by node type,
the substrings a file must contain for any of them to fire, and their names.

`async_lint.rules.build_rule_set` makes one from the enabled codes; the front ends hand it (or
that factory) to the engine, which never imports a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import libcst as cst

from async_lint.analysis.walker import Handler
from async_lint.config import RuleOptions


@dataclass(frozen=True)
class EnabledRule:
    """One rule, instantiated with the run's options."""

    code: str
    name: str
    handlers: Mapping[type[cst.CSTNode], Handler]
    triggers: tuple[str, ...]
    """Substrings a file must contain for the rule to possibly fire (`Rule.triggers`)."""
    on_project_imports: bool
    """The rule may also fire where a file imports a project coroutine (`Rule.triggers_on_project_imports`)."""


class RuleSet:
    """The enabled rules; `only` and `without` narrow it (per-file ignores, a rule that failed)."""

    def __init__(self, rules: Iterable[EnabledRule], options: RuleOptions) -> None:
        self.rules = tuple(rules)
        self.options = options
        self.codes = frozenset(rule.code for rule in self.rules)
        self.handlers: dict[type[cst.CSTNode], list[tuple[str, Handler]]] = {}
        for rule in self.rules:
            for node_type, handler in rule.handlers.items():
                self.handlers.setdefault(node_type, []).append((rule.code, handler))
        self.triggers = tuple(sorted({trigger for rule in self.rules for trigger in rule.triggers}))
        self.project_triggers = any(rule.on_project_imports for rule in self.rules)
        self._narrowed: dict[frozenset[str], RuleSet] = {}

    def only(self, codes: frozenset[str]) -> RuleSet:
        if codes >= self.codes:
            return self
        if codes not in self._narrowed:
            self._narrowed[codes] = RuleSet((rule for rule in self.rules if rule.code in codes), self.options)
        return self._narrowed[codes]

    def without(self, code: str) -> RuleSet:
        return self.only(self.codes - {code})

    def name_of(self, code: str) -> str:
        return next(rule.name for rule in self.rules if rule.code == code)


RuleSetFactory = Callable[[frozenset[str], RuleOptions], RuleSet]
"""Makes the rule set for the enabled codes and options (`async_lint.rules.build_rule_set`)."""
