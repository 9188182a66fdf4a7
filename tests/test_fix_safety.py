"""`--fix` never corrupts a file: writes are atomic (a killed run leaves each file old or new,
never half), a fix that would break the file is not written, a second `--fix` changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from async_lint.engine import source_files
from async_lint.engine.source_files import write_fixed_source
from tests.broken_rules import BREAKING_FIX, CLI_WITH_TEST_RULES
from tests.helpers import REPO, environment, run_cli

SLEEPY = "import time\n\n\nasync def handler():\n    time.sleep(1)\n    time.sleep(2)\n"
SLEEPY_FIXED = "import asyncio\nimport time\n\n\nasync def handler():\n    await asyncio.sleep(1)\n    await asyncio.sleep(2)\n"


def _env_with_repo() -> dict[str, str]:
    env = environment()
    env["PYTHONPATH"] = os.pathsep.join([env["PYTHONPATH"], str(REPO)])
    return env


def test_failure_between_write_and_rename_leaves_the_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "target.py"
    path.write_text(SLEEPY)

    def crash(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(source_files.os, "replace", crash)
    with pytest.raises(OSError):
        write_fixed_source(path, SLEEPY.encode(), SLEEPY_FIXED, "utf-8")
    assert path.read_text() == SLEEPY
    assert [p.name for p in tmp_path.iterdir()] == ["target.py"], "the temporary file is cleaned up"


def test_failed_write_through_the_cli_is_reported_and_changes_nothing(tmp_path: Path) -> None:
    script = (
        "import os, sys\n"
        "def replace(source, target):\n"
        "    raise OSError(28, 'No space left on device')\n"
        "os.replace = replace\n"
        "from async_lint.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    for n in range(3):
        (tmp_path / f"f{n}.py").write_text(SLEEPY)
    process = subprocess.run(
        [sys.executable, "-c", script, "check", "--no-cache", "--fix", "--unsafe-fixes", "-j", "1", "."],
        cwd=tmp_path, env=environment(), capture_output=True, text=True, timeout=120,
    )
    assert "cannot write the fixes: No space left on device" in process.stderr
    assert process.returncode == 2 and process.stdout.count("ASL300") == 6  # still reported, not fixed
    assert "(0 fixed, 6 remaining)" in process.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f0.py", "f1.py", "f2.py"]
    assert all((tmp_path / f"f{n}.py").read_text() == SLEEPY for n in range(3))


def test_killed_run_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    """SIGKILL a `--fix` run (and its workers) while it writes: every file is either the
    original or the complete fix; a leftover temporary file is never a `.py` file."""
    count = 60
    for n in range(count):
        (tmp_path / f"mod{n:03}.py").write_text(SLEEPY + f"# {n}\n" + "x = 1\n" * 40)
    process = subprocess.Popen(
        [sys.executable, "-m", "async_lint", "check", "--no-cache", "--fix", "--unsafe-fixes", "-j", "2", "."],
        cwd=tmp_path, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            fixed = sum(1 for n in range(count) if (tmp_path / f"mod{n:03}.py").read_text().startswith("import asyncio"))
            if fixed >= 3:
                break
            time.sleep(0.01)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
    states = {"old": 0, "new": 0}
    for n in range(count):
        text = (tmp_path / f"mod{n:03}.py").read_text()
        tail = f"# {n}\n" + "x = 1\n" * 40
        if text == SLEEPY + tail:
            states["old"] += 1
        else:
            assert text == SLEEPY_FIXED + tail, f"mod{n:03}.py is neither old nor new"
            states["new"] += 1
    assert states["new"] >= 1
    leftovers = [p.name for p in tmp_path.iterdir() if not p.name.startswith("mod")]
    assert all(name.endswith(".async-lint.tmp") and name.startswith(".") for name in leftovers), leftovers
    finish = run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert finish.returncode == 0 and "ASL" not in finish.stdout.replace("All checks passed!", "")


def test_a_fix_that_breaks_the_file_is_not_written(tmp_path: Path) -> None:
    text = "import time\n\n\nasync def f():\n    break_me()\n    time.sleep(1)\n"
    (tmp_path / "victim.py").write_text(text)
    process = subprocess.run(
        [sys.executable, "-c", CLI_WITH_TEST_RULES, "check", "--no-cache", "--fix", "--select", BREAKING_FIX, "victim.py"],
        cwd=tmp_path, env=_env_with_repo(), capture_output=True, text=True, timeout=120,
    )
    assert "fixes left unapplied: they would make the file fail to parse" in process.stderr
    assert f"victim.py:5:5: {BREAKING_FIX}" in process.stdout  # still reported
    assert (tmp_path / "victim.py").read_text() == text
    # other rules' fixes in the same file: the broken one is refused, the file keeps parsing
    process = subprocess.run(
        [sys.executable, "-c", CLI_WITH_TEST_RULES, "check", "--no-cache", "--fix", "--unsafe-fixes", "--select", f"{BREAKING_FIX},ASL300", "victim.py"],
        cwd=tmp_path, env=_env_with_repo(), capture_output=True, text=True, timeout=120,
    )
    assert compile((tmp_path / "victim.py").read_text(), "victim.py", "exec")


def test_a_fix_that_stops_the_file_compiling_is_not_written(tmp_path: Path) -> None:
    """`await` put into a plain `def` parses but does not compile: not written either."""
    script = (
        "import sys\n"
        "from tests.broken_rules import register, BreakingFixRule\n"
        "BreakingFixRule.replacement = 'await break_me()'\n"
        "register()\n"
        "from async_lint.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    text = "def f():\n    break_me()\n"
    (tmp_path / "victim.py").write_text(text)
    process = subprocess.run(
        [sys.executable, "-c", script, "check", "--no-cache", "--fix", "--select", BREAKING_FIX, "victim.py"],
        cwd=tmp_path, env=_env_with_repo(), capture_output=True, text=True, timeout=120,
    )
    assert "they would make the file fail to compile" in process.stderr, process.stderr
    assert (tmp_path / "victim.py").read_text() == text


def test_second_fix_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(SLEEPY)
    (tmp_path / "b.py").write_text("import asyncio\n\n\nasync def main():\n    asyncio.run(main())\n")
    run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.py")}
    stats = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.py")}
    second = run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.py")} == first
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.py")} == stats, "unchanged files are not rewritten"
    assert "0 fixed" in second.stdout or "All checks passed" in second.stdout


def test_fix_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "script.py"
    path.write_text("#!/usr/bin/env python\n" + SLEEPY)
    path.chmod(0o751)
    run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", "script.py", cwd=tmp_path)
    assert path.read_text().startswith("#!/usr/bin/env python\nimport asyncio\n")
    assert path.stat().st_mode & 0o7777 == 0o751


def test_a_file_that_cannot_be_written_is_not_counted_as_fixed(tmp_path: Path) -> None:
    """As root the permission bits do not stop a write, so the file system's refusal is made
    by hand: every way of writing the file fails as a read-only file would."""
    script = (
        "import os, sys\n"
        "def refuse(*args, **kwargs):\n"
        "    raise PermissionError(13, 'Permission denied')\n"
        "os.replace = refuse\n"
        "from async_lint.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    (tmp_path / "locked.py").write_text(SLEEPY)
    process = subprocess.run(
        [sys.executable, "-c", script, "check", "--no-cache", "--fix", "--unsafe-fixes", "locked.py"],
        cwd=tmp_path, env=environment(), capture_output=True, text=True, timeout=120,
    )
    assert process.returncode == 2
    assert "Found 2 errors (0 fixed, 2 remaining)." in process.stdout
    assert "locked.py: cannot write the fixes: Permission denied" in process.stderr
    assert (tmp_path / "locked.py").read_text() == SLEEPY


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever the permissions")
def test_a_read_only_directory_is_not_counted_as_fixed(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "locked.py").write_text(SLEEPY)
    folder.chmod(0o555)
    try:
        process = run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", "ro/locked.py", cwd=tmp_path)
    finally:
        folder.chmod(0o755)
    assert process.returncode == 2 and "(0 fixed, 2 remaining)" in process.stdout


def test_fix_keeps_hard_links(tmp_path: Path) -> None:
    original = tmp_path / "original.py"
    original.write_text(SLEEPY)
    os.link(original, tmp_path / "alias.py")
    process = run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", "original.py", cwd=tmp_path)
    assert process.returncode == 0, process.stdout + process.stderr
    assert original.stat().st_nlink == 2
    assert original.read_text() == (tmp_path / "alias.py").read_text() == SLEEPY_FIXED


def test_an_edit_made_while_the_fixed_file_is_prepared_is_not_lost(tmp_path: Path) -> None:
    """The last compare happens after the slow part of the write (here: the sync to disk,
    during which another editor saves the file), just before the rename."""
    script = (
        "import os, sys\n"
        "real_fsync = os.fsync\n"
        "def fsync_while_someone_edits(descriptor):\n"
        "    with open('busy.py', 'a') as stream:\n"
        "        stream.write('# saved by the editor meanwhile\\n')\n"
        "    real_fsync(descriptor)\n"
        "os.fsync = fsync_while_someone_edits\n"
        "from async_lint.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    (tmp_path / "busy.py").write_text(SLEEPY)
    process = subprocess.run(
        [sys.executable, "-c", script, "check", "--no-cache", "--fix", "--unsafe-fixes", "busy.py"],
        cwd=tmp_path, env=environment(), capture_output=True, text=True, timeout=120,
    )
    assert "changed during the run; fixes not written" in process.stderr
    assert (tmp_path / "busy.py").read_text() == SLEEPY + "# saved by the editor meanwhile\n"
    assert [p.name for p in tmp_path.iterdir()] == ["busy.py"], "the temporary file is cleaned up"
