"""The pre-commit hooks, for real: a throwaway git repo whose `.pre-commit-config.yaml` points
at this checkout (`pre-commit try-repo` uses the working tree as it is)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (REPO / ".git").exists(), reason="`pre-commit try-repo` needs a git checkout (not an sdist)"),
]

BLOCKING = "import asyncio\nimport time\n\n\nasync def handler():\n    time.sleep(1)\n"


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _try_repo(hook: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@e")
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--verbose"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_check_hook_fails_and_fix_hook_repairs(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    repo = tmp_path / "user-project"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / "service.py").write_text(BLOCKING)
    (repo / "clean.py").write_text("async def ok():\n    return 1\n")
    _git("add", ".", cwd=repo)
    home = tmp_path_factory.mktemp("pre-commit-home")

    check = _try_repo("async-lint", repo, home)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "service.py:6:5: ASL300" in check.stdout

    fix = _try_repo("async-lint-fix", repo, home)
    assert fix.returncode == 1, "pre-commit fails a hook that modified files"
    assert "files were modified by this hook" in fix.stdout
    assert (repo / "service.py").read_text() == "import asyncio\nimport time\n\n\nasync def handler():\n    await asyncio.sleep(1)\n"

    _git("add", ".", cwd=repo)
    again = _try_repo("async-lint", repo, home)
    assert again.returncode == 0, again.stdout + again.stderr
