"""A real LSP client (pygls') talking to `python -m async_lint server` over stdio, for the tests
and the latency benchmark."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from tests.helpers import REPO, environment

TIMEOUT = 60.0


class LspSession:
    """Open documents, wait for the diagnostics of a given version, ask for code actions."""

    def __init__(self) -> None:
        self.client = LanguageClient("async-lint-tests", "1")
        self.published: dict[str, lsp.PublishDiagnosticsParams] = {}
        self.arrived = asyncio.Event()
        self.versions: dict[str, int] = {}

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
            self.published[params.uri] = params
            self.arrived.set()

        @self.client.feature(lsp.WINDOW_SHOW_MESSAGE)
        def on_message(params: lsp.ShowMessageParams) -> None:
            print(f"server says: {params.message}", file=sys.stderr)

    async def start(self, root: Path) -> lsp.InitializeResult:
        await self.client.start_io(sys.executable, "-m", "async_lint", "server", cwd=str(REPO), env=environment())
        result = await asyncio.wait_for(
            self.client.initialize_async(
                lsp.InitializeParams(
                    capabilities=lsp.ClientCapabilities(),
                    root_uri=root.as_uri(),
                    workspace_folders=[lsp.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
                )
            ),
            TIMEOUT,
        )
        self.client.initialized(lsp.InitializedParams())
        return result

    async def stop(self) -> None:
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await self.client.stop()

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
        )
        return uri

    def change(self, uri: str, text: str) -> int:
        """Replace the whole text (a full-document change); returns the new version."""
        self.versions[uri] += 1
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[uri]

    def edit(self, uri: str, range_: lsp.Range, text: str) -> int:
        """An incremental change, as editors send while typing; returns the new version."""
        self.versions[uri] += 1
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[lsp.TextDocumentContentChangePartial(range=range_, text=text)],
            )
        )
        return self.versions[uri]

    async def diagnostics(self, uri: str) -> list[lsp.Diagnostic]:
        """The diagnostics published for the document's current version."""
        version = self.versions[uri]

        async def arrived() -> list[lsp.Diagnostic]:
            while True:
                published = self.published.get(uri)
                if published is not None and published.version == version:
                    return list(published.diagnostics)
                self.arrived.clear()
                await self.arrived.wait()

        return await asyncio.wait_for(arrived(), TIMEOUT)

    async def code_actions(self, uri: str, range_: lsp.Range, diagnostics: list[lsp.Diagnostic]) -> list[lsp.CodeAction]:
        result = await asyncio.wait_for(
            self.client.text_document_code_action_async(
                lsp.CodeActionParams(
                    text_document=lsp.TextDocumentIdentifier(uri=uri),
                    range=range_,
                    context=lsp.CodeActionContext(diagnostics=diagnostics),
                )
            ),
            TIMEOUT,
        )
        return [action for action in result or [] if isinstance(action, lsp.CodeAction)]

    async def hover(self, uri: str, position: lsp.Position) -> lsp.Hover | None:
        return await asyncio.wait_for(
            self.client.text_document_hover_async(
                lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)
            ),
            TIMEOUT,
        )


def apply_text_edits(text: str, edits: list[lsp.TextEdit]) -> str:
    """Apply LSP edits (ASCII text, so UTF-16 columns are character columns), last first."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: lsp.Position) -> int:
        return starts[min(position.line, len(lines))] + position.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text
