"""`async-lint server`: the same checker as a Language Server over stdio (pygls).

Diagnostics on open, change and save; a quick fix per finding that has one (safe fixes preferred,
unsafe and suggested ones labelled), `# noqa: ASLxxx` for the line, a fix-all source action; hover
on a finding shows the rule's summary, why it matters and its page. Each document is checked with
the configuration of the nearest pyproject.toml, exactly as `async-lint check` would check it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from async_lint import __version__
from async_lint.analysis.module_summary import ModuleSummary, summarise_source
from async_lint.config import Config, ConfigError, find_config
from async_lint.diagnostics import Applicability, Diagnostic, Edit, Location
from async_lint.engine.checker import build_rule_set, check_text
from async_lint.engine.collection import collected_after
from async_lint.engine.discovery import discover, module_name_for
from async_lint.engine.incremental import ParsedText, parse_text, reparse
from async_lint.engine.project_index import ProjectIndex, project_layout
from async_lint.engine.run_settings import FixMode, RunSettings, enabled_for_file
from async_lint.engine.runner import check_source
from async_lint.engine.source_files import SourceText
from async_lint.engine.text_positions import split_lines
from async_lint.noqa import NoqaComments, with_noqa
from async_lint.rules import all_rules
from async_lint.selection import enabled_codes

SOURCE = "async-lint"
COALESCE_SECONDS = 0.01
FIX_ALL = f"{lsp.CodeActionKind.SourceFixAll.value}.{SOURCE}"
_FIX_TITLES = {
    Applicability.SAFE: "{code}: {message}",
    Applicability.UNSAFE: "{code}: {message} (unsafe fix: review the change)",
    Applicability.SUGGESTION: "{code}: {message} (suggestion: review the change)",
}


@dataclass(frozen=True)
class Project:
    """What the server keeps per configuration root, built once and reused on every keystroke.

    `index` is the project index the cross-module rules (ASL100/101, ASL202/305) resolve names
    in: filled as checks reach modules, kept for the server's life, and following the editor:
    each check replaces the checked module's summary with one made from the editor's text (so
    the other documents see its unsaved edits), and a module changed on disk is read again."""

    config: Config
    settings: RunSettings
    index: ProjectIndex


@dataclass(frozen=True)
class Target:
    filename: str
    settings: RunSettings
    codes: frozenset[str]
    module_name: str | None
    is_package: bool
    path: Path | None
    index: ProjectIndex


@dataclass(frozen=True)
class CheckedDocument:
    version: int | None
    text: str
    diagnostics: list[Diagnostic]
    parsed: ParsedText | None
    """The last text of this document that parsed (this one, unless it has a syntax error), and
    its module: the next edit re-parses only what changed since."""


def _parse(text: str, previous: ParsedText | None) -> ParsedText | None:
    """None when the text does not parse (the check then reports the syntax error)."""
    try:
        return reparse(previous, text) if previous is not None else parse_text(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - the native parser's panics are BaseExceptions
        return None


class AsyncLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SOURCE, __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.projects: dict[Path, Project] = {}
        """By the directory of the documents they apply to."""
        self.checked: dict[str, CheckedDocument] = {}
        self.stale_dependents: set[str] = set()

    def project_for(self, directory: Path) -> Project:
        if directory not in self.projects:
            try:
                config = find_config(directory)
                enabled = enabled_codes(config.select, config.extend_select, config.ignore)
            except ConfigError as error:
                self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"async-lint: {error}; using the defaults"))
                config = Config(root=directory)
                enabled = enabled_codes(config.select, config.extend_select, config.ignore)
            settings = RunSettings(enabled, config.rule_options, config.root, config.per_file_ignores)
            layout = project_layout(config.root, config.src, [config.root])
            index = ProjectIndex(layout.roots, layout.boundaries, config.root / config.cache_dir)
            self.projects[directory] = Project(config, settings, index)
        return self.projects[directory]

    def check(self, uri: str) -> CheckedDocument:
        """The document's findings, checked now unless its current version already was."""
        with collected_after():
            return self._check(uri)

    def _check(self, uri: str) -> CheckedDocument:
        document = self.workspace.get_text_document(uri)
        previous = self.checked.get(uri)
        if previous is not None and previous.version == document.version and previous.text == document.source:
            return previous
        text = document.source
        target = self.target(uri)
        if target is None:
            checked = CheckedDocument(document.version, text, [], None)
        else:
            rule_set = build_rule_set(target.codes, target.settings.options)
            last_parsed = previous.parsed if previous is not None else None
            parsed = None
            if rule_set.handlers and any(trigger in text for trigger in rule_set.triggers):
                parsed = _parse(text, last_parsed)
            module = parsed.module if parsed is not None else None
            target.index.forget_changed_files()
            summary_before = target.index.summaries.get(target.path) if target.path is not None else None
            # What the other documents' checks see of this one; while the text does not parse
            # (the user is typing) they keep seeing its last summary that did.
            summary: ModuleSummary | None = summarise_source(text)
            if not summary.checkable:  # type: ignore[union-attr]
                summary = None
            diagnostics = check_text(
                text,
                target.filename,
                rule_set,
                module_name=target.module_name,
                is_package=target.is_package,
                module=module,
                project=target.index,
                path=target.path,
                summary=summary,
            )
            checked = CheckedDocument(document.version, text, diagnostics, parsed or last_parsed)
            if target.path is not None and summary is not None and summary != summary_before:
                self.stale_dependents.update(other for other in self.checked if other != uri)
        self.checked[uri] = checked
        return checked

    def publish_stale_dependents(self) -> None:
        """Check again the open documents checked before another one's summary changed (its
        functions, classes, imports: what the cross-module rules read)."""
        while self.stale_dependents:
            uri = self.stale_dependents.pop()
            if self.checked.pop(uri, None) is not None:
                self.publish(uri)

    def target(self, uri: str) -> Target | None:
        """How `async-lint check` would check this document's file; None when it is excluded."""
        path = self.workspace.get_text_document(uri).path
        file = Path(path) if path else None
        project = self.project_for(file.parent if file else Path.cwd())
        if file is None:
            return Target(uri, project.settings, project.settings.enabled, None, False, None, project.index)
        if _excluded(file, project.config):
            return None
        module_name, is_package = module_name_for(file)
        codes = enabled_for_file(file, project.settings)
        return Target(str(file), project.settings, codes, module_name, is_package, file.absolute(), project.index)

    def publish(self, uri: str) -> None:
        checked = self.check(uri)
        lines = split_lines(checked.text)
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[self.to_lsp(d, lines) for d in checked.diagnostics], version=checked.version)
        )

    # --- positions: ours are 1-based rows and columns in code points ---

    def _units(self, text: str) -> int:
        encoding = self.workspace.position_encoding
        if encoding == lsp.PositionEncodingKind.Utf8:
            return len(text.encode("utf-8"))
        if encoding == lsp.PositionEncodingKind.Utf32:
            return len(text)
        return len(text.encode("utf-16-le")) // 2

    def to_position(self, location: Location, lines: list[str]) -> lsp.Position:
        if location.row > len(lines):
            return lsp.Position(line=len(lines) - 1, character=self._units(lines[-1]))
        return lsp.Position(line=location.row - 1, character=self._units(lines[location.row - 1][: location.column - 1]))

    def to_location(self, position: lsp.Position, lines: list[str]) -> Location:
        line = lines[position.line] if position.line < len(lines) else ""
        column = 0
        while column < len(line) and self._units(line[: column + 1]) <= position.character:
            column += 1
        return Location(position.line + 1, column + 1)

    def to_range(self, start: Location, end: Location, lines: list[str]) -> lsp.Range:
        return lsp.Range(start=self.to_position(start, lines), end=self.to_position(end, lines))

    def to_lsp(self, diagnostic: Diagnostic, lines: list[str]) -> lsp.Diagnostic:
        rule = all_rules()[diagnostic.code]
        return lsp.Diagnostic(
            range=self.to_range(diagnostic.start, diagnostic.end, lines),
            message=diagnostic.message,
            severity=lsp.DiagnosticSeverity.Error if rule.infrastructure else lsp.DiagnosticSeverity.Warning,
            code=diagnostic.code,
            code_description=lsp.CodeDescription(href=rule.url()),
            source=SOURCE,
        )

    def text_edits(self, edits: tuple[Edit, ...], lines: list[str]) -> list[lsp.TextEdit]:
        return [lsp.TextEdit(range=self.to_range(edit.start, edit.end, lines), new_text=edit.content) for edit in edits]


