"""`async-lint server`: the same checker as a Language Server over stdio (pygls).

Diagnostics on open, change and save; a quick fix per finding that has one (safe fixes preferred,
unsafe and suggested ones labelled), `# noqa: ASLxxx` for the line, a fix-all source action; hover
on a finding shows the rule's summary, why it matters and its page. Each document is checked with
the configuration of the nearest pyproject.toml, exactly as `async-lint check` would check it.

Checks run on the deep-stack thread (`async_lint.deep_stack`), never on the thread that reads and
answers requests: a check is queued with a snapshot of the document's text and version, a queued
check whose document has moved on by the time its turn comes is skipped, and a result for a
version that is no longer current is not published. Documents larger than `max-file-size` get
one ASL002 notice instead of a check. Closing a document drops everything held for it and
hands the freed memory back to the operating system.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from async_lint import __version__
from async_lint.analysis.module_model import ModuleModel, model_of_source
from async_lint.config import Config, ConfigError, ConfigResolver, find_config
from async_lint.diagnostics import Applicability, Diagnostic, Edit, Location
from async_lint.deep_stack import submit_deep
from async_lint.engine.checker import check_text, infrastructure_diagnostic
from async_lint.engine.collection import collected_after
from async_lint.engine.discovery import discover, module_name_for
from async_lint.engine.incremental import ParsedText, parse_text, reparse
from async_lint.analysis.project import project_layout
from async_lint.engine.libcst_fields import install_field_order
from async_lint.engine.project_index import ProjectIndex, user_cache_dir
from async_lint.engine.run_settings import FixMode, RunSettings, enabled_for_file
from async_lint.engine.runner import check_source
from async_lint.engine.source_files import SourceText, UnreadableSource, check_size
from async_lint.text_positions import split_lines
from async_lint.noqa import NoqaComments, with_noqa
from async_lint.rule_catalog import UNREADABLE_FILE
from async_lint.rules import build_rule_set
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
    max_file_size: int


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


class _RepliesToEveryRequest(LanguageServerProtocol):
    """pygls drops a request whose params do not fit the method's type (it logs the error and
    never answers, and the client waits forever): answer it with the JSON-RPC error instead."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if "id" not in data or "method" not in data:
                raise
            cause = error.__cause__
            detail = f": {cause}" if cause is not None else ""
            self._send_response(data["id"], error=lsp.ResponseError(code=error.code, message=f"{error.message}{detail}"))
            return _ANSWERED

    def handle_message(self, message: Any) -> None:
        if message is not _ANSWERED:
            super().handle_message(message)


_ANSWERED = object()
"""What a request that has been answered with an error becomes: nothing more to do."""


