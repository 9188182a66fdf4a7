"""The cache may only make a run faster: a damaged entry is a miss (checksums, nesting too deep
for the decoder), an edit that hides from the file's size and modification time is still
seen, the cache never hides the project from git, and it does not grow without end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from async_lint import __version__
from async_lint.engine.cache_files import read_json, write_entry
from tests.helpers import environment, run_cli

SLEEPY = "import time\n\n\nasync def handler():\n    time.sleep(1)\n"
QUIET = SLEEPY.replace("time.sleep(1)", 'print("hi!!")')
CACHE = ".async_lint_cache"
DEEP_JSON = b"[" * 100_000 + b"]" * 100_000


def _backdate(*paths: Path, seconds: float = 3600) -> None:
    for path in paths:
        os.utime(path, (time.time() - seconds, time.time() - seconds))


def _json_check(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    process = run_cli("check", "--format", "json", *args, ".", cwd=tmp_path)
    assert "Traceback" not in process.stderr, process.stderr
    return process


def _cache_files(tmp_path: Path, kind: str) -> list[Path]:
    files = sorted((tmp_path / CACHE).rglob("*.json"))
    if kind == "runs":
        return [f for f in files if "runs" in f.parts]
    if kind == "summaries":
        return [f for f in files if "summaries" in f.parts]
    return [f for f in files if "runs" not in f.parts and "summaries" not in f.parts]


# --- nesting too deep for a recursive decoder -------------------------------------------------


def test_deeply_nested_pyproject_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SLEEPY)
    (tmp_path / "pyproject.toml").write_text("[tool.async-lint]\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    process = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert process.returncode == 2 and "Traceback" not in process.stderr
    assert "pyproject.toml: not valid TOML: nested too deeply" in process.stderr
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "ASL", "m.py"], cwd=tmp_path, capture_output=True, text=True, env=environment()
    )
    assert "RecursionError" not in flake8.stderr and "Traceback" not in flake8.stderr
    assert "pyproject.toml: not valid TOML: nested too deeply" in flake8.stdout


@pytest.mark.parametrize("kind", ["entries", "summaries", "runs"])
def test_deeply_nested_cache_file_is_a_miss(tmp_path: Path, kind: str) -> None:
    (tmp_path / "m.py").write_text(SLEEPY)
    _backdate(tmp_path / "m.py")
    reference = _json_check(tmp_path, "--no-cache")
    _json_check(tmp_path)
    targets = _cache_files(tmp_path, kind)
    assert targets
    for target in targets:
        write_entry(target, DEEP_JSON, tmp_path / CACHE)  # intact, so the decoder does see it
    if kind != "runs":
        for record in _cache_files(tmp_path, "runs"):
            record.unlink()
    for _ in range(2):  # and the run after, which must not stumble either
        again = _json_check(tmp_path)
        assert (again.returncode, again.stdout) == (reference.returncode, reference.stdout)


# --- damaged entries ----------------------------------------------------------------------------


def test_a_flipped_bit_in_an_entry_is_a_miss(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SLEEPY)
    _backdate(tmp_path / "m.py")
    reference = _json_check(tmp_path, "--no-cache")
    _json_check(tmp_path)
    for kind in ("entries", "runs"):
        for entry in _cache_files(tmp_path, kind):
            data = entry.read_bytes()
            flipped = data.replace(b'"row":5', b'"row":4')  # 5 and 4 differ by one bit
            assert flipped != data
            entry.write_bytes(flipped)
    again = _json_check(tmp_path)
    assert json.loads(again.stdout)[0]["location"]["row"] == 5
    assert again.stdout == reference.stdout


# --- stamps that do not move --------------------------------------------------------------------


def test_same_size_edit_with_the_modification_time_restored_is_seen(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(SLEEPY)
    _backdate(module)
    assert json.loads(_json_check(tmp_path).stdout)  # recorded: the finding
    before = module.stat()
    replacement = tmp_path / "replacement.txt"
    replacement.write_text(QUIET)
    assert len(QUIET) == len(SLEEPY)
    shutil.copy2(replacement, module)  # what `cp -p` does: same size, modification time restored too
    os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (module.stat().st_size, module.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    again = _json_check(tmp_path)
    assert (again.returncode, json.loads(again.stdout)) == (0, [])


def test_a_file_modified_within_the_racy_window_is_not_recorded(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(SLEEPY)
    _backdate(module, seconds=-600)  # modified "now" however long the runs take: always too recent
    args = ("check", "-j", "1", "--explain-unresolved", ".")
    run_cli(*args, cwd=tmp_path)
    fresh = run_cli(*args, cwd=tmp_path)
    assert "0 of 1 files from the run record" in fresh.stderr  # too recent to trust its stamp
    _backdate(module)
    run_cli(*args, cwd=tmp_path)
    settled = run_cli(*args, cwd=tmp_path)
    assert "1 of 1 files from the run record" in settled.stderr


def test_the_racy_window_is_one_tick_of_the_file_systems_clock() -> None:
    """A modification time with a fraction of a second comes from a fine clock: 50 ms later it
    has moved past its tick. A whole second may come from a 1-2 s clock (FAT, HFS+): 2 s."""
    from async_lint.engine.run_record import is_racy

    second = 1_000_000_000
    fine = 1_700_000_000 * second + 123_456_789
    assert is_racy(fine, fine + 10_000_000) and not is_racy(fine, fine + 60_000_000)
    coarse = 1_700_000_000 * second
    assert is_racy(coarse, coarse + second) and not is_racy(coarse, coarse + 3 * second)


# --- the cache and git --------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_cache_dir_in_the_project_does_not_hide_the_project_from_git(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "m.py").write_text(SLEEPY)
    (tmp_path / "pyproject.toml").write_text('[tool.async-lint]\ncache-dir = "."\n')
    run_cli("check", ".", cwd=tmp_path)
    assert not (tmp_path / ".gitignore").exists()
    untracked = subprocess.run(
        ["git", "ls-files", "-o", "--exclude-standard"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(untracked) == ["m.py", "pyproject.toml"]  # the cache's own files stay ignored


def test_a_new_cache_dir_gets_its_gitignore(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SLEEPY)
    run_cli("check", ".", cwd=tmp_path)
    assert (tmp_path / CACHE / ".gitignore").read_text().endswith("*\n")


# --- pruning --------------------------------------------------------------------------------------


def test_old_entries_and_other_versions_are_pruned(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SLEEPY)
    _backdate(tmp_path / "m.py")
    run_cli("check", ".", cwd=tmp_path)
    cache = tmp_path / CACHE
    version_dir = cache / __version__
    entries = [p for p in version_dir.rglob("*.json")]
    assert entries
    stale = version_dir / "ab" / ("ab" * 32 + ".json")
    write_entry(stale, b"[]", cache)
    leftover = version_dir / "ab" / "killed-run.tmp"
    leftover.write_bytes(b"half")
    _backdate(stale, seconds=60 * 24 * 3600)
    _backdate(leftover, seconds=2 * 3600)
    old_version = cache / "0.0.1"
    (old_version / "runs").mkdir(parents=True)
    (old_version / ".async-lint-cache").write_bytes(b"")
    (old_version / "runs" / "x.json").write_text("{}")
    not_ours = cache / "notes"
    not_ours.mkdir()
    (not_ours / "keep.json").write_text("{}")
    _backdate(not_ours / "keep.json", seconds=60 * 24 * 3600)
    _backdate(version_dir / ".last-pruned", seconds=2 * 24 * 3600)
    run_cli("check", ".", cwd=tmp_path)
    assert not stale.exists() and not leftover.exists() and not old_version.exists()
    assert (not_ours / "keep.json").exists()
    assert all(entry.exists() for entry in entries)
    assert read_json(next(p for p in version_dir.rglob("runs/*.json"))) is not None
