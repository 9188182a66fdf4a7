"""One file's check: parse once, walk once with every enabled rule, and turn the rules' reports
into diagnostics (positions, `# noqa`, text edits for fixes)."""

from __future__ import annotations

import dataclasses
import functools
import os
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
from libcst.metadata import CodeRange

from async_lint.analysis.module_model import ModuleModel, parse_python
from async_lint.analysis.project_view import ProjectView
from async_lint.analysis.reports import NodeFix, Report
from async_lint.analysis.rule_set import RuleSet
from async_lint.analysis.walker import ModuleWalker, RuleFailure
from async_lint.config import PythonVersion, format_version
from async_lint.deep_stack import run_deep
from async_lint.diagnostics import Applicability, Diagnostic, Edit, Fix, Location, Related
from async_lint.engine.fix_layout import layout_edits, one_line_message
from async_lint.engine.positions import NodeLocations, locate_nodes, render_in_place
from async_lint.engine.project_index import ProjectIndex
from async_lint.engine.version_gate import module_names, needed_python, newest
from async_lint.noqa import NoqaComments
from async_lint.text_positions import line_starts, location_at, offset_of
from async_lint.rule_catalog import INTERNAL_ERROR, SYNTAX_ERROR


def parse_error_diagnostic(filename: str, error: BaseException) -> Diagnostic:
    if isinstance(error, cst.ParserSyntaxError):
        row, column = error.raw_line, error.raw_column + 1
        message = error.message.strip().splitlines()[0] if error.message.strip() else "invalid syntax"
        message = f"SyntaxError: {message}"
    elif isinstance(error, SyntaxError):
        row, column = error.lineno or 1, error.offset or 1
        message = f"{type(error).__name__}: {error.msg}"
    elif isinstance(error, (RecursionError, MemoryError)):
        row, column, message = 1, 1, "SyntaxError: too deeply nested: CPython cannot compile it either"
    else:
        row, column, message = 1, 1, f"cannot be parsed: {type(error).__name__}: {error}"
    location = Location(max(row, 1), max(column, 1))
    return Diagnostic(SYNTAX_ERROR, message, filename, location, location)


def infrastructure_diagnostic(code: str, filename: str, message: str) -> Diagnostic:
    return Diagnostic(code, message, filename, Location(1, 1), Location(1, 1))


def check_text(
    text: str,
    filename: str,
    rule_set: RuleSet,
    *,
    module_name: str | None = None,
    is_package: bool = False,
    apply_noqa: bool = True,
    module: cst.Module | None = None,
    project: ProjectIndex | None = None,
    path: Path | None = None,
    summary: ModuleModel | None = None,
) -> list[Diagnostic]:
    """Every finding of the enabled rules in one file's text. Never raises for bad input:
    a file that CPython does not compile is ASL001 (however deep the rest nests: LibCST's parse
    and the walk run on a thread with a deep stack), a failing rule ASL003 (and the other rules
    still run).

    `project` is the project index (an empty one when None: only this file is known) and
    `path` the file's location, from which its imports are resolved (default: `filename`).
    `module`, when given, is `text` already parsed (the editor re-parses incrementally), and
    `summary`, when given, is `text`'s summary (the project index made it already)."""
    # CPython's parser first (much faster than LibCST's): it gives the clearest syntax error
    # messages, makes ASL001 independent of what the file happens to contain, and keeps
    # nesting deeper than CPython's own limit away from LibCST.
    if summary is None or not summary.checkable:
        problem = _unparsable(text, filename)
        if problem is not None:
            return [problem]
    if not rule_set.handlers:
        return []
    comments = NoqaComments(text)
    if comments.file_exemption == frozenset():
        return []  # `# async-lint: noqa`: the whole file
    index = project if project is not None else ProjectIndex(lazy=False)
    view = ProjectView(index.project, Path(os.path.abspath(path or filename)), text, summary)
    if not (
        any(trigger in text for trigger in rule_set.triggers)
        or (rule_set.project_triggers and view.imports_project_coroutine())
    ):
        return []
    return run_deep(_check_module, text, filename, rule_set, module_name, is_package, apply_noqa, module, view, comments)


