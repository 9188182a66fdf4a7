"""The run as a process: Ctrl-C and SIGTERM stop it whole (no worker left behind, one line, exit
130 or 143), a reader that closes the pipe early gets no traceback, `-j` is checked and
clamped, and `./-` is a file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from async_lint.engine.run_settings import available_cores, usable_jobs
from tests.helpers import environment, run_cli

SLEEPY = "import time\n\n\nasync def handler():\n    time.sleep(1)\n"
PADDING = "TABLE = [" + ", ".join(str(n) for n in range(4000)) + "]\n"
"""Makes each file take a moment, so that a signal arrives while workers are busy."""

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _busy_tree(root: Path, count: int = 300) -> None:
    for n in range(count):
        (root / f"m{n:03}.py").write_text(SLEEPY + PADDING)


def _children(pid: int) -> set[int]:
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return children


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition: Callable[[], bool], what: str, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def _start(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "async_lint", "check", *args, "."],
        cwd=root, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=_as_in_a_terminal,
    )


def _as_in_a_terminal() -> None:
    """A test runner may run with SIGINT ignored, which its children inherit (and Python then
    installs no KeyboardInterrupt): a terminal's Ctrl-C finds the default disposition."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("how", "status", "message"),
    [
        (lambda process: process.send_signal(signal.SIGTERM), 143, "async-lint: terminated\n"),
        (lambda process: os.killpg(process.pid, signal.SIGINT), 130, "async-lint: interrupted\n"),  # Ctrl-C: the whole group
    ],
    ids=["sigterm", "ctrl-c"],
)
def test_a_stopped_run_takes_its_workers_with_it(
    tmp_path: Path, how: Callable[[subprocess.Popen[str]], None], status: int, message: str
) -> None:
    _busy_tree(tmp_path)
    process = _start(tmp_path, "--no-cache", "-j", "2")
    _wait_for(lambda: len(_children(process.pid)) >= 2, "the workers")
    workers = _children(process.pid)
    how(process)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == status
    assert stderr == message and stdout == ""
    _wait_for(lambda: not any(_alive(pid) for pid in workers), "the workers to end")


def test_workers_end_when_the_parent_is_killed(tmp_path: Path) -> None:
    _busy_tree(tmp_path)
    process = _start(tmp_path, "--no-cache", "-j", "2")
    _wait_for(lambda: len(_children(process.pid)) >= 2, "the workers")
    workers = _children(process.pid)
    process.kill()
    process.communicate(timeout=60)
    _wait_for(lambda: not any(_alive(pid) for pid in workers), "the orphaned workers to end")


def test_a_stopped_fix_leaves_no_temporary_file(tmp_path: Path) -> None:
    _busy_tree(tmp_path, count=200)
    process = _start(tmp_path, "--fix", "-j", "2")
    _wait_for(lambda: len(_children(process.pid)) >= 2, "the workers")
    workers = _children(process.pid)
    time.sleep(1.0)  # let some fixes and cache entries be written
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=120)
    _wait_for(lambda: not any(_alive(pid) for pid in workers), "the workers to end")
    assert process.returncode == 143
    assert [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")] == []
    for path in tmp_path.glob("m*.py"):
        assert path.read_text() in (SLEEPY + PADDING, SLEEPY.replace("import time\n", "import asyncio\nimport time\n").replace("time.sleep(1)", "await asyncio.sleep(1)") + PADDING)


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_reader_that_closes_the_pipe_early_gets_no_traceback(tmp_path: Path, size: str) -> None:
    _busy_tree(tmp_path, count=2 if size == "small" else 600)  # 600 files: 270 KB, past the pipe's buffer
    for path in tmp_path.glob("*.py"):
        path.write_text(SLEEPY * 3)
    script = f"{sys.executable} -m async_lint check --no-cache -j 1 . 2>stderr.txt | head -1; echo ${{PIPESTATUS[0]}} > status.txt"
    subprocess.run(["bash", "-c", script], cwd=tmp_path, env=environment(), check=True, capture_output=True, timeout=300)
    assert (tmp_path / "stderr.txt").read_text() == ""
    assert (tmp_path / "status.txt").read_text().strip() == "1"  # the findings' status, as without head


@pytest.mark.parametrize("value", ["-5", "0", "two"])
def test_jobs_must_be_a_positive_number(tmp_path: Path, value: str) -> None:
    (tmp_path / "m.py").write_text(SLEEPY)
    process = run_cli("check", "--no-cache", "-j", value, ".", cwd=tmp_path)
    assert process.returncode == 2 and "argument --jobs/-j" in process.stderr and "Traceback" not in process.stderr


def test_jobs_are_clamped_to_the_cores_and_the_files() -> None:
    cores = available_cores()
    assert usable_jobs(64, 1000) == cores
    assert usable_jobs(64, 3) == min(3, cores)
    assert usable_jobs(None, 1000) == cores


def test_many_jobs_start_no_more_workers_than_cores(tmp_path: Path) -> None:
    _busy_tree(tmp_path, count=24)
    process = _start(tmp_path, "--no-cache", "-j", "64")
    most = 0
    while process.poll() is None:
        most = max(most, len(_children(process.pid)))
        time.sleep(0.02)
    process.communicate()
    assert process.returncode == 1
    assert most <= available_cores()


def test_dot_slash_dash_is_a_file_not_stdin(tmp_path: Path) -> None:
    (tmp_path / "-").write_text(SLEEPY)
    process = run_cli("check", "--no-cache", "./-", cwd=tmp_path, stdin="")
    assert process.returncode == 1
    assert process.stdout.startswith("-:5:5: ASL300")
