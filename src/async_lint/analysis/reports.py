"""What a rule hands back during the traversal: a node, a message, and a fix as CST edits.

Positions are not known yet at this point (computing them costs more than the parse); the
checker turns these into `Diagnostic`s with rows and columns only for files that have some.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from async_lint.diagnostics import Applicability


@dataclass(frozen=True)
class NodeFix:
    message: str
    applicability: Applicability
    replacements: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...] = ()
    """(old node, new node or source text) pairs."""
    imports: tuple[str, ...] = ()
    """Modules the replacement refers to by their plain name, to import at the top if missing."""
    insertions: tuple[tuple[cst.CSTNode, str], ...] = ()
    """(node, text) pairs: the text goes just before the node (`async ` before a `for`), which
    keeps the edit small where re-rendering a nested block would lose its indentation."""
    deletions: tuple[cst.SimpleStatementLine, ...] = ()
    """Statements removed with their whole lines (indentation and line break; the comment lines
    above them stay), as when several statements become one."""


@dataclass(frozen=True)
class RelatedNode:
    """A step elsewhere that explains the finding; `filename` None means this file."""

    message: str
    filename: str | None = None
    row: int | None = None
    column: int | None = None
    node: cst.CSTNode | None = None


@dataclass(frozen=True)
class Report:
    code: str
    node: cst.CSTNode
    message: str
    fix: NodeFix | None = None
    related: tuple[RelatedNode, ...] = ()
