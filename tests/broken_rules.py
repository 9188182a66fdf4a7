"""Rules that exist only for tests: one that raises, one whose fix breaks the file.

They are registered on demand (`register()`), never by the package, so the real registry, the
docs and the rule-example tests never see them. `CLI_WITH_TEST_RULES` runs the real CLI in a
fresh interpreter with them registered.
"""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.rule_catalog import RULES, RuleInfo
from async_lint.rules import all_rules
from async_lint.rules.base import Rule

EXPLODING = "ASL990"
BREAKING_FIX = "ASL991"


def _called_name(node: cst.Call) -> str | None:
    return node.func.value if isinstance(node.func, cst.Name) else None


class ExplodingRule(Rule):
    """Raises on every call to `explode()`: stands for a bug in a rule."""

    code = EXPLODING
    name = "test-exploding-rule"
    summary = "test only: raises on explode()"
    why = "test only"
    fix_safety = "test only"
    triggers = ("explode",)

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        if _called_name(node) == "explode":
            raise ValueError("boom from a test-only rule")


class BreakingFixRule(Rule):
    """Flags `break_me()` with a 'safe' fix that leaves the file unparsable."""

    code = BREAKING_FIX
    name = "test-breaking-fix"
    summary = "test only: a fix that breaks the file"
    why = "test only"
    fix_safety = "test only"
    triggers = ("break_me",)
    replacement = "break_me(("
    """The fix's text: unparsable by default; a test may make it parse but not compile."""

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        if _called_name(node) == "break_me":
            fix = NodeFix("break the file", Applicability.SAFE, replacements=((node, self.replacement),))
            ctx.report(self.code, node, "`break_me()` called", fix)


def register() -> None:
    """Add the test-only rules to the (cached) registry of this process, and to the catalog
    the CLI selects codes from."""
    rules = all_rules()
    for rule in (ExplodingRule, BreakingFixRule):
        rules[rule.code] = rule
        RULES[rule.code] = RuleInfo(rule.code, rule.name, rule.summary, rule.infrastructure)


CLI_WITH_TEST_RULES = (
    "import sys; from tests.broken_rules import register; register(); "
    "from async_lint.cli import main; sys.exit(main(sys.argv[1:]))"
)
