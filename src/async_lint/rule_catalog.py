"""Every rule's code, name, summary and kind, without importing the rules or LibCST.

A warm run takes every finding from the cache; selecting codes and printing the report is all
it does, and importing the rules (and with them LibCST) would cost it more than the rest of
the run. The table itself, `rule_table.py`, is generated from the rules' own metadata by
`python -m async_lint.docs`, and a test fails when it is stale.
"""

from __future__ import annotations

from typing import NamedTuple

from async_lint.rule_table import RULE_TABLE

DOCS_BASE_URL = "https://github.com/async-lint/async-lint/blob/main/docs/rules"
SYNTAX_ERROR = "ASL001"
UNREADABLE_FILE = "ASL002"
INTERNAL_ERROR = "ASL003"


class RuleInfo(NamedTuple):
    code: str
    name: str
    summary: str
    infrastructure: bool
    """ASL001-ASL003: reported by the engine itself, never silenced by `--ignore`."""
    opt_in: bool = False
    """Not in the default selection (`Rule.opt_in`)."""


RULES: dict[str, RuleInfo] = {row[0]: RuleInfo(*row) for row in RULE_TABLE}


def rule_url(code: str) -> str:
    return f"{DOCS_BASE_URL}/{code}.md"
