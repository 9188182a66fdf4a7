"""The gates CI runs with the suite: imports only go down the layers (import-linter's contract
in pyproject.toml) and `src/` passes `mypy --strict`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import REPO, SRC, environment


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    env = environment()
    env["PYTHONPATH"] = str(SRC)  # the checkout's own code, not an installed copy
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900, check=False)


@pytest.mark.slow
def test_imports_only_go_down_the_layers() -> None:
    result = _run(sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.slow
def test_src_passes_mypy_strict() -> None:
    result = _run(sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(SRC / "async_lint"))
    assert result.returncode == 0, result.stdout + result.stderr
