"""ASL303 blocking-subprocess: waiting for a process in a coroutine."""

from __future__ import annotations

from async_lint.knowledge.blocking_calls import BlockingFamily
from async_lint.rules.base import Invalid
from async_lint.rules.blocking_call_rule import ALLOWED, HANDED_OFF, SYNC_CODE, BlockingCallRule


class BlockingSubprocess(BlockingCallRule):
    """Flags process calls that wait inside an `async def`: `subprocess.run`/`call`/
    `check_call`/`check_output`/`Popen` and `Popen(...).wait()`/`.communicate()`, `os.system`,
    `os.popen`, `os.spawn*` and `os.wait*`."""

    code = "ASL303"
    family = BlockingFamily.SUBPROCESS
    proof = "tests/runtime/test_asl303.py"
    name = "blocking-subprocess"
    summary = "`subprocess.*`, `os.system`, `os.popen`, `os.wait*` inside `async def`"
    why = (
        "These calls wait for another process to finish (or for its output) on the event loop's "
        "thread; for as long as the child runs, no other task makes progress. "
        "`asyncio.create_subprocess_exec` starts the same process and lets the loop run while it works."
    )
    use_instead = (
        "`proc = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE)` and "
        "`out, _ = await proc.communicate()`; or `await asyncio.to_thread(subprocess.run, cmd)`."
    )
    not_flagged = (
        "`asyncio.create_subprocess_exec`/`_shell` and `await proc.wait()` on their processes.",
        "`.wait()`/`.communicate()` on objects not shown to be a `subprocess.Popen`.",
        HANDED_OFF,
        SYNC_CODE,
        ALLOWED,
    )
    valid = (
        """
        import asyncio

        async def git_head():
            proc = await asyncio.create_subprocess_exec("git", "rev-parse", "HEAD", stdout=asyncio.subprocess.PIPE)
            out, _ = await proc.communicate()
            return out.decode().strip()
        """,
        """
        import subprocess

        def git_head():
            return subprocess.check_output(["git", "rev-parse", "HEAD"]).decode().strip()
        """,
    )
    invalid = (
        Invalid(
            """
            import subprocess

            async def git_head():
                out = subprocess.check_output(["git", "rev-parse", "HEAD"])
                return out.decode().strip()
            """,
            fixed="""
            import asyncio
            import subprocess

            async def git_head():
                out = await asyncio.to_thread(subprocess.check_output, ["git", "rev-parse", "HEAD"])
                return out.decode().strip()
            """,
        ),
        Invalid(
            """
            from subprocess import Popen, PIPE

            async def run(cmd):
                proc = Popen(cmd, stdout=PIPE)
                return proc.stdout.read()
            """,
        ),
    )
