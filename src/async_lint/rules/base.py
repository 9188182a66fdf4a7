"""The shape of a rule: metadata that feeds the docs and the tests, plus `visit_<Node>` checks.

A rule is a small class (as in Fixit): a docstring saying what it does, a code and a name, the
why, the fix safety, what it does not flag, and VALID/INVALID examples that are run as tests
and printed as docs. Its checks are methods named `visit_<LibCST node type>(self, node, ctx)`;
the engine calls them during its single traversal of each file, `ctx` being the
`ModuleWalker` (scopes, bindings, name resolution, `report`). A rule never parses, reads
files or prints.
"""

from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from async_lint.config import RuleOptions
from async_lint.rule_catalog import rule_url


@dataclass(frozen=True)
class Invalid:
    """An example the rule must flag; `fixed` is the exact output of `--fix --unsafe-fixes`
    when the rule offers an applicable fix, None when it only suggests one."""

    code: str
    fixed: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", textwrap.dedent(self.code).strip("\n") + "\n")
        if self.fixed is not None:
            object.__setattr__(self, "fixed", textwrap.dedent(self.fixed).strip("\n") + "\n")


def dedent_example(code: str) -> str:
    return textwrap.dedent(code).strip("\n") + "\n"


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    """One line: what the rule flags (for `async-lint rules` and the README table)."""
    why: ClassVar[str]
    """Why is this bad: the runtime consequence, with the exact error text where there is one."""
    use_instead: ClassVar[str | None] = None
    """Shown under *Use instead* when the first INVALID example has no `fixed` form."""
    fix_safety: ClassVar[str]
    not_flagged: ClassVar[tuple[str, ...]] = ()
    """Look-alikes the rule deliberately leaves alone (each pinned by a VALID example)."""
    valid: ClassVar[tuple[str, ...]] = ()
    invalid: ClassVar[tuple[Invalid, ...]] = ()
    triggers: ClassVar[tuple[str, ...]] = ("async",)
    """Substrings a file must contain for the rule to possibly fire there: files with none of
    any enabled rule's triggers are not even parsed. Must be sound (never skip a finding)."""
    proof: ClassVar[str | None] = None
    """The test (path from the repository root) that runs the flagged code and its fix for real."""
    triggers_on_project_imports: ClassVar[bool] = False
    """The rule may also fire in a file that imports what may lead to a project coroutine
    function (`ProjectIndex.may_reach_coroutine`), whatever its text: a call of an imported
    project coroutine need not spell any trigger."""
    infrastructure: ClassVar[bool] = False
    """ASL001-ASL003: reported by the engine itself, never silenced by `--ignore`."""
    opt_in: ClassVar[str | None] = None
    """Why the rule is not in the default selection, for an opt-in rule (None: it is). An opt-in
    rule runs only when `select`/`extend-select` names it more precisely than `ASL` (`ASL5`,
    `ASL500`) or says `ALL` (see `selection`)."""

    def __init__(self, options: RuleOptions) -> None:
        self.options = options

    @classmethod
    def description(cls) -> str:
        """*What it does*: the class docstring."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def url(cls) -> str:
        return rule_url(cls.code)

    def handlers(self) -> dict[type[cst.CSTNode], object]:
        """`visit_<Node>` methods by LibCST node type."""
        found: dict[type[cst.CSTNode], object] = {}
        for attribute in dir(type(self)):
            if attribute.startswith("visit_"):
                node_type = getattr(cst, attribute[len("visit_") :])
                found[node_type] = getattr(self, attribute)
        return found

