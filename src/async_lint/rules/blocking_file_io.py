"""ASL302 blocking-file-io: blocking file-system calls in a coroutine."""

from __future__ import annotations

from async_lint.knowledge.blocking_calls import BlockingFamily
from async_lint.rules.base import Invalid
from async_lint.rules.blocking_call_rule import ALLOWED, HANDED_OFF, SYNC_CODE, BlockingCallRule


class BlockingFileIo(BlockingCallRule):
    """Flags blocking file-system calls inside an `async def`: `open()`/`io.open()`, the
    `pathlib.Path` methods that touch the disk (`read_text`, `write_bytes`, `open`, `iterdir`,
    `glob`, `exists`, `is_file`, `mkdir`, `unlink`, ...) on values shown to be paths
    (`Path(...)`, `Path(...) / "x"`, a name bound to one, a parameter annotated `Path`), the
    `os` file operations (`os.remove`, `os.listdir`, `os.walk`, `os.stat`, `os.makedirs`, ...),
    the `os.path` queries that stat the disk (`exists`, `isfile`, `isdir`, `getsize`, `getmtime`,
    ...), `shutil` copies, moves and `rmtree`, `json`/`pickle` `load`/`dump` on a file, every
    method of a file object (made by `open(...)`, or annotated `io.TextIOWrapper`, `typing.TextIO`,
    `typing.BinaryIO`, `IO[str]`...: `f.read()`, `f.write(...)`, `f.readline()`), `tempfile`
    files and directories, and the file readers and writers of pandas and polars
    (`pd.read_csv(path)`, `df.to_excel(path)`) and PDF libraries (`PdfReader(path)`)."""

    code = "ASL302"
    family = BlockingFamily.FILE_IO
    proof = "tests/runtime/test_asl302.py"
    name = "blocking-file-io"
    summary = "blocking file I/O (`open()`, `Path.read_text()`, `os`/`shutil` file calls) inside `async def`"
    why = (
        "File-system calls block the thread until the disk (or a network mount) answers; the event "
        "loop does not run meanwhile. A local SSD read is short, but a large file, a slow or "
        "network file system, or a directory walk stalls every other task on the loop for its "
        "whole duration, and it shows up as latency spikes nobody can attribute."
    )
    use_instead = (
        "`async with aiofiles.open(path) as f: data = await f.read()`, `await anyio.Path(path).read_text()`, "
        "or `await asyncio.to_thread(path.read_text)`."
    )
    not_flagged = (
        ("Pure path arithmetic that never touches the disk: `os.path.join`, `basename`, `dirname`, "
        "`splitext`, `abspath`, `normpath`, `Path(...) / 'x'`, `.name`, `.suffix`, `.with_suffix()`. "
        "`os.path.realpath` and `Path.resolve()` are not flagged either (a few cached `lstat`s; "
        "flagging them would be noise). `os.path.exists`/`isfile`/`isdir`/`getsize`/`getmtime` do "
        "stat the disk and are flagged; a team that accepts them lists `os.path` in `allow-blocking`."),
        ("`aiofiles.open`, `anyio.open_file`, `anyio.Path` methods (awaited), and `.open()`/"
        "`.exists()` on objects not shown to be `pathlib.Path`s."),
        ("`json.loads`/`json.dumps` (strings, no I/O), and `json`/`pickle` `load`/`dump` on an "
        "`io.StringIO()`/`io.BytesIO()` buffer."),
        HANDED_OFF,
        SYNC_CODE,
        "A local function named `open`.",
        ALLOWED,
    )
    valid = (
        """
        import aiofiles

        async def load(path):
            async with aiofiles.open(path) as f:
                return await f.read()
        """,
        """
        import asyncio

        async def load(loop, path):
            return await loop.run_in_executor(None, open, path)
        """,
        """
        import os

        async def target(base, name):
            return os.path.join(base, name)
        """,
    )
    invalid = (
        Invalid(
            """
            from pathlib import Path

            async def load_prompt(name):
                text = (Path("prompts") / f"{name}.txt").read_text()
                return text.strip()
            """,
            fixed="""
            import asyncio
            from pathlib import Path

            async def load_prompt(name):
                text = await asyncio.to_thread((Path("prompts") / f"{name}.txt").read_text)
                return text.strip()
            """,
        ),
        Invalid(
            """
            import json

            async def load_config(path):
                with open(path) as f:
                    return json.load(f)
            """,
            fixed="""
            import asyncio
            import json

            async def load_config(path):
                with open(path) as f:
                    return await asyncio.to_thread(json.load, f)
            """,
        ),
        Invalid(
            """
            import typing

            async def save_report(out: typing.TextIO, lines):
                out.write("\\n".join(lines))
                out.flush()
            """,
            fixed="""
            import asyncio
            import typing

            async def save_report(out: typing.TextIO, lines):
                await asyncio.to_thread(out.write, "\\n".join(lines))
                await asyncio.to_thread(out.flush)
            """,
        ),
    )
