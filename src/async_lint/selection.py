"""Which rule codes are enabled: `select`/`extend-select` minus `ignore`, by code prefix."""

from __future__ import annotations

from collections.abc import Iterable

from async_lint.config import ConfigError, check_codes
from async_lint.rule_catalog import RULES


def _matching(prefixes: Iterable[str], codes: Iterable[str], what: str) -> set[str]:
    matched: set[str] = set()
    codes = list(codes)
    for prefix in check_codes(tuple(prefixes), what):
        prefix = prefix.strip().upper()
        if prefix == "ALL":
            prefix = "ASL"
        matched |= {code for code in codes if code.startswith(prefix)}
    return matched


def enabled_codes(select: Iterable[str], extend_select: Iterable[str], ignore: Iterable[str]) -> frozenset[str]:
    """Infrastructure codes (ASL001-ASL003) are always on: a file that could not be checked is
    always reported."""
    codes = list(RULES)
    chosen = _matching(select, codes, "select") | _matching(extend_select, codes, "extend-select")
    chosen -= {code for code in _matching(ignore, codes, "ignore") if not RULES[code].infrastructure}
    if all(RULES[code].infrastructure for code in chosen):
        raise ConfigError("the selection enables no rule (select and extend-select minus ignore is empty)")
    chosen |= {code for code, rule in RULES.items() if rule.infrastructure}
    return frozenset(chosen)
