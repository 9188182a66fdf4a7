"""The command line a ruff user reaches for: ruff's flag names and behaviour, ruff's JSON keys,
one meaning for `[*]`, and ruff's words for fixes (`fix`, `unsafe fix`, `suggestion`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import IO, Any

import pytest

from async_lint.engine.version_gate import module_names, needed_python
from tests.helpers import environment, run_cli

SLEEP = "import asyncio\nimport time\n\n\nasync def handler():\n    time.sleep(1)\n"
"""Imports asyncio: the module says which library its fix may use."""
HTTP = "import requests\n\n\nasync def fetch(url):\n    return requests.get(url)\n"
CONFIGURED = "import mycompany.db\n\n\nasync def handler():\n    return mycompany.db.query()\n"
RUFF_JSON_KEYS = {"cell", "code", "end_location", "filename", "fix", "location", "message", "noqa_row", "url"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.async-lint]\nblocking-calls = { "mycompany.db.query" = "mycompany.db.aquery" }\n'
    )
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "sleep.py").write_text(SLEEP)
    (tmp_path / "app" / "http.py").write_text(HTTP)
    (tmp_path / "app" / "configured.py").write_text(CONFIGURED)
    return tmp_path


def _json(*args: str, cwd: Path) -> list[dict[str, Any]]:
    result = run_cli("check", "--no-cache", "--output-format", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def test_output_format_and_its_format_alias_agree(project: Path) -> None:
    new = run_cli("check", "--no-cache", "--output-format", "json", ".", cwd=project)
    old = run_cli("check", "--no-cache", "--format", "json", ".", cwd=project)
    assert new.stdout == old.stdout and json.loads(new.stdout)


def test_json_has_every_key_of_ruffs_json(project: Path) -> None:
    findings = _json(".", cwd=project)
    assert findings and all(RUFF_JSON_KEYS <= set(f) for f in findings)
    assert {f["cell"] for f in findings} == {None}
    assert all(set(f["fix"]) == {"applicability", "edits", "message"} for f in findings if f["fix"])


def test_noqa_row_is_where_a_comment_can_go(tmp_path: Path) -> None:
    (tmp_path / "prompt.py").write_text(
        'import time\n\n\nasync def f():\n    time.sleep("""\n    a\n    """)\n    time.sleep(1); x = """\n    """\n'
    )
    rows = [(f["location"]["row"], f["noqa_row"]) for f in _json("prompt.py", cwd=tmp_path)]
    assert rows == [(5, 7), (8, 9)]


def test_star_marks_safe_fixes_only(project: Path) -> None:
    result = run_cli("check", "--no-cache", "--unsafe-fixes", "--statistics", "-q", ".", cwd=project)
    lines = result.stdout.splitlines()
    assert any(line.startswith("app/sleep.py:6:5: ASL300 [*] ") for line in lines)
    assert any(line.startswith("app/http.py:5:12: ASL301 `requests.get()`") for line in lines)
    assert "    1  ASL301      blocking-http" in lines
    assert "    1  ASL300  [*] blocking-sleep" in lines


def test_fix_kinds_use_ruffs_words_in_text_github_and_flake8(project: Path) -> None:
    text = run_cli("check", "--no-cache", ".", cwd=project).stdout
    assert "    unsafe fix: Run it in a worker thread" in text
    assert "    suggestion: Use `mycompany.db.aquery`" in text
    github = run_cli("check", "--no-cache", "--output-format", "github", ".", cwd=project).stdout
    assert "%0Aunsafe fix: Run it in a worker thread" in github
    assert "%0Asuggestion: Use `mycompany.db.aquery`" in github
    assert "%0Afix: Replace with `await asyncio.sleep(1)`" in github


def test_show_fixes_lists_the_fixes_on_offer_then_the_fixes_made(project: Path) -> None:
    offered = run_cli("check", "--no-cache", "--show-fixes", ".", cwd=project).stdout
    assert "1 fix (`--fix`):\n- app/sleep.py:\n    1 × ASL300 (blocking-sleep)\n" in offered
    assert "1 unsafe fix (`--fix --unsafe-fixes`):\n- app/http.py:\n    1 × ASL301 (blocking-http)\n" in offered
    assert "1 suggestion (shown, never applied):\n- app/configured.py:\n    1 × ASL304 (blocking-call)\n" in offered
    fixed = run_cli("check", "--no-cache", "--fix", "--show-fixes", ".", cwd=project).stdout
    assert "Fixed 1 error:\n- app/sleep.py:\n    1 × ASL300 (blocking-sleep)\n" in fixed


def test_exit_non_zero_on_fix(tmp_path: Path) -> None:
    (tmp_path / "sleep.py").write_text(SLEEP)
    assert run_cli("check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "sleep.py", cwd=tmp_path).returncode == 1
    assert run_cli("check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "sleep.py", cwd=tmp_path).returncode == 0
    (tmp_path / "again.py").write_text(SLEEP)
    assert run_cli("check", "--no-cache", "--fix", "again.py", cwd=tmp_path).returncode == 0


def test_add_noqa_keeps_comments_and_merges_codes(tmp_path: Path) -> None:
    source = textwrap.dedent(
        '''\
        import asyncio
        import time


        async def handler():
            time.sleep(1)  # slow on purpose
            time.sleep(2)  # noqa: E501
            asyncio.run(asyncio.sleep(0)); time.sleep(3)
            x = "# noqa"; time.sleep(4)
        '''
    )
    (tmp_path / "app.py").write_text(source)
    result = run_cli("check", "--no-cache", "--add-noqa", "app.py", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "Added 4 noqa directives.\n")
    assert (tmp_path / "app.py").read_text().splitlines()[5:] == [
        "    time.sleep(1)  # slow on purpose  # noqa: ASL300",
        "    time.sleep(2)  # noqa: E501, ASL300",
        "    asyncio.run(asyncio.sleep(0)); time.sleep(3)  # noqa: ASL200, ASL300",
        '    x = "# noqa"; time.sleep(4)  # noqa: ASL300',
    ]
    assert run_cli("check", "--no-cache", "app.py", cwd=tmp_path).stdout == "All checks passed!\n"
    assert run_cli("check", "--no-cache", "--add-noqa", "app.py", cwd=tmp_path).stderr == "Added 0 noqa directives.\n"


def test_noqa_is_read_from_comments_only(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text('import time\n\n\nasync def f():\n    print("# noqa"); time.sleep(1)\n')
    assert [f["code"] for f in _json("app.py", cwd=tmp_path)] == ["ASL300"]


@pytest.mark.parametrize(
    ("header", "left"),
    [
        ("# async-lint: noqa", []),
        ("# async-lint: noqa: ASL300", ["ASL301"]),
        ("# async-lint: noqa: ASL3", []),
        ('x = "# async-lint: noqa"', ["ASL300", "ASL301"]),
        ("y = 1  # async-lint: noqa", ["ASL300", "ASL301"]),
    ],
)
def test_file_level_noqa(tmp_path: Path, header: str, left: list[str]) -> None:
    (tmp_path / "app.py").write_text(f"{header}\nimport time\nimport requests\n\n\nasync def f():\n    time.sleep(1)\n    requests.get('u')\n")
    assert [f["code"] for f in _json("app.py", cwd=tmp_path)] == left


def test_per_file_ignores_and_extend_exclude_on_the_command_line(project: Path) -> None:
    codes = {f["code"] for f in _json("--per-file-ignores", "app/sleep.py:ASL300,app/http.py:ASL3", ".", cwd=project)}
    assert codes == {"ASL304"}
    files = run_cli("check", "--show-files", "--extend-exclude", "app/http.py,configured.py", ".", cwd=project).stdout
    assert files == f"{project / 'app' / 'sleep.py'}\n"
    assert {f["code"] for f in _json("--extend-exclude", "app/http.py", ".", cwd=project)} == {"ASL300", "ASL304"}


def test_show_settings_resolves_config_and_command_line(project: Path) -> None:
    result = run_cli(
        "check", "--show-settings", "--extend-per-file-ignores", "tests/*:ASL300", "--target-version", "py39", ".", cwd=project
    )
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert f"# configuration file: {project / 'pyproject.toml'}" in lines
    assert 'per-file-ignores = { "tests/*" = ["ASL300"] }' in lines
    assert 'blocking-calls = { "mycompany.db.query" = "mycompany.db.aquery" }' in lines
    assert 'target-version = "py39"' in lines
    assert "[tool.async-lint]" in lines


def test_cache_dir(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    cache = tmp_path_factory.mktemp("elsewhere") / "cache"
    run_cli("check", "--cache-dir", str(cache), ".", cwd=project)
    assert cache.is_dir() and not (project / ".async_lint_cache").exists()


def test_target_version_makes_newer_fixes_suggestions(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "app"\nrequires-python = ">=3.8"\n')
    [http] = [f for f in _json("app/http.py", cwd=project)]
    assert http["fix"]["applicability"] == "suggestion"
    assert http["fix"]["message"].endswith("(needs Python 3.9+; the target is 3.8)")
    [newer] = _json("--target-version", "py39", "app/http.py", cwd=project)
    assert newer["fix"]["applicability"] == "unsafe"


def test_version_gate_counts_only_what_the_fix_adds() -> None:
    names = module_names("import asyncio as aio\n")
    assert needed_python("f(x)", "await aio.to_thread(f, x)", names) == (3, 9)
    assert needed_python("with x:", "async with aio.TaskGroup():", names) == (3, 11)
    assert needed_python("aio.timeout(1)", "await aio.timeout(1)", names) is None


def test_modes_that_cannot_be_combined(project: Path) -> None:
    result = run_cli("check", "--watch", "--diff", ".", cwd=project)
    assert (result.returncode, result.stderr) == (2, "async-lint: error: these cannot be combined: --diff, --watch\n")


def test_watch_checks_again_after_a_change(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SLEEP)
    env = {**environment(), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "async_lint", "check", "--watch", "app.py"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        # As from a terminal: a test runner's worker may ignore SIGINT, and a child inherits that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        assert _read_until(process.stdout, "Found 1 error").startswith("app.py:6:5: ASL300")
        (tmp_path / "app.py").write_text(SLEEP.replace("time.sleep(1)", "print(1)"))
        assert "All checks passed!" in _read_until(process.stdout, "All checks passed!")
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0


def _read_until(stream: IO[str], marker: str) -> str:
    lines = []
    for line in stream:
        lines.append(line)
        if marker in line:
            return "".join(lines)
    raise AssertionError(f"the stream ended before {marker!r}: {''.join(lines)}")


def test_requires_python_is_read_without_an_async_lint_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = "~=3.10"\n')
    result = run_cli("check", "--show-settings", ".", cwd=tmp_path)
    assert "# target Python: 3.10 (a fix that needs a newer one is only suggested)" in result.stdout.splitlines()
    assert os.path.exists(tmp_path / "pyproject.toml")


def test_command_line_settings_apply_to_every_closest_configuration(tmp_path: Path) -> None:
    """A subproject with its own table gets its own configuration (main's closest-configuration
    rule), and the command line's exclusions, per-file ignores and target apply to it too."""
    (tmp_path / "pyproject.toml").write_text("[tool.async-lint]\n")
    (tmp_path / "top.py").write_text(SLEEP)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[tool.async-lint]\nextend-exclude = ["skipped.py"]\n')
    (sub / "app.py").write_text(SLEEP)
    (sub / "skipped.py").write_text(SLEEP)
    (sub / "other.py").write_text(HTTP)
    def found(*args: str) -> set[tuple[str, str]]:
        return {(Path(f["filename"]).relative_to(tmp_path).as_posix(), f["code"]) for f in _json(*args, ".", cwd=tmp_path)}

    assert found() == {
        ("top.py", "ASL300"),
        ("sub/app.py", "ASL300"),
        ("sub/other.py", "ASL301"),
    }
    assert found("--extend-exclude", "other.py", "--per-file-ignores", "app.py:ASL300") == {("top.py", "ASL300")}
    [http] = _json("--target-version", "py38", "sub/other.py", cwd=tmp_path)
    assert http["fix"]["applicability"] == "suggestion"


def test_the_closest_requires_python_is_the_target_in_every_directory(tmp_path: Path) -> None:
    """Without a table, each directory's target is its closest `requires-python`, whichever
    directory the resolver met first."""
    from async_lint.config import ConfigResolver

    (tmp_path / "pyproject.toml").write_text('[project]\nname = "outer"\nrequires-python = ">=3.8"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "inner"\nrequires-python = ">=3.12"\n')
    resolver = ConfigResolver()
    assert resolver.for_directory(tmp_path).rule_options.python == (3, 8)
    assert resolver.for_directory(inner).rule_options.python == (3, 12)
    assert resolver.for_directory(tmp_path).rule_options.python == (3, 8)