def _release_memory() -> None:
    """Collect what a closed document left, and give the freed pages back to the system (glibc
    keeps them for the process otherwise: 1.26 GB stayed held after a large document closed)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):
            pass


@dataclass(frozen=True)
class Snapshot:
    """A document as the check sees it: taken on the request thread, checked on the deep one."""

    uri: str
    path: Path | None
    version: int | None
    text: str


class AsyncLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            SOURCE, __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental, protocol_cls=_RepliesToEveryRequest
        )
        self.projects: dict[Path, Project] = {}
        """By the directory of the documents they apply to (used on the deep thread only)."""
        self.checked: dict[str, CheckedDocument] = {}
        """The last check of each open document (used on the request thread only)."""
        self.wanted: dict[str, int | None] = {}
        """The newest version of each open document: a queued check of an older one is skipped."""
        self.stale_dependents: set[str] = set()
        self.event_loop: asyncio.AbstractEventLoop | None = None
        """The request thread's loop, for what the deep thread sends (a message to show)."""

    # --- on the deep thread ---

    def project_for(self, directory: Path) -> Project:
        if directory not in self.projects:
            try:
                config = find_config(directory)
                enabled = enabled_codes(config.select, config.extend_select, config.ignore)
            except ConfigError as error:
                self._show_message(lsp.MessageType.Error, f"async-lint: {error}; using the defaults")
                config = Config(root=directory)
                enabled = enabled_codes(config.select, config.extend_select, config.ignore)
            workspace_root = self._workspace_root(directory)
            if config.config_file is None and workspace_root is not None:
                config = replace(config, root=workspace_root)
            settings = RunSettings(
                enabled, config.rule_options, config.root, config.per_file_ignores, max_file_size=config.max_file_size, rules=build_rule_set
            )
            layout = project_layout(config.root, config.src, [config.root])
            install_field_order(user_cache_dir())
            index = ProjectIndex.for_run(layout, config.root / config.cache_dir)
            self.projects[directory] = Project(config, settings, index)
        return self.projects[directory]

    def _workspace_root(self, directory: Path) -> Path | None:
        """The innermost workspace folder holding `directory`: without a configuration it roots
        the project, as the working directory does for `async-lint check` (an editor need not
        start the server there)."""
        uris = [folder.uri for folder in self.workspace.folders.values()]
        if self.workspace.root_uri:
            uris.append(self.workspace.root_uri)
        paths = (to_fs_path(uri) for uri in uris)
        roots = [Path(path).resolve() for path in paths if path]
        holding = [root for root in roots if directory.resolve().is_relative_to(root)]
        return max(holding, key=lambda root: len(root.parts)) if holding else None

    def _show_message(self, kind: lsp.MessageType, message: str) -> None:
        params = lsp.ShowMessageParams(type=kind, message=message)
        if self.event_loop is not None:
            self.event_loop.call_soon_threadsafe(self.window_show_message, params)

    def check_snapshot(self, snapshot: Snapshot, previous: CheckedDocument | None) -> tuple[CheckedDocument, bool] | None:
        """The document's findings, and whether its summary changed (so the other open documents
        need checking again); None when a newer version is waiting (this one is stale)."""
        if self.wanted.get(snapshot.uri, snapshot.version) != snapshot.version:
            return None
        with collected_after():
            return self._check(snapshot, previous)

    def _check(self, snapshot: Snapshot, previous: CheckedDocument | None) -> tuple[CheckedDocument, bool]:
        text = snapshot.text
        target = self.target(snapshot.uri, snapshot.path)
        if target is None:
            return CheckedDocument(snapshot.version, text, [], None), False
        try:
            check_size(len(text.encode("utf-8", "surrogateescape")), target.max_file_size)
        except UnreadableSource as error:
            notice = infrastructure_diagnostic(UNREADABLE_FILE, target.filename, str(error))
            return CheckedDocument(snapshot.version, text, [notice], None), False
        rule_set = target.settings.rules(target.settings.enabled, target.settings.options).only(target.codes)
        last_parsed = previous.parsed if previous is not None else None
        parsed = None
        if rule_set.handlers and any(trigger in text for trigger in rule_set.triggers):
            parsed = _parse(text, last_parsed)
        module = parsed.module if parsed is not None else None
        target.index.forget_changed_files()
        summary_before = target.index.models.get(target.path) if target.path is not None else None
        # What the other documents' checks see of this one; while the text does not parse
        # (the user is typing) they keep seeing its last summary that did.
        summary: ModuleModel | None = model_of_source(text)
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
        changed = target.path is not None and summary is not None and summary != summary_before
        return CheckedDocument(snapshot.version, text, diagnostics, parsed or last_parsed), changed

    def target(self, uri: str, file: Path | None) -> Target | None:
        """How `async-lint check` would check this document's file; None when it is excluded."""
        project = self.project_for(file.parent if file else Path.cwd())
        if file is None:
            return Target(uri, project.settings, project.settings.enabled, None, False, None, project.index, project.config.max_file_size)
        if _excluded(file, project.config):
            return None
        module_name, is_package = module_name_for(file)
        codes = enabled_for_file(file, project.settings)
        return Target(
            str(file), project.settings, codes, module_name, is_package, file.absolute(), project.index, project.config.max_file_size
        )

    # --- on the request thread ---

    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents

    def snapshot(self, uri: str) -> Snapshot | None:
        """The open document's text and version; None for a document that is not open."""
        if not self.is_open(uri):
            return None
        document = self.workspace.get_text_document(uri)
        if document is None:
            return None
        path = document.path
        return Snapshot(uri, Path(path) if path else None, document.version, document.source)

    async def check(self, uri: str) -> CheckedDocument | None:
        """The open document's findings, checked now unless its current version already was;
        None when it is not open, or changed (or closed) while it was being checked."""
        snapshot = self.snapshot(uri)
        if snapshot is None:
            return None
        previous = self.checked.get(uri)
        if previous is not None and previous.version == snapshot.version and previous.text == snapshot.text:
            return previous
        self.event_loop = asyncio.get_running_loop()
        self.wanted[uri] = snapshot.version
        outcome = await asyncio.wrap_future(submit_deep(self.check_snapshot, snapshot, previous))  # noqa: ASL305 - waits only to start the deep thread, once
        if outcome is None or not self.is_open(uri):
            return None
        checked, summary_changed = outcome
        if self.wanted.get(uri) != checked.version:
            return None
        self.checked[uri] = checked
        if summary_changed:
            self.stale_dependents.update(other for other in self.checked if other != uri)
        return checked

    async def publish_stale_dependents(self) -> None:
        """Check again the open documents checked before another one's summary changed (its
        functions, classes, imports: what the cross-module rules read)."""
        while self.stale_dependents:
            uri = self.stale_dependents.pop()
            if self.checked.pop(uri, None) is not None:
                await self.publish(uri)

    async def publish(self, uri: str) -> None:
        checked = await self.check(uri)
        if checked is None:
            return
        lines = split_lines(checked.text)
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[self.to_lsp(d, lines) for d in checked.diagnostics], version=checked.version)
        )

    def forget(self, uri: str) -> None:
        """A closed document: nothing of it is kept (its memory goes back to the system)."""
        self.checked.pop(uri, None)
        self.wanted.pop(uri, None)
        self.stale_dependents.discard(uri)
        submit_deep(_release_memory)

    # --- positions: ours are 1-based rows and columns in code points ---

    def _units(self, text: str) -> int:
        encoding = self.workspace.position_encoding
        if encoding == lsp.PositionEncodingKind.Utf8:
            return len(text.encode("utf-8"))
        if encoding == lsp.PositionEncodingKind.Utf32 or text.isascii():
            return len(text)
        return len(text.encode("utf-16-le")) // 2

    def to_position(self, location: Location, lines: list[str]) -> lsp.Position:
        if location.row > len(lines):
            return lsp.Position(line=len(lines) - 1, character=self._units(lines[-1]))
        return lsp.Position(line=location.row - 1, character=self._units(lines[location.row - 1][: location.column - 1]))

    def to_location(self, position: lsp.Position, lines: list[str]) -> Location:
        """The code point at `position.character` units into the line (one pass over the line:
        a code action at column 300,000 took 14 s when each step re-measured the prefix)."""
        line = lines[position.line] if position.line < len(lines) else ""
        encoding = self.workspace.position_encoding
        if encoding == lsp.PositionEncodingKind.Utf32 or line.isascii():
            return Location(position.line + 1, min(position.character, len(line)) + 1)
        utf8 = encoding == lsp.PositionEncodingKind.Utf8
        units = column = 0
        for char in line:
            width = len(char.encode("utf-8")) if utf8 else (2 if ord(char) > 0xFFFF else 1)
            if units + width > position.character:
                break
            units += width
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
async def did_open(ls: AsyncLintServer, params: lsp.DidOpenTextDocumentParams) -> None:
    await ls.publish(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: AsyncLintServer, params: lsp.DidChangeTextDocumentParams) -> None:
    # pygls applies each change as it reads it. Changes that arrived while a check ran are still
    # in the pipe: give the reader a moment, then check only if this is still the newest text.
    uri = params.text_document.uri
    ls.wanted[uri] = params.text_document.version  # a queued check of an older text is now stale
    await asyncio.sleep(COALESCE_SECONDS)
    if ls.is_open(uri) and ls.workspace.get_text_document(uri).version == params.text_document.version:
        await ls.publish(uri)
        await ls.publish_stale_dependents()


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: AsyncLintServer, params: lsp.DidSaveTextDocumentParams) -> None:
    if params.text_document.uri.endswith("/pyproject.toml"):
        await _reload_configuration(ls)
    elif params.text_document.uri in ls.checked:
        await ls.publish(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: AsyncLintServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.forget(params.text_document.uri)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def did_change_watched_files(ls: AsyncLintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    if any(change.uri.endswith("/pyproject.toml") for change in params.changes):
        await _reload_configuration(ls)


async def _reload_configuration(ls: AsyncLintServer) -> None:
    await asyncio.wrap_future(submit_deep(ls.projects.clear))  # noqa: ASL305 - waits only to start the deep thread, once
    for uri in list(ls.checked):
        ls.checked.pop(uri)
        await ls.publish(uri)


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL]),
)
async def code_action(ls: AsyncLintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    checked = await ls.check(uri)
    if checked is None:
        return []
    lines = split_lines(checked.text)
    only = params.context.only
    actions: list[lsp.CodeAction] = []
    if not only or any(lsp.CodeActionKind.QuickFix.value.startswith(kind) for kind in only):
        start, end = ls.to_location(params.range.start, lines), ls.to_location(params.range.end, lines)
        for diagnostic in checked.diagnostics:
            if diagnostic.start <= end and start <= diagnostic.end:
                actions += _quick_fixes(ls, uri, diagnostic, checked.text, lines)
    if not only or any(FIX_ALL.startswith(kind) for kind in only):
        actions += await _fix_all(ls, uri, checked, lines)
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


async def _fix_all(ls: AsyncLintServer, uri: str, checked: CheckedDocument, lines: list[str]) -> list[lsp.CodeAction]:
    if not any(d.fix is not None and d.fix.applicability is Applicability.SAFE and d.fix.edits for d in checked.diagnostics):
        return []
    snapshot = ls.snapshot(uri)
    if snapshot is None:
        return []
    fixed_text = await asyncio.wrap_future(submit_deep(_fixed_text, ls, snapshot, checked.text))  # noqa: ASL305 - waits only to start the deep thread, once
    if fixed_text is None:
        return []
    end = Location(len(lines), len(lines[-1]) + 1)
    edit = Edit(Location(1, 1), end, fixed_text)
    return [
        lsp.CodeAction(
            title=f"{SOURCE}: apply every safe fix",
            kind=FIX_ALL,
            edit=lsp.WorkspaceEdit(changes={uri: ls.text_edits((edit,), lines)}),
        )
    ]


def _fixed_text(ls: AsyncLintServer, snapshot: Snapshot, text: str) -> str | None:
    """On the deep thread: `text` with every safe fix applied; None when nothing changes."""
    target = ls.target(snapshot.uri, snapshot.path)
    if target is None:
        return None
    settings = replace(target.settings, fix_mode=FixMode.DIFF)
    result = check_source(
        SourceText(text, "utf-8"), target.filename, settings, target.module_name, target.is_package, target.codes, target.index, target.path
    )
    return result.fixed_text if result.changed else None


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
async def hover(ls: AsyncLintServer, params: lsp.HoverParams) -> lsp.Hover | None:
    checked = await ls.check(params.text_document.uri)
    if checked is None:
        return None
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
    return path.exists() and not discover([path], ConfigResolver(config), force_exclude=True).files


def serve() -> None:
    server.start_io()
