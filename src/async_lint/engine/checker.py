"""One file's check: parse once, walk once with every enabled rule, and turn the rules' reports
into diagnostics (positions, `# noqa`, text edits for fixes)."""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
from libcst.metadata import CodeRange

from async_lint.analysis.module_model import ModuleModel, parse_python
from async_lint.analysis.project_view import ProjectView
from async_lint.analysis.reports import NodeFix, Report
from async_lint.analysis.walker import Handler, ModuleWalker, RuleFailure
from async_lint.config import RuleOptions
from async_lint.deep_stack import run_deep
from async_lint.diagnostics import Diagnostic, Edit, Fix, Location, Related
from async_lint.engine.positions import node_positions
from async_lint.engine.project_index import ProjectIndex
from async_lint.text_positions import split_lines
from async_lint.noqa import is_suppressed
from async_lint.rule_catalog import INTERNAL_ERROR, SYNTAX_ERROR
from async_lint.rules import all_rules


@dataclass(frozen=True, eq=False)
class RuleSet:
    """The enabled rules, instantiated once, and their handlers by node type."""

    codes: frozenset[str]
    options: RuleOptions
    handlers: dict[type[cst.CSTNode], list[tuple[str, Handler]]]
    triggers: tuple[str, ...]
    project_triggers: bool = False
    """Some rule also fires in files that import what may lead to a project coroutine (see
    `Rule.triggers_on_project_imports`)."""

    def without(self, code: str) -> RuleSet:
        return build_rule_set(self.codes - {code}, self.options)


@functools.lru_cache(maxsize=64)
def build_rule_set(codes: frozenset[str], options: RuleOptions) -> RuleSet:
    handlers: dict[type[cst.CSTNode], list[tuple[str, Handler]]] = {}
    triggers: set[str] = set()
    project_triggers = False
    for code, rule_class in all_rules().items():
        if code not in codes or rule_class.infrastructure:
            continue
        rule = rule_class(options)
        for node_type, handler in rule.handlers().items():
            handlers.setdefault(node_type, []).append((code, handler))  # type: ignore[arg-type]
        triggers.update(rule_class.triggers)
        project_triggers = project_triggers or rule_class.triggers_on_project_imports
    return RuleSet(codes, options, handlers, tuple(sorted(triggers)), project_triggers)


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
    index = project if project is not None else ProjectIndex(lazy=False)
    view = ProjectView(index.project, Path(os.path.abspath(path or filename)), text, summary)
    if not (
        any(trigger in text for trigger in rule_set.triggers)
        or (rule_set.project_triggers and view.imports_project_coroutine())
    ):
        return []
    return run_deep(_check_module, text, filename, rule_set, module_name, is_package, apply_noqa, module, view)


def _check_module(
    text: str,
    filename: str,
    rule_set: RuleSet,
    module_name: str | None,
    is_package: bool,
    apply_noqa: bool,
    module: cst.Module | None,
    view: ProjectView,
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
            rule_name = all_rules()[failure.code].name
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
    diagnostics = _to_diagnostics(walker, walker.reports, filename)
    if apply_noqa:
        lines = split_lines(text)
        diagnostics = [d for d in diagnostics if not _noqa_applies(d, lines)]
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


def _noqa_applies(diagnostic: Diagnostic, lines: list[str]) -> bool:
    for row in {diagnostic.start.row, diagnostic.end.row}:
        if 0 < row <= len(lines) and is_suppressed(diagnostic.code, lines[row - 1]):
            return True
    return False


def _location(position: CodeRange, end: bool = False) -> Location:
    point = position.end if end else position.start
    return Location(point.line, point.column + 1)


def _to_diagnostics(walker: ModuleWalker, reports: Iterable[Report], filename: str) -> list[Diagnostic]:
    module = walker.module
    reports = list(reports)
    # Only the nodes a diagnostic needs: the findings, their notes, what their fixes replace,
    # and the top-level statements (where an added import goes).
    wanted: list[cst.CSTNode] = [*module.body]
    for report in reports:
        wanted.append(report.node)
        wanted.extend(item.node for item in report.related if item.node is not None)
        if report.fix is not None:
            wanted.extend(old for old, _ in report.fix.replacements)
            wanted.extend(node for node, _ in report.fix.insertions)
            wanted.extend(node for statement in report.fix.deletions for node in (statement, statement.trailing_whitespace))
    positions = node_positions(module, wanted)
    import_edits: dict[str, Edit] = {}
    diagnostics = []
    for report in reports:
        position = positions[report.node]
        fix = None
        if report.fix is not None:
            fix = _to_fix(report.fix, module, positions, import_edits)
        related = tuple(
            Related(
                item.filename or filename,
                _location(positions[item.node]) if item.node is not None else Location(item.row or 1, item.column or 1),
                item.message,
            )
            for item in report.related
        )
        diagnostics.append(
            Diagnostic(report.code, report.message, filename, _location(position), _location(position, end=True), fix, related)
        )
    return diagnostics


def _to_fix(node_fix: NodeFix, module: cst.Module, positions: Mapping[cst.CSTNode, CodeRange], import_edits: dict[str, Edit]) -> Fix:
    edits: list[Edit] = []
    for old, new in node_fix.replacements:
        position = positions[old]
        content = new if isinstance(new, str) else module.code_for_node(new)
        edits.append(Edit(_location(position), _location(position, end=True), content))
    for node, text in node_fix.insertions:
        start = _location(positions[node])
        edits.append(Edit(start, start, text))
    for statement in node_fix.deletions:
        line = _location(positions[statement]).row
        edits.append(Edit(Location(line, 1), _location(positions[statement.trailing_whitespace], end=True), ""))
    for name in node_fix.imports:
        if name not in import_edits:
            import_edits[name] = _import_edit(name, module, positions)
        edits.append(import_edits[name])
    return Fix(node_fix.message, node_fix.applicability, tuple(sorted(edits, key=lambda e: (e.start, e.end))))


def _import_edit(name: str, module: cst.Module, positions: Mapping[cst.CSTNode, CodeRange]) -> Edit:
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
    while index < len(body):
        imported = _imported_module(body[index])
        if imported is None:
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
