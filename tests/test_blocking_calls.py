"""The blocking-call catalog and its options: `blocking-calls` / `allow-blocking` from
`[tool.async-lint]` and from flake8, and the catalog lookup a call-chain rule uses."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from async_lint.config import RuleOptions
from async_lint.engine.checker import check_text
from async_lint.rules import build_rule_set
from async_lint.flake8_plugin import parse_blocking_calls
from async_lint.analysis.blocking_calls import catalog
from async_lint.knowledge.blocking_calls import BlockingFamily, Handoff
from tests.helpers import environment, fix, run_cli

BLOCKING_CODES = frozenset({"ASL300", "ASL301", "ASL302", "ASL303", "ASL304"})

SOURCE = textwrap.dedent(
    """
    import os.path
    import time

    import legacy_db
    from legacy_db import Client

    async def handler(path):
        legacy_db.query("SELECT 1")
        Client().fetch_all()
        time.sleep(1)
        return os.path.exists(path)
    """
)


def findings(options: RuleOptions) -> list[tuple[int, str]]:
    diagnostics = check_text(SOURCE, "example.py", build_rule_set(BLOCKING_CODES, options))
    return [(d.start.row, d.code) for d in diagnostics]


def test_default_catalog() -> None:
    assert findings(RuleOptions()) == [(11, "ASL300"), (12, "ASL302")]


def test_configured_blocking_calls_and_allow_list() -> None:
    options = RuleOptions(
        blocking_calls=(("legacy_db.query", "use `legacy_db.aio.query`"), ("legacy_db.Client.fetch_all", "use `AsyncClient`")),
        allow_blocking=frozenset({"os.path", "time.sleep"}),
    )
    diagnostics = check_text(SOURCE, "example.py", build_rule_set(BLOCKING_CODES, options))
    assert [(d.start.row, d.code) for d in diagnostics] == [(9, "ASL304"), (10, "ASL304")]
    assert "use `legacy_db.aio.query`" in diagnostics[0].message
    assert diagnostics[0].fix is not None and diagnostics[0].fix.edits == ()


def test_catalog_answers_a_chain_rule() -> None:
    known = catalog(RuleOptions())
    entry = known.get("requests.get")
    assert entry is not None and entry.family is BlockingFamily.HTTP and entry.handoff is Handoff.ANY
    assert "httpx.AsyncClient" in entry.replacement
    assert known.get("pathlib.Path.read_text") is not None
    assert known.get("builtins.open").handoff is Handoff.NEVER  # type: ignore[union-attr]
    assert known.get("os.path.join") is None
    assert catalog(RuleOptions(allow_blocking=frozenset({"requests"}))).get("requests.get") is None


def test_cli_reads_options_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.async-lint]
            allow-blocking = ["os.path.exists"]

            [tool.async-lint.blocking-calls]
            "legacy_db.query" = "use `legacy_db.aio.query`"
            """
        )
    )
    (tmp_path / "app.py").write_text(SOURCE)
    result = run_cli("check", "--no-cache", "--select", "ASL3", "app.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "app.py:9:5: ASL304" in result.stdout
    assert "app.py:11:5: ASL300" in result.stdout
    assert "ASL302" not in result.stdout


def test_parse_blocking_calls() -> None:
    assert parse_blocking_calls("a.b = use c; d.e\n f.g=h ") == (
        ("a.b", "use c"),
        ("d.e", "use `await asyncio.to_thread(...)`"),
        ("f.g", "h"),
    )


def test_flake8_options(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SOURCE)
    """Without the options flake8 reports lines 11 and 12, as `test_default_catalog` does."""
    command = [sys.executable, "-m", "flake8", "--isolated", "--select", "ASL", "app.py"]
    configured = subprocess.run(
        [*command, "--async-lint-blocking-calls", "legacy_db.query=use the async driver", "--async-lint-allow-blocking", "os.path,time.sleep"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert configured.stdout.splitlines() == [
        ("app.py:9:5: ASL304 `legacy_db.query()` inside `async def handler` blocks the event loop; "
        "use the async driver (suggestion: Use the async driver)")
    ], configured.stderr


RUNNABLE = textwrap.dedent(
    """
    import json
    import os
    from pathlib import Path

    async def summarize(directory):
        names = os.listdir(directory)
        Path(directory, "summary.json").write_text(json.dumps(sorted(names)))
        with open(Path(directory) / "summary.json") as f:
            data = json.load(f)
        text = Path(directory, "summary.json").read_text()
        return data, text
    """
)


@pytest.mark.runtime
def test_unsafe_to_thread_fix_runs_and_keeps_the_result(tmp_path: Path) -> None:
    fixed = fix(RUNNABLE, BLOCKING_CODES, unsafe=True)
    assert fixed.count("await asyncio.to_thread(") == 4, fixed
    assert "with open(Path(directory)" in fixed  # a context manager: suggestion only
    (tmp_path / "a.txt").write_text("a")
    results = []
    for source in (RUNNABLE, fixed):
        namespace: dict = {}
        exec(compile(source, "example.py", "exec"), namespace)  # noqa: S102 - the test runs its own fixture
        results.append(asyncio.run(namespace["summarize"](str(tmp_path))))  # noqa: ASL203 - a fresh loop per source
        (tmp_path / "summary.json").unlink()
    assert results[0] == results[1] == (["a.txt"], '["a.txt"]')