def _check_module(
    text: str,
    filename: str,
    rule_set: RuleSet,
    module_name: str | None,
    is_package: bool,
    apply_noqa: bool,
    module: cst.Module | None,
    view: ProjectView,
    comments: NoqaComments,
) -> list[Diagnostic]:
    try:
        module = cst.parse_module(text) if module is None else module
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - the native parser's panics are BaseExceptions
        return [parse_error_diagnostic(filename, error)]
    failures: list[Diagnostic] = []
    while True:
        walker = ModuleWalker(module, rule_set.handlers, view, module_name=module_name, is_package=is_package, filename=filename)
        try:
            walker.walk()
            break
        except RuleFailure as failure:
            rule_name = rule_set.name_of(failure.code)
            failures.append(
                infrastructure_diagnostic(
                    INTERNAL_ERROR,
                    filename,
                    f"{failure.code} ({rule_name}) failed on this file: "
                    f"{type(failure.error).__name__}: {failure.error}",
                )
            )
            rule_set = rule_set.without(failure.code)
        except RecursionError:
            return [*failures, infrastructure_diagnostic(INTERNAL_ERROR, filename, "RecursionError while walking this file")]
    if not walker.reports:
        return failures
    diagnostics = _to_diagnostics(walker, walker.reports, filename, text, rule_set.options.python)
    diagnostics = [
        d
        for d in (dataclasses.replace(d, noqa_row=comments.noqa_row(d.start.row, d.end.row)) for d in diagnostics)
        if not comments.exempts(d.code)
        and not (apply_noqa and comments.suppresses(d.code, {d.start.row, d.end.row, d.noqa_row or d.start.row}))
    ]
    return sorted([*failures, *diagnostics], key=Diagnostic.sort_key)


def _unparsable(text: str, filename: str) -> Diagnostic | None:
    """ASL001 when CPython's parser rejects the text (at its default recursion limit, as
    `python file.py` would: the deep thread's higher limit is not in force here)."""
    try:
        parse_python(text, filename)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - SyntaxError, ValueError, RecursionError, MemoryError
        return parse_error_diagnostic(filename, error)
    return None


def _location(position: CodeRange, end: bool = False) -> Location:
    point = position.end if end else position.start
    return Location(point.line, point.column + 1)


def _to_diagnostics(
    walker: ModuleWalker, reports: Iterable[Report], filename: str, text: str, target: PythonVersion | None
) -> list[Diagnostic]:
    module = walker.module
    reports = list(reports)
    # Only the nodes a diagnostic needs: the findings, their notes, what their fixes replace,
    # and the top-level statements (where an added import goes).
    wanted: list[cst.CSTNode] = [*module.body]
    replaced: list[cst.CSTNode] = []
    for report in reports:
        wanted.append(report.node)
        wanted.extend(item.node for item in report.related if item.node is not None)
        if report.fix is not None:
            wanted.extend(old for old, new in report.fix.replacements if isinstance(new, str))
            replaced.extend(old for old, new in report.fix.replacements if not isinstance(new, str))
            wanted.extend(node for node, _ in report.fix.insertions)
            wanted.extend(node for statement in report.fix.deletions for node in (statement, statement.trailing_whitespace))
    locations = locate_nodes(module, wanted, with_source=replaced)
    positions = locations.ranges
    fix_context = _FixContext(text, line_starts(text), module, locations, target)
    import_edits: dict[str, Edit] = {}
    diagnostics = []
    for report in reports:
        position = positions[report.node]
        fix = None
        if report.fix is not None:
            fix = _to_fix(report.fix, fix_context, import_edits)
        related = tuple(
            Related(
                item.filename or filename,
                _location(positions[item.node]) if item.node is not None else Location(item.row or 1, item.column or 1),
                item.message,
            )
            for item in report.related
        )
        diagnostics.append(
            Diagnostic(
                report.code,
                one_line_message(report.message),
                filename,
                _location(position),
                _location(position, end=True),
                fix,
                related,
            )
        )
    return diagnostics


@dataclass(frozen=True)
class _FixContext:
    """What turning a rule's fix into text edits reads: the file's text and where its lines
    start, the module, and the located nodes."""

    text: str
    starts: list[int]
    module: cst.Module
    locations: NodeLocations
    target: PythonVersion | None
    """The oldest Python the code must run on (None: unknown)."""

    def offset(self, location: Location) -> int:
        return offset_of(location, self.starts, len(self.text))

    @functools.cached_property
    def module_names(self) -> dict[str, frozenset[str]]:
        return module_names(self.text)


