"""`flake8 --select ASL` reports what `async-lint check` reports, through the entry point."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import EXAMPLES, REPO, environment, run_cli


def _flake8(*args: str, cwd: Path = REPO, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        env=environment(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_flake8_reports_the_same_findings_as_the_cli() -> None:
    flake8 = _flake8("--select", "ASL", "-j", "1", str(EXAMPLES))
    assert flake8.returncode == 1, flake8.stderr
    from_flake8 = set()
    for line in flake8.stdout.splitlines():
        match = re.match(r"(.+?):(\d+):(\d+): (ASL\d{3}) ", line)
        assert match, line
        from_flake8.add((str(Path(match[1]).resolve()), int(match[2]), int(match[3]), match[4]))
    cli = json.loads(run_cli("check", "--no-cache", "--format", "json", str(EXAMPLES)).stdout)
    from_cli = {(str(Path(d["filename"]).resolve()), d["location"]["row"], d["location"]["column"], d["code"]) for d in cli}
    assert from_flake8 == from_cli
    assert from_cli, "the examples have findings"


def test_flake8_noqa_and_stdin() -> None:
    source = "import time\n\n\nasync def f():\n    time.sleep(1)  # noqa: ASL300\n    time.sleep(2)  # noqa: E501\n"
    result = _flake8("--select", "ASL", "-", stdin=source)
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("stdin:6:5: ASL300 `time.sleep()` inside `async def f` blocks the event loop")


def test_flake8_reads_the_async_lint_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.async-lint]\nignore = ["ASL300"]\n')
    (tmp_path / "app.py").write_text("import time\n\n\nasync def f():\n    time.sleep(1)\n")
    assert _flake8("--select", "ASL", "app.py", cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text("[tool.async-lint]\n")
    assert _flake8("--select", "ASL", "app.py", cwd=tmp_path).returncode == 1


def test_flake8_applies_the_file_level_noqa() -> None:
    """flake8 knows `# flake8: noqa`, not `# async-lint: noqa`: the plugin applies it."""
    source = "# async-lint: noqa: ASL300\nimport time\n\n\nasync def f():\n    time.sleep(1)\n    open('x')\n"
    lines = _flake8("--select", "ASL", "-", stdin=source).stdout.splitlines()
    assert [line.split()[1] for line in lines] == ["ASL302"]


def test_flake8_runs_opt_in_rules_the_config_selects(tmp_path: Path) -> None:
    source = (
        "import httpx\n\n\nasync def f(client: httpx.AsyncClient):\n"
        '    a = await client.get("/a")\n    b = await client.get("/b")\n    return a, b\n'
    )
    (tmp_path / "app.py").write_text(source)
    (tmp_path / "pyproject.toml").write_text("[tool.async-lint]\n")
    assert _flake8("--select", "ASL", "app.py", cwd=tmp_path).returncode == 0
    (tmp_path / "pyproject.toml").write_text('[tool.async-lint]\nextend-select = ["ASL5"]\n')
    selected = _flake8("--select", "ASL", "app.py", cwd=tmp_path)
    assert selected.returncode == 1 and "app.py:5:9: ASL500 " in selected.stdout, selected.stdout + selected.stderr
