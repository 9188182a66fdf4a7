"""The `async-lint` command as users run it: formats, exit codes, fixes, configuration."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.helpers import run_cli

BLOCKING = textwrap.dedent(
    """\
    import asyncio
    import time

    async def handler():
        time.sleep(1)
    """
)
UNKNOWN_LIBRARY = "import time\n\n\nasync def handler():\n    time.sleep(1)\n"
"""Nothing in it says whether it runs on asyncio, trio or anyio: the fix is not safe."""
CLEAN = "import asyncio\n\n\nasync def handler():\n    await asyncio.sleep(1)\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.async-lint]\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "routes.py").write_text(BLOCKING)
    (tmp_path / "app" / "ok.py").write_text(CLEAN)
    return tmp_path


def test_text_output_and_exit_status(project: Path) -> None:
    result = run_cli("check", "--no-cache", ".", cwd=project)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "app/routes.py:5:5: ASL300 [*] `time.sleep()` inside `async def handler` blocks the event loop; use `await asyncio.sleep(...)`",
        "    fix: Replace with `await asyncio.sleep(1)`",
    ]
    assert "Found 1 error (1 fixable with `--fix`)." in result.stdout


def test_clean_project_exits_zero(project: Path) -> None:
    result = run_cli("check", "--no-cache", "app/ok.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")


def test_exit_zero(project: Path) -> None:
    assert run_cli("check", "--no-cache", "--exit-zero", ".", cwd=project).returncode == 0


def test_default_path_is_current_directory(project: Path) -> None:
    result = run_cli("check", "--no-cache", cwd=project)
    assert result.returncode == 1 and "app/routes.py:5:5: ASL300" in result.stdout


def test_python_dash_m_and_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("async-lint ")


def test_json_output_has_ruffs_shape(project: Path) -> None:
    result = run_cli("check", "--no-cache", "--format", "json", ".", cwd=project)
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)
    assert finding["code"] == "ASL300"
    assert finding["filename"] == str(project / "app" / "routes.py")
    assert finding["location"] == {"row": 5, "column": 5}
    assert finding["end_location"] == {"row": 5, "column": 18}
    assert finding["url"].endswith("/ASL300.md")
    assert finding["fix"]["applicability"] == "safe"
    assert finding["fix"]["edits"] == [
        {"content": "await asyncio", "location": {"row": 5, "column": 5}, "end_location": {"row": 5, "column": 9}},
    ]


def test_github_annotations(project: Path) -> None:
    result = run_cli("check", "--no-cache", "--format", "github", ".", cwd=project)
    line = result.stdout.splitlines()[0]
    assert line.startswith("::error file=app/routes.py,line=5,col=5,endLine=5,endColumn=18,title=ASL300::ASL300 `time.sleep()`")
    assert "%0Afix: Replace with `await asyncio.sleep(1)`" in line


def test_statistics(project: Path) -> None:
    result = run_cli("check", "--no-cache", "--statistics", ".", cwd=project)
    assert "    1  ASL300  [*] blocking-sleep" in result.stdout.splitlines()


def test_diff_writes_nothing(project: Path) -> None:
    result = run_cli("check", "--no-cache", "--diff", ".", cwd=project)
    assert result.returncode == 1
    assert "+    await asyncio.sleep(1)\n" in result.stdout
    assert "-    time.sleep(1)\n" in result.stdout
    assert (project / "app" / "routes.py").read_text() == BLOCKING


def test_fix_writes_and_second_run_is_clean(project: Path) -> None:
    result = run_cli("check", "--no-cache", "--fix", ".", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Found 1 error (1 fixed, 0 remaining)." in result.stdout
    assert (project / "app" / "routes.py").read_text() == BLOCKING.replace("time.sleep(1)", "await asyncio.sleep(1)")
    again = run_cli("check", "--no-cache", "--fix", ".", cwd=project)
    assert again.returncode == 0 and "All checks passed!" in again.stdout


def test_a_module_of_unknown_library_gets_the_fix_as_unsafe(project: Path) -> None:
    (project / "app" / "routes.py").write_text(UNKNOWN_LIBRARY)
    result = run_cli("check", "--no-cache", ".", cwd=project)
    assert result.stdout.splitlines()[:2] == [
        "app/routes.py:5:5: ASL300 `time.sleep()` inside `async def handler` blocks the event loop; use `await asyncio.sleep(...)`",
        "    unsafe fix: Replace with `await asyncio.sleep(1)` (not safe: nothing in the module says whether it runs on asyncio, trio or anyio)",
    ]
    assert run_cli("check", "--no-cache", "--fix", ".", cwd=project).returncode == 1
    assert (project / "app" / "routes.py").read_text() == UNKNOWN_LIBRARY
    assert run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", ".", cwd=project).returncode == 0
    assert (project / "app" / "routes.py").read_text() == "import asyncio\n" + UNKNOWN_LIBRARY.replace("time.sleep(1)", "await asyncio.sleep(1)")


def test_select_and_ignore(project: Path) -> None:
    assert run_cli("check", "--no-cache", "--select", "ASL2", ".", cwd=project).returncode == 0
    assert run_cli("check", "--no-cache", "--ignore", "ASL300", ".", cwd=project).returncode == 0
    assert run_cli("check", "--no-cache", "--select", "ASL300", ".", cwd=project).returncode == 1


def test_unknown_code_is_a_usage_error(project: Path) -> None:
    result = run_cli("check", "--no-cache", "--select", "ASL999", ".", cwd=project)
    assert result.returncode == 2
    assert "unknown rule code or prefix 'ASL999'" in result.stderr


def test_config_file_ignores_and_excludes(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.async-lint]\nper-file-ignores = { "app/routes.py" = ["ASL300"] }\n'
    )
    assert run_cli("check", "--no-cache", ".", cwd=project).returncode == 0
    (project / "pyproject.toml").write_text('[tool.async-lint]\nextend-exclude = ["app/routes.py"]\n')
    assert run_cli("check", "--no-cache", ".", cwd=project).returncode == 0
    # A file named explicitly is checked even when excluded, unless --force-exclude.
    assert run_cli("check", "--no-cache", "app/routes.py", cwd=project).returncode == 1
    assert run_cli("check", "--no-cache", "--force-exclude", "app/routes.py", cwd=project).returncode == 0


def test_config_is_found_walking_up_from_the_checked_path(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.async-lint]\nignore = ["ASL300"]\n')
    assert run_cli("check", "--no-cache", str(project / "app")).returncode == 0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("selct = ['ASL']", "unknown key 'selct' (did you mean 'select'?)"),
        ("select = 'ASL300'", "select: expected a list of strings, got 'ASL300'"),
        ("select = [", "not valid TOML"),
    ],
)
def test_malformed_config_names_the_problem(project: Path, table: str, message: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.async-lint]\n{table}\n")
    result = run_cli("check", "--no-cache", ".", cwd=project)
    assert result.returncode == 2
    assert message in result.stderr


def test_explicit_config_option(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "custom.toml"
    other.write_text('ignore = ["ASL300"]\n')
    assert run_cli("check", "--no-cache", "--config", str(other), ".", cwd=project).returncode == 0


def test_gitignored_files_are_skipped(project: Path) -> None:
    (project / ".git").mkdir()
    (project / ".gitignore").write_text("app/routes.py\n")
    assert run_cli("check", "--no-cache", ".", cwd=project).returncode == 0
    (project / "build").mkdir()
    (project / "build" / "gen.py").write_text(BLOCKING)
    (project / ".venv").mkdir()
    (project / ".venv" / "lib.py").write_text(BLOCKING)
    assert run_cli("check", "--no-cache", ".", cwd=project).returncode == 0


def test_noqa(project: Path) -> None:
    (project / "app" / "routes.py").write_text(BLOCKING.replace("time.sleep(1)", "time.sleep(1)  # noqa: ASL300"))
    assert run_cli("check", "--no-cache", ".", cwd=project).returncode == 0
    (project / "app" / "routes.py").write_text(BLOCKING.replace("time.sleep(1)", "time.sleep(1)  # noqa: E501"))
    assert run_cli("check", "--no-cache", ".", cwd=project).returncode == 1
    (project / "app" / "routes.py").write_text(BLOCKING.replace("time.sleep(1)", "time.sleep(1)  # noqa"))
    assert run_cli("check", "--no-cache", ".", cwd=project).returncode == 0


def test_stdin(project: Path) -> None:
    result = run_cli("check", "--stdin-filename", "app/typed.py", stdin=BLOCKING, cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith("app/typed.py:5:5: ASL300")
    fixed = run_cli("check", "--fix", "--stdin-filename", "app/typed.py", stdin=BLOCKING, cwd=project)
    assert fixed.stdout.startswith("import asyncio\nimport time\n")
    assert "await asyncio.sleep(1)" in fixed.stdout


def test_bad_files_do_not_stop_the_run(project: Path) -> None:
    (project / "app" / "broken.py").write_text("def f(:\n")
    (project / "app" / "binary.py").write_bytes(b"\x00\x01\x02")
    result = run_cli("check", "--no-cache", ".", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "app/broken.py:1:7: ASL001 SyntaxError: invalid syntax" in lines
    assert "app/binary.py:1:1: ASL002 binary file (contains NUL bytes), not Python source" in lines
    assert any(line.startswith("app/routes.py:5:5: ASL300") for line in lines)
    assert "2 files not fully checked: 1 ASL001 syntax-error, 1 ASL002 unreadable-file." in lines


def test_ignore_never_silences_infrastructure_codes(project: Path) -> None:
    (project / "app" / "broken.py").write_text("def f(:\n")
    result = run_cli("check", "--no-cache", "--ignore", "ASL001", ".", cwd=project)
    assert "ASL001" in result.stdout


def test_output_file(project: Path) -> None:
    result = run_cli("check", "--no-cache", "--format", "json", "--output-file", "report.json", ".", cwd=project)
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads((project / "report.json").read_text())[0]["code"] == "ASL300"


def test_jobs_give_the_same_findings(project: Path) -> None:
    for i in range(12):
        (project / "app" / f"copy{i}.py").write_text(BLOCKING)
    one = run_cli("check", "--no-cache", "--jobs", "1", "--format", "json", ".", cwd=project)
    two = run_cli("check", "--no-cache", "--jobs", "2", "--format", "json", ".", cwd=project)
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert len(json.loads(one.stdout)) == 13


def test_cache_gives_the_same_findings(project: Path) -> None:
    cold = run_cli("check", "--format", "json", ".", cwd=project)
    assert (project / ".async_lint_cache" / ".gitignore").read_text().endswith("*\n")
    warm = run_cli("check", "--format", "json", ".", cwd=project)
    assert json.loads(cold.stdout) == json.loads(warm.stdout)


def test_rules_and_rule_commands() -> None:
    listing = run_cli("rules")
    assert listing.returncode == 0
    assert any(line.startswith("ASL300  blocking-sleep") for line in listing.stdout.splitlines())
    page = run_cli("rule", "ASL300")
    assert page.returncode == 0 and page.stdout.startswith("# ASL300: blocking-sleep\n")
    assert run_cli("rule", "blocking-sleep").stdout == page.stdout
    assert run_cli("rule", "ASL999").returncode == 2
