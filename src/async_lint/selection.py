"""Which rule codes are enabled: `select`/`extend-select` minus `ignore`, by code prefix.

`ASL` (the default `select`) means every rule that is on by default; an opt-in rule (`RuleInfo.
opt_in`: ASL500, ASL501) is selected only by a prefix that names its group or itself (`ASL5`,
`ASL50`, `ASL500`) or by `ALL`, so that adding opt-in rules never changes what an existing
configuration runs.
"""

from __future__ import annotations

from collections.abc import Iterable

from async_lint.config import ConfigError, check_codes
from async_lint.rule_catalog import RULES

_EVERY_RULE = "ALL"
_PREFIX = "ASL"


def _matching(prefixes: Iterable[str], codes: Iterable[str], what: str, selecting: bool) -> set[str]:
    matched: set[str] = set()
    codes = list(codes)
    for prefix in check_codes(tuple(prefixes), what):
        prefix = prefix.strip().upper()
        if prefix == _EVERY_RULE:
            matched |= set(codes)
            continue
        hits = {code for code in codes if code.startswith(prefix)}
        if selecting and len(prefix) <= len(_PREFIX):
            hits = {code for code in hits if not RULES[code].opt_in}
        matched |= hits
    return matched


def enabled_codes(select: Iterable[str], extend_select: Iterable[str], ignore: Iterable[str]) -> frozenset[str]:
    """Infrastructure codes (ASL001-ASL003) are always on: a file that could not be checked is
    always reported."""
    codes = list(RULES)
    chosen = _matching(select, codes, "select", True) | _matching(extend_select, codes, "extend-select", True)
    chosen -= {code for code in _matching(ignore, codes, "ignore", False) if not RULES[code].infrastructure}
    if all(RULES[code].infrastructure for code in chosen):
        raise ConfigError("the selection enables no rule (select and extend-select minus ignore is empty)")
    chosen |= {code for code, rule in RULES.items() if rule.infrastructure}
    return frozenset(chosen)


def default_codes() -> frozenset[str]:
    """What runs when nothing is configured (`select = ["ASL"]`)."""
    return enabled_codes((_PREFIX,), (), ())
