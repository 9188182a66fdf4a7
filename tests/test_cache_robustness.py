"""The result cache under stress: concurrent runs, corrupt entries, entries of another version.
A cache may only ever make a run faster, never change what it reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from async_lint.engine.cache_files import read_json, write_json
from tests.helpers import environment, run_cli

SLEEPY = "import time\n\n\nasync def handler{n}():\n    time.sleep({n})\n"
CACHE = ".async_lint_cache"


def _tree(tmp_path: Path, count: int = 24) -> None:
    for n in range(count):
        (tmp_path / f"m{n:02}.py").write_text(SLEEPY.format(n=n) if n % 3 else f"x = {n}\n")
    (tmp_path / "broken.py").write_text("def f(:\n")
    _backdate(tmp_path)


def _backdate(tmp_path: Path) -> None:
    """Files written a moment ago are too recent for the run record to trust (see
    `RACY_WINDOW_NS`): make the tree an hour old, as a real project's files are."""
    an_hour_ago = time.time() - 3600
    for path in [tmp_path, *tmp_path.rglob("*")]:
        os.utime(path, (an_hour_ago, an_hour_ago))


def _write_garbage(path: Path, data: bytes, tmp_path: Path) -> None:
    """Garbage that is JSON goes in as an intact entry (its shape is what is wrong); the rest as
    raw bytes (the entry itself is damaged)."""
    try:
        value = json.loads(data)
    except ValueError:
        path.write_bytes(data)
    else:
        _write_entry(path, value, tmp_path)


def _write_entry(path: Path, value: object, tmp_path: Path) -> None:
    """An intact (checksummed) entry holding `value`."""
    write_json(path, value, tmp_path / CACHE)


def _check(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("check", "-j", "2", *args, ".", cwd=tmp_path)


def _entries(tmp_path: Path) -> list[Path]:
    """The per-file result entries (the project index keeps its module summaries beside them,
    under `summaries/`, and the run records under `runs/`)."""
    return sorted(p for p in (tmp_path / CACHE).rglob("*.json") if "summaries" not in p.parts and "runs" not in p.parts)


def _run_records(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / CACHE).rglob("runs/*.json"))


def test_two_runs_at_once_agree_and_leave_a_consistent_cache(tmp_path: Path) -> None:
    _tree(tmp_path)
    reference = _check(tmp_path, "--no-cache")
    assert not (tmp_path / CACHE).exists()
    command = [sys.executable, "-m", "async_lint", "check", "-j", "2", "."]
    for _ in range(2):
        runs = [subprocess.Popen(command, cwd=tmp_path, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=300) for run in runs]
        for (stdout, stderr), run in zip(outputs, runs):
            assert run.returncode == reference.returncode and stdout == reference.stdout, stderr
    entries = _entries(tmp_path)
    assert entries, "the runs wrote a cache"
    for entry in entries:
        assert isinstance(read_json(entry), list), entry
    records = _run_records(tmp_path)
    assert len(records) == 1, records
    assert len(read_json(records[0])["entries"]) == 25  # type: ignore[index]  # every file but broken.py (ASL001)
    assert not [p for p in (tmp_path / CACHE).rglob("*") if p.suffix == ".tmp"], "no temporary entry left behind"
    assert _check(tmp_path).stdout == reference.stdout


def test_corrupt_cache_entries_are_ignored_and_rebuilt(tmp_path: Path) -> None:
    _tree(tmp_path)
    reference = _check(tmp_path)
    entries = _entries(tmp_path)
    garbage = [
        b"",
        b"\x00\xff\xfe not json",
        b'[{"code": "ASL300", "message": "trunc',
        b'{"not": "a list"}',
        b"[1, 2, 3]",
        b'[{"code": "ASL300"}]',
        b'[{"code": "ASL300", "message": "m", "filename": "f", "location": {"row": "x", "column": 1}, "end_location": {"row": 1, "column": 1}}]',
        b'[{"code": "ASL300", "message": "m", "filename": "f", "location": {"row": 1, "column": 1}, "end_location": {"row": 1, "column": 1}, "fix": {"applicability": "maybe", "message": "", "edits": []}}]',
        b'[{"code": "ASL999", "message": "from nowhere", "filename": "f", "location": {"row": 1, "column": 1}, "end_location": {"row": 1, "column": 1}}]',
        b"null",
    ]
    for index, entry in enumerate(entries):
        _write_garbage(entry, garbage[index % len(garbage)], tmp_path)
    for record in _run_records(tmp_path):
        record.unlink()  # else the run record answers, and the entries are not read at all
    again = _check(tmp_path)
    assert "Traceback" not in again.stderr, again.stderr
    assert (again.returncode, again.stdout) == (reference.returncode, reference.stdout)
    rebuilt = _entries(tmp_path)
    assert len(rebuilt) >= len(entries)
    for entry in rebuilt:
        data = read_json(entry)
        assert isinstance(data, list) and all(item["code"] != "ASL999" for item in data)


