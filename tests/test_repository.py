"""What the repository promises about itself: it passes its own linter."""

from __future__ import annotations

from tests.helpers import REPO, run_cli


def test_the_repository_passes_its_own_check() -> None:
    result = run_cli("check", "--no-cache", cwd=REPO)
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n"), result.stdout[-3000:]


def test_the_example_project_still_reports_its_mistakes() -> None:
    """It is excluded from the repository's check, and has a configuration of its own."""
    result = run_cli("check", "--no-cache", "examples/", cwd=REPO)
    assert result.returncode == 1 and " ASL" in result.stdout