server = AsyncLintServer()


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: AsyncLintServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: AsyncLintServer, params: lsp.DidChangeTextDocumentParams) -> None:
    # pygls applies each change as it reads it. Changes that arrived while a check ran are still
    # in the pipe: give the reader a moment, then check only if this is still the newest text.
    await asyncio.sleep(COALESCE_SECONDS)
    if ls.workspace.get_text_document(params.text_document.uri).version == params.text_document.version:
        ls.publish(params.text_document.uri)
        ls.publish_stale_dependents()


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: AsyncLintServer, params: lsp.DidSaveTextDocumentParams) -> None:
    if params.text_document.uri.endswith("/pyproject.toml"):
        _reload_configuration(ls)
    elif params.text_document.uri in ls.checked:
        ls.publish(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: AsyncLintServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.checked.pop(params.text_document.uri, None)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: AsyncLintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    if any(change.uri.endswith("/pyproject.toml") for change in params.changes):
        _reload_configuration(ls)


def _reload_configuration(ls: AsyncLintServer) -> None:
    ls.projects.clear()
    for uri in list(ls.checked):
        ls.checked.pop(uri)
        ls.publish(uri)


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL]),
)
def code_action(ls: AsyncLintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    checked = ls.check(uri)
    lines = split_lines(checked.text)
    only = params.context.only
    actions: list[lsp.CodeAction] = []
    if not only or any(lsp.CodeActionKind.QuickFix.value.startswith(kind) for kind in only):
        start, end = ls.to_location(params.range.start, lines), ls.to_location(params.range.end, lines)
        for diagnostic in checked.diagnostics:
            if diagnostic.start <= end and start <= diagnostic.end:
                actions += _quick_fixes(ls, uri, diagnostic, checked.text, lines)
    if not only or any(FIX_ALL.startswith(kind) for kind in only):
        actions += _fix_all(ls, uri, checked, lines)
    return actions


def _quick_fixes(ls: AsyncLintServer, uri: str, diagnostic: Diagnostic, text: str, lines: list[str]) -> list[lsp.CodeAction]:
    fixes = []
    related = [ls.to_lsp(diagnostic, lines)]
    fix = diagnostic.fix
    if fix is not None and fix.edits:
        fixes.append(
            lsp.CodeAction(
                title=_FIX_TITLES[fix.applicability].format(code=diagnostic.code, message=fix.message),
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=related,
                is_preferred=fix.applicability is Applicability.SAFE,
                edit=lsp.WorkspaceEdit(changes={uri: ls.text_edits(fix.edits, lines)}),
            )
        )
    row = diagnostic.noqa_row or diagnostic.start.row
    if row <= len(lines) and not all_rules()[diagnostic.code].infrastructure:
        line = lines[row - 1]
        edit = Edit(Location(row, 1), Location(row, len(line) + 1), with_noqa(line, [diagnostic.code], NoqaComments(text).comment(row)))
        fixes.append(
            lsp.CodeAction(
                title=f"{diagnostic.code}: silence on this line (# noqa: {diagnostic.code})",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=related,
                edit=lsp.WorkspaceEdit(changes={uri: ls.text_edits((edit,), lines)}),
            )
        )
    return fixes


def _fix_all(ls: AsyncLintServer, uri: str, checked: CheckedDocument, lines: list[str]) -> list[lsp.CodeAction]:
    if not any(d.fix is not None and d.fix.applicability is Applicability.SAFE and d.fix.edits for d in checked.diagnostics):
        return []
    target = ls.target(uri)
    if target is None:
        return []
    settings = replace(target.settings, fix_mode=FixMode.DIFF)
    source = SourceText(checked.text, "utf-8")
    result = check_source(
        source, target.filename, settings, target.module_name, target.is_package, target.codes, target.index, target.path
    )
    if not result.changed or result.fixed_text is None:
        return []
    end = Location(len(lines), len(lines[-1]) + 1)
    edit = Edit(Location(1, 1), end, result.fixed_text)
    return [
        lsp.CodeAction(
            title=f"{SOURCE}: apply every safe fix",
            kind=FIX_ALL,
            edit=lsp.WorkspaceEdit(changes={uri: ls.text_edits((edit,), lines)}),
        )
    ]


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: AsyncLintServer, params: lsp.HoverParams) -> lsp.Hover | None:
    checked = ls.check(params.text_document.uri)
    lines = split_lines(checked.text)
    here = ls.to_location(params.position, lines)
    found = [d for d in checked.diagnostics if d.start <= here <= d.end]
    if not found:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(_hover_text(d) for d in found)))


def _hover_text(diagnostic: Diagnostic) -> str:
    rule = all_rules()[diagnostic.code]
    parts = [f"**{rule.code}** `{rule.name}`: {rule.summary}", diagnostic.message, f"*Why is this bad?* {rule.why}"]
    if diagnostic.fix is not None:
        parts.append(f"*Fix ({diagnostic.fix.applicability.value}):* {diagnostic.fix.message}")
    parts.append(f"[{rule.code} documentation]({rule.url()})")
    return "\n\n".join(parts)


def _excluded(path: Path, config: Config) -> bool:
    """Whether the configuration excludes this file (as `check --force-exclude` would)."""
    return path.exists() and not discover([path], config, force_exclude=True).files


def serve() -> None:
    server.start_io()
