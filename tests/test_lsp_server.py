"""`async-lint server` over a real stdio LSP exchange: open a document, receive its diagnostics,
request a code action, apply it, and see the diagnostic gone."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from lsprotocol import types as lsp

from tests.lsp_session import LspSession, apply_text_edits

SOURCE = """\
import asyncio
import time


async def fetch_data():
    time.sleep(2)
    return {"id": 1}


async def handler():
    return asyncio.run(fetch_data())
"""


def run_session(root: Path, body: Callable[[LspSession], Awaitable[None]]) -> None:
    async def main() -> None:
        session = LspSession()
        await session.start(root)
        try:
            await body(session)
        finally:
            await session.stop()

    asyncio.run(main())


def _by_code(diagnostics: list[lsp.Diagnostic]) -> dict[str, lsp.Diagnostic]:
    return {str(d.code): d for d in diagnostics}


def test_open_fix_and_noqa(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(SOURCE)

    async def body(session: LspSession) -> None:
        uri = session.open(path, SOURCE)
        found = _by_code(await session.diagnostics(uri))
        assert sorted(found) == ["ASL200", "ASL300"]
        sleep = found["ASL300"]
        assert sleep.range == lsp.Range(lsp.Position(5, 4), lsp.Position(5, 17))
        assert sleep.source == "async-lint" and sleep.severity == lsp.DiagnosticSeverity.Warning
        assert sleep.code_description is not None and sleep.code_description.href.endswith("/ASL300.md")

        actions = await session.code_actions(uri, sleep.range, [sleep])
        titles = [action.title for action in actions]
        assert titles[:2] == [
            "ASL300: Replace with `await asyncio.sleep(2)`",
            "ASL300: silence on this line (# noqa: ASL300)",
        ]
        fix = actions[0]
        assert fix.kind == lsp.CodeActionKind.QuickFix and fix.is_preferred
        assert fix.edit is not None and fix.edit.changes is not None
        text = apply_text_edits(SOURCE, fix.edit.changes[uri])
        assert "    await asyncio.sleep(2)\n" in text
        session.change(uri, text)
        assert sorted(_by_code(await session.diagnostics(uri))) == ["ASL200"]

        runner = _by_code(await session.diagnostics(uri))["ASL200"]
        noqa = next(a for a in await session.code_actions(uri, runner.range, [runner]) if "noqa" in a.title)
        assert noqa.edit is not None and noqa.edit.changes is not None
        text = apply_text_edits(text, noqa.edit.changes[uri])
        assert "    return asyncio.run(fetch_data())  # noqa: ASL200\n" in text
        session.change(uri, text)
        assert await session.diagnostics(uri) == []

    run_session(tmp_path, body)


def test_incremental_change_and_hover(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text("")

    async def body(session: LspSession) -> None:
        uri = session.open(path, "import time\n\n\nasync def f():\n    pass\n")
        assert await session.diagnostics(uri) == []
        session.edit(uri, lsp.Range(lsp.Position(4, 4), lsp.Position(4, 8)), "time.sleep(1)")
        [sleep] = await session.diagnostics(uri)
        assert sleep.code == "ASL300"

        hover = await session.hover(uri, lsp.Position(4, 9))
        assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
        assert hover.contents.kind == lsp.MarkupKind.Markdown
        assert "**ASL300** `blocking-sleep`" in hover.contents.value
        assert "blocks the whole thread" in hover.contents.value
        assert "/ASL300.md)" in hover.contents.value
        assert await session.hover(uri, lsp.Position(0, 0)) is None

        session.edit(uri, lsp.Range(lsp.Position(4, 17), lsp.Position(4, 17)), ", (")  # typing: not Python yet
        [syntax] = await session.diagnostics(uri)
        assert syntax.code == "ASL001" and syntax.severity == lsp.DiagnosticSeverity.Error
        session.edit(uri, lsp.Range(lsp.Position(4, 17), lsp.Position(4, 20)), "")
        assert [d.code for d in await session.diagnostics(uri)] == ["ASL300"]

    run_session(tmp_path, body)


def test_fix_all_source_action(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    text = "import asyncio\nimport time\n\n\nasync def f():\n    time.sleep(1)\n    time.sleep(2)\n"

    async def body(session: LspSession) -> None:
        uri = session.open(path, text)
        assert len(await session.diagnostics(uri)) == 2
        everything = lsp.Range(lsp.Position(0, 0), lsp.Position(7, 0))
        result = await session.client.text_document_code_action_async(
            lsp.CodeActionParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                range=everything,
                context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll]),
            )
        )
        [action] = result
        assert action.kind == "source.fixAll.async-lint"
        fixed = apply_text_edits(text, action.edit.changes[uri])
        assert fixed == (
            "import asyncio\nimport time\n\n\nasync def f():\n    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n"
        )

    run_session(tmp_path, body)


def test_configuration_from_the_workspace_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.async-lint]\nignore = ["ASL200"]\nextend-exclude = ["generated"]\n')
    (tmp_path / "generated").mkdir()
    app, generated = tmp_path / "app.py", tmp_path / "generated" / "client.py"
    app.write_text(SOURCE)
    generated.write_text(SOURCE)

    async def body(session: LspSession) -> None:
        uri = session.open(app, SOURCE)
        assert sorted(_by_code(await session.diagnostics(uri))) == ["ASL300"]
        excluded = session.open(generated, SOURCE)
        assert await session.diagnostics(excluded) == []

    run_session(tmp_path, body)


def test_unsafe_and_suggested_fixes_are_labelled() -> None:
    from async_lint.diagnostics import Applicability
    from async_lint.lsp_server import _FIX_TITLES

    assert "unsafe" in _FIX_TITLES[Applicability.UNSAFE] and "suggestion" in _FIX_TITLES[Applicability.SUGGESTION]
    assert "unsafe" not in _FIX_TITLES[Applicability.SAFE]


def test_a_burst_of_changes_is_checked_once_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "app.py"

    async def body(session: LspSession) -> None:
        uri = session.open(path, "import time\n\n\nasync def f():\n    pass\n")
        assert await session.diagnostics(uri) == []
        published: list[int | None] = []
        session.client.protocol.fm.features.pop(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, None)

        @session.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def count(params: lsp.PublishDiagnosticsParams) -> None:
            published.append(params.version)
            session.published[params.uri] = params
            session.arrived.set()

        for n in range(30):
            session.change(uri, f"import time\n\n\nasync def f():\n    time.sleep({n})\n")
        [sleep] = await session.diagnostics(uri)
        assert sleep.code == "ASL300"
        assert published[-1] == 31 and len(published) < 30

    run_session(tmp_path, body)


def test_columns_are_utf16_code_units(tmp_path: Path) -> None:
    """LSP counts UTF-16 code units by default: an emoji before a finding counts twice."""
    path = tmp_path / "app.py"
    text = 'import time\n\n\nasync def f():\n    s = "😀"; time.sleep(1)\n'

    async def body(session: LspSession) -> None:
        uri = session.open(path, text)
        [sleep] = await session.diagnostics(uri)
        assert sleep.range == lsp.Range(lsp.Position(4, 14), lsp.Position(4, 27))  # 13 and 26 in code points
        hover = await session.hover(uri, lsp.Position(4, 16))
        assert hover is not None

    run_session(tmp_path, body)


def test_configuration_changes_and_errors(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.async-lint]\nselect = ['ASL3']\n")
    app = tmp_path / "app.py"
    app.write_text(SOURCE)

    async def body(session: LspSession) -> None:
        messages: list[str] = []
        session.client.protocol.fm.features.pop(lsp.WINDOW_SHOW_MESSAGE, None)

        @session.client.feature(lsp.WINDOW_SHOW_MESSAGE)
        def on_message(params: lsp.ShowMessageParams) -> None:
            messages.append(params.message)

        uri = session.open(app, SOURCE)
        assert sorted(_by_code(await session.diagnostics(uri))) == ["ASL300"]

        await asyncio.to_thread(pyproject.write_text, "[tool.async-lint]\nselect = ['ASL2']\n")
        session.client.workspace_did_change_watched_files(
            lsp.DidChangeWatchedFilesParams([lsp.FileEvent(pyproject.as_uri(), lsp.FileChangeType.Changed)])
        )
        session.published.pop(uri)
        assert sorted(_by_code(await session.diagnostics(uri))) == ["ASL200"]

        await asyncio.to_thread(pyproject.write_text, "[tool.async-lint]\nselekt = ['ASL2']\n")
        session.client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(pyproject.as_uri())))
        session.published.pop(uri)
        assert sorted(_by_code(await session.diagnostics(uri))) == ["ASL200", "ASL300"]  # the defaults
        assert any("unknown key 'selekt'" in message for message in messages)

    run_session(tmp_path, body)


def test_cross_module_findings_follow_unsaved_edits(tmp_path: Path) -> None:
    """The server keeps a project index: a call of another module's coroutine is found, and
    making that function sync in the editor (unsaved) re-checks the open caller."""
    store = tmp_path / "store.py"
    store_text = "async def fetch_rates():\n    return {}\n"
    store.write_text(store_text)
    handlers = tmp_path / "handlers.py"
    handlers_text = "from store import fetch_rates\n\n\nasync def handler():\n    fetch_rates()\n"
    handlers.write_text(handlers_text)

    async def body(session: LspSession) -> None:
        store_uri = session.open(store, store_text)
        assert await session.diagnostics(store_uri) == []
        handlers_uri = session.open(handlers, handlers_text)
        [unawaited] = await session.diagnostics(handlers_uri)
        assert unawaited.code == "ASL100" and unawaited.range.start == lsp.Position(4, 4)

        session.published.pop(handlers_uri)
        session.change(store_uri, "def fetch_rates():\n    return {}\n")  # not saved: the file still says async
        assert await session.diagnostics(store_uri) == []
        assert await session.diagnostics(handlers_uri) == []  # published again, without the finding

        session.published.pop(handlers_uri)
        session.change(store_uri, "async def fetch_rates():\n    return {}\n")
        assert [d.code for d in await session.diagnostics(handlers_uri)] == ["ASL100"]

    run_session(tmp_path, body)


# --- hostile requests, large documents --------------------------------------------------------


def test_a_request_with_invalid_params_gets_an_error_reply(tmp_path: Path) -> None:
    """Raw JSON-RPC (a typed client cannot send bad params): every request gets an answer."""
    import json
    import subprocess
    import sys

    from tests.helpers import environment

    server = subprocess.Popen(
        [sys.executable, "-m", "async_lint", "server"], cwd=tmp_path, env=environment(),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert server.stdin is not None and server.stdout is not None

    def send(message: dict[str, object]) -> None:
        body = json.dumps(message).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)  # type: ignore[union-attr]
        server.stdin.flush()  # type: ignore[union-attr]

    def receive() -> dict[str, object]:
        headers = b""
        while not headers.endswith(b"\r\n\r\n"):
            headers += server.stdout.read(1)  # type: ignore[union-attr]
        length = int(headers.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        return json.loads(server.stdout.read(length))  # type: ignore[union-attr,no-any-return]

    try:
        send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
        assert receive()["id"] == 1
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": 5, "position": "here"}})
        reply = receive()
        assert reply["id"] == 2 and reply["error"]["code"] == -32602  # type: ignore[index]
        send({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
        assert receive()["id"] == 3  # and the server goes on answering
    finally:
        server.kill()
        server.wait()


def test_requests_on_a_document_never_opened_answer_nothing(tmp_path: Path) -> None:
    path = tmp_path / "never_opened.py"
    path.write_text(SOURCE)

    async def body(session: LspSession) -> None:
        uri = path.as_uri()
        assert await session.hover(uri, lsp.Position(5, 6)) is None
        assert await session.code_actions(uri, lsp.Range(lsp.Position(5, 4), lsp.Position(5, 6)), []) == []

    run_session(tmp_path, body)


def test_a_document_larger_than_max_file_size_gets_one_notice(tmp_path: Path) -> None:
    path = tmp_path / "table.py"
    (tmp_path / "pyproject.toml").write_text("[tool.async-lint]\nmax-file-size = 20000\n")
    text = SOURCE + "TABLE = [\n" + "".join(f"    ({n}, 'row{n}'),\n" for n in range(2000)) + "]\n"

    async def body(session: LspSession) -> None:
        uri = session.open(path, text)
        (notice,) = await session.diagnostics(uri)
        assert notice.code == "ASL002" and "max-file-size" in notice.message
        session.change(uri, SOURCE)
        assert sorted(str(d.code) for d in await session.diagnostics(uri)) == ["ASL200", "ASL300"]

    run_session(tmp_path, body)


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_closing_a_large_document_gives_its_memory_back(tmp_path: Path) -> None:
    import sys

    if not sys.platform.startswith("linux"):
        return
    path = tmp_path / "large.py"
    text = SOURCE + "TABLE = [\n" + "".join(f"    ({n}, 'row{n}', {n}.5, None),\n" for n in range(9000)) + "]\n"

    async def body(session: LspSession) -> None:
        assert session.client._server is not None
        pid = session.client._server.pid
        small = session.open(tmp_path / "small.py", SOURCE)
        await session.diagnostics(small)
        # Reading /proc takes microseconds (as in benchmarks/lsp_latency.py): no thread hop.
        before = _rss_kib(pid)  # noqa: ASL305
        uri = session.open(path, text)
        await session.diagnostics(uri)
        opened = _rss_kib(pid)  # noqa: ASL305
        session.client.text_document_did_close(lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri=uri)))
        await session.hover(small, lsp.Position(5, 6))  # a round trip: the close has been handled
        closed = _rss_kib(pid)  # noqa: ASL305
        for _ in range(50):  # the release runs on the check thread, after the close
            if closed - before < (opened - before) / 2:
                break
            await asyncio.sleep(0.1)
            closed = _rss_kib(pid)  # noqa: ASL305
        assert opened - before > 50_000, (before, opened)  # the document did cost memory
        assert closed - before < (opened - before) / 2, (before, opened, closed)

    run_session(tmp_path, body)


def test_position_conversion_measures_a_line_once() -> None:
    """A code action at column 300,000 took 14 s: each step re-measured the whole prefix."""
    from types import SimpleNamespace

    from async_lint.lsp_server import AsyncLintServer

    line = ("é𝄞a" * 100_001)[:300_003]
    calls = []

    def units(text: str) -> int:
        calls.append(len(text))
        return len(text.encode("utf-16-le")) // 2

    for encoding in (lsp.PositionEncodingKind.Utf16, lsp.PositionEncodingKind.Utf8, lsp.PositionEncodingKind.Utf32):
        fake = SimpleNamespace(workspace=SimpleNamespace(position_encoding=encoding), _units=units)
        for column in (0, 1, 2, 3, 299_999, 300_000, 400_000):
            location = AsyncLintServer.to_location(fake, lsp.Position(0, column), [line])  # type: ignore[arg-type]
            codec = {"utf-16": "utf-16-le", "utf-8": "utf-8", "utf-32": "utf-32-le"}[str(encoding.value)]
            width = {"utf-16": 2, "utf-8": 1, "utf-32": 4}[str(encoding.value)]
            prefix = line[: location.column - 1]
            assert len(prefix.encode(codec)) // width <= column
            if location.column - 1 < len(line):
                assert len(line[: location.column].encode(codec)) // width > column
    assert sum(calls) < len(line) * 3


def test_without_a_configuration_the_workspace_folder_is_the_project_root(tmp_path: Path) -> None:
    """No pyproject.toml: the workspace folder roots the project, as the working directory does
    for `async-lint check` (the server's own working directory is elsewhere), so
    `from app.clients import client` in `app/routes/api.py` resolves."""
    (tmp_path / "app" / "routes").mkdir(parents=True)
    (tmp_path / "app" / "clients.py").write_text("import httpx\n\nclient = httpx.Client()\n")
    api = tmp_path / "app" / "routes" / "api.py"
    api_text = "from app.clients import client\n\n\nasync def rates():\n    return client.get('https://example.com/rates').json()\n"
    api.write_text(api_text)

    async def body(session: LspSession) -> None:
        [blocking] = await session.diagnostics(session.open(api, api_text))
        assert blocking.code == "ASL301" and blocking.range.start == lsp.Position(4, 11)

    run_session(tmp_path, body)
