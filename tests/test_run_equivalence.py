"""The same findings however a run is made (issue 7): cold with one process or two, warm from
the cache, and incremental after an edit that changes nothing and after one that changes a
dependent file's findings, each compared with a cold one-process run of the same tree.

The project is `tests/projects/chain_app` (ASL202, ASL305 across modules) plus generated
modules whose coroutines other modules call without awaiting (ASL100 across modules), enough
files for `--jobs 2` to use the process pool (see `engine/runner.py`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.helpers import REPO, run_cli

PROJECT = REPO / "tests" / "projects" / "chain_app"
GENERATED_PAIRS = 6
"""Each pair is a module of functions and a module that uses them: 12 files, 20 in all."""

Finding = tuple[str, str, int]


def _jobs_module(number: int) -> str:
    return (
        f'"""Generated: a coroutine and a sync function."""\n\n\n'
        f"async def fetch_{number}() -> int:\n    return {number}\n\n\n"
        f"def compute_{number}() -> int:\n    return {number}\n"
    )


def _use_module(number: int) -> str:
    return (
        f'"""Generated: calls into `app.extra.jobs_{number}`."""\n\n'
        f"from app.extra.jobs_{number} import compute_{number}, fetch_{number}\n\n\n"
        f"def start_{number}() -> None:\n    fetch_{number}()\n    compute_{number}()\n\n\n"
        f"async def run_{number}() -> int:\n    return compute_{number}() + await fetch_{number}()\n"
    )


def _make_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns(".async_lint_cache", "__pycache__"))
    extra = root / "app" / "extra"
    extra.mkdir()
    (extra / "__init__.py").write_text("")
    for number in range(GENERATED_PAIRS):
        (extra / f"jobs_{number}.py").write_text(_jobs_module(number))
        (extra / f"use_{number}.py").write_text(_use_module(number))
    return root


def _check(root: Path, *options: str) -> list[dict]:
    result = run_cli("check", "--format", "json", *options, ".", cwd=root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def _reference(root: Path) -> list[dict]:
    return _check(root, "--no-cache", "--jobs", "1")


def _findings(output: list[dict], root: Path) -> set[Finding]:
    return {
        (item["code"], Path(item["filename"]).resolve().relative_to(root.resolve()).as_posix(), item["location"]["row"])
        for item in output
    }


def test_cold_warm_incremental_and_parallel_runs_print_the_same_findings(tmp_path: Path) -> None:
    root = _make_project(tmp_path)
    assert len(list(root.rglob("*.py"))) > 8  # the runner's threshold for the process pool

    reference = _reference(root)
    found = _findings(reference, root)
    assert len(found) >= GENERATED_PAIRS + 2
    assert {code for code, _, _ in found} >= {"ASL100", "ASL202", "ASL305"}
    assert {path for _, path, _ in found} >= {"app/routes.py", *(f"app/extra/use_{n}.py" for n in range(GENERATED_PAIRS))}

    assert _check(root, "--no-cache", "--jobs", "2") == reference
    assert _check(root, "--jobs", "2") == reference  # fills the cache
    assert _check(root, "--jobs", "2") == reference  # warm
    assert _check(root, "--jobs", "1") == reference  # warm, one process

    # An edit that changes no findings.
    with open(root / "app" / "services.py", "a", encoding="utf-8") as stream:
        stream.write("# an edit that changes nothing\n")
    assert _check(root, "--jobs", "2") == _reference(root) == reference

    # Edits of two modules that change the findings of the files importing them: `fetch_0`
    # is no longer a coroutine, `compute_1` becomes one.
    jobs_0, jobs_1 = root / "app" / "extra" / "jobs_0.py", root / "app" / "extra" / "jobs_1.py"
    jobs_0.write_text(jobs_0.read_text().replace("async def fetch_0", "def fetch_0"))
    jobs_1.write_text(jobs_1.read_text().replace("def compute_1", "async def compute_1"))
    incremental = _check(root, "--jobs", "2")
    after = _reference(root)
    assert incremental == after
    assert found - _findings(after, root) == {("ASL100", "app/extra/use_0.py", 7)}
    # `compute_1()` as a statement is ASL100; in `compute_1() + await fetch_1()`, ASL106.
    assert _findings(after, root) - found == {("ASL100", "app/extra/use_1.py", 8), ("ASL106", "app/extra/use_1.py", 12)}
    assert _check(root, "--no-cache", "--jobs", "2") == after