def _to_fix(node_fix: NodeFix, context: _FixContext, import_edits: dict[str, Edit]) -> Fix:
    """The rule's fix as text edits that change only what the fix needs (`fix_layout`); a fix
    that would lose a comment is not safe, and one that needs a newer Python than the target is
    only a suggestion."""
    edits: list[Edit] = []
    drops_comments = False
    needs: list[PythonVersion | None] = []
    for old, new in node_fix.replacements:
        if isinstance(new, str):
            # Text replaces the node's range (which leaves out its parentheses).
            position = context.locations.ranges[old]
            start, end = context.offset(_location(position)), context.offset(_location(position, end=True))
            new_text = new
        else:
            # A node replaces the old node's whole code, rendered as it would stand there.
            source = context.locations.sources[old]
            start, end = source.start_offset, source.end_offset
            new_text = render_in_place(_keeping_parentheses(old, new), context.module, source.indent)
        layout = layout_edits(context.text[start:end], new_text)
        drops_comments = drops_comments or layout.drops_comments
        if context.target is not None:
            needs.append(needed_python(context.text[start:end], new_text, context.module_names))
        edits.extend(
            Edit(
                location_at(start + edit.start, context.starts),
                location_at(start + edit.end, context.starts),
                edit.content,
            )
            for edit in layout.edits
        )
    for node, inserted in node_fix.insertions:
        point = _location(context.locations.ranges[node])
        edits.append(Edit(point, point, inserted))
    for statement in node_fix.deletions:
        # The statement's whole line goes, from its indentation through its line break.
        start = context.offset(Location(_location(context.locations.ranges[statement]).row, 1))
        end = context.offset(_location(context.locations.ranges[statement.trailing_whitespace], end=True))
        drops_comments = drops_comments or layout_edits(context.text[start:end], "").drops_comments
        edits.append(Edit(location_at(start, context.starts), location_at(end, context.starts), ""))
    for name in node_fix.imports:
        if name not in import_edits:
            import_edits[name] = _import_edit(name, context.module, context.locations.ranges)
        edits.append(import_edits[name])
    message, applicability = one_line_message(node_fix.message), node_fix.applicability
    if drops_comments and applicability is Applicability.SAFE:
        applicability = Applicability.UNSAFE
    needed = newest(needs)
    if needed is not None and context.target is not None and needed > context.target:
        message += f" (needs Python {format_version(needed)}+; the target is {format_version(context.target)})"
        applicability = Applicability.SUGGESTION
    return Fix(message, applicability, tuple(sorted(edits, key=lambda e: (e.start, e.end))))


def _keeping_parentheses(old: cst.CSTNode, new: cst.CSTNode) -> cst.CSTNode:
    """`new`, inside `old`'s own parentheses (and the line breaks within them) when `old` had
    some that `new` neither has nor contains: a parenthesised expression stays parenthesised."""
    if (
        not isinstance(old, cst.BaseExpression)
        or not isinstance(new, cst.BaseExpression)
        or not old.lpar
        or new.lpar
        or _contains(new, old.lpar[0])
    ):
        return new
    return new.with_changes(lpar=old.lpar, rpar=old.rpar)


def _contains(tree: cst.CSTNode, target: cst.CSTNode) -> bool:
    pending = [tree]
    while pending:
        node = pending.pop()
        if node is target:
            return True
        pending.extend(node.children)
    return False


def _import_edit(name: str, module: cst.Module, positions: dict[cst.CSTNode, CodeRange]) -> Edit:
    """Insert `import name` among the module's leading imports, in alphabetical place (after
    the docstring and `from __future__` imports)."""
    newline = module.default_newline
    body = list(module.body)
    index = 0
    if body and _is_docstring(body[0]):
        index = 1
    while index < len(body) and _imported_module(body[index]) == "__future__":
        index += 1
    if index == len(body):
        if index == 0:
            return Edit(Location(1, 1), Location(1, 1), f"import {name}{newline}")
        end = _location(positions[body[index - 1]], end=True)
        return Edit(end, end, f"{newline}import {name}")
    insert_before = body[index]
    first = index
    while index < len(body):
        imported = _imported_module(body[index])
        if imported is None:
            if index > first:  # after the last import, not before the code (and its blank lines)
                end = _location(positions[body[index - 1]], end=True)
                return Edit(end, end, f"{newline}import {name}")
            break
        insert_before = body[index]
        if imported > name:
            break
        index += 1
        if index < len(body):
            insert_before = body[index]
        else:
            end = _location(positions[body[index - 1]], end=True)
            return Edit(end, end, f"{newline}import {name}")
    start = _location(positions[insert_before])
    start = Location(start.row, 1)
    return Edit(start, start, f"import {name}{newline}")


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _imported_module(statement: cst.CSTNode) -> str | None:
    """The module a top-level `import m` / `from m import x` line imports, else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Import):
        return cst.Module([]).code_for_node(small.names[0].name)
    if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
        return cst.Module([]).code_for_node(small.module)
    return None


def compiles(text: str, filename: str) -> bool:
    """Whether CPython compiles the text to bytecode: stricter than parsing (`await` outside
    `async def`, `return` outside a function, `nonlocal` errors...)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, filename, "exec", dont_inherit=True)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - SyntaxError, ValueError, RecursionError, MemoryError
        return False
    return True