def test_corrupt_run_records_are_ignored_and_rebuilt(tmp_path: Path) -> None:
    _tree(tmp_path)
    reference = _check(tmp_path)
    (record,) = _run_records(tmp_path)
    good = read_json(record)
    assert isinstance(good, dict)
    poisoned_findings = {path: [module, package, [{"code": "ASL999"}], ids] for path, (module, package, _, ids) in good["entries"].items()}
    garbage = [
        b"",
        b"\x00\xff not json",
        b"[]",
        json.dumps({**good, "format": 0}).encode(),
        json.dumps({**good, "paths": []}).encode(),  # stamp ids that point nowhere
        json.dumps({**good, "stamps": {}}).encode(),  # stamps missing: nothing can be shown unchanged
        json.dumps({**good, "entries": poisoned_findings}).encode(),  # a code no rule has
        json.dumps({**good, "entries": {path: [1, 2] for path in good["entries"]}}).encode(),
    ]
    for data in garbage:
        _write_garbage(record, data, tmp_path)
        again = _check(tmp_path)
        assert "Traceback" not in again.stderr, (data[:60], again.stderr)
        assert (again.returncode, again.stdout) == (reference.returncode, reference.stdout), data[:60]
        assert read_json(record)["format"] == good["format"], "the record was rebuilt"  # type: ignore[index]


def test_unreadable_cache_directory_is_not_an_error(tmp_path: Path) -> None:
    _tree(tmp_path, count=6)
    (tmp_path / CACHE).write_text("a file where the cache directory should be\n")
    process = _check(tmp_path)
    reference = _check(tmp_path, "--no-cache")
    assert (process.returncode, process.stdout) == (reference.returncode, reference.stdout)
    assert "Traceback" not in process.stderr


VERSIONED_CLI = (
    "import sys\n"
    "import async_lint\n"
    "async_lint.__version__ = sys.argv.pop(1)\n"
    "import async_lint.engine.cache as cache\n"
    "cache.__version__ = async_lint.__version__\n"
    "cache.code_fingerprint.cache_clear()\n"
    "from async_lint.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _versioned(tmp_path: Path, version: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", VERSIONED_CLI, version, "check", "-j", "1", "."],
        cwd=tmp_path, env=environment(), capture_output=True, text=True, timeout=300,
    )


def test_cache_of_another_version_is_ignored(tmp_path: Path) -> None:
    """Entries written by version 0.0.1 (here: poisoned with a finding that is not there) are
    never read by version 0.0.2, whose entries live elsewhere and are keyed on the version."""
    _tree(tmp_path, count=6)
    reference = _check(tmp_path, "--no-cache")
    old = _versioned(tmp_path, "0.0.1")
    assert old.stdout == reference.stdout
    poisoned = {
        "code": "ASL300", "message": "poisoned entry", "filename": "x",
        "location": {"row": 1, "column": 1}, "end_location": {"row": 1, "column": 2}, "fix": None,
    }
    old_entries = sorted((tmp_path / CACHE / "0.0.1").rglob("*.json"))
    assert old_entries
    for entry in old_entries:
        if "runs" not in entry.parts:
            _write_entry(entry, [poisoned], tmp_path)
        else:
            entry.unlink()
    assert "poisoned entry" in _versioned(tmp_path, "0.0.1").stdout  # the cache is really read
    new = _versioned(tmp_path, "0.0.2")
    assert (new.returncode, new.stdout) == (reference.returncode, reference.stdout)
    assert sorted((tmp_path / CACHE / "0.0.2").rglob("*.json"))


def test_fix_does_not_trust_the_cache(tmp_path: Path) -> None:
    """A (poisoned) cache entry never drives `--fix`: fixes come from a fresh check."""
    (tmp_path / "a.py").write_text(SLEEPY.format(n=1))
    _check(tmp_path)
    for entry in _entries(tmp_path):
        _write_entry(entry, [], tmp_path)
    for record in _run_records(tmp_path):
        record.unlink()
    assert _check(tmp_path).returncode == 0  # the poisoned entry is used by plain checks...
    _check(tmp_path, "--fix", "--unsafe-fixes")
    assert "await asyncio.sleep(1)" in (tmp_path / "a.py").read_text()  # ...but not by --fix
