"""Which files a run checks: gitignore semantics exactly as git's (compared with git itself),
no pattern that takes exponential time, paths named on the command line always checked, and
each file checked with its closest configuration."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from async_lint.config import ConfigResolver
from async_lint.engine.discovery import discover
from async_lint.engine.gitignore import PatternList
from tests.helpers import run_cli

SLEEPY = "import time\n\n\nasync def handler():\n    time.sleep(1)\n"

PATHOLOGICAL = "/".join(["**/a"] * 12) + "/**/b"
"""With a regular-expression translation, matching this against a path 40 `a`s deep
backtracks exponentially (7 `**/a` took 27 s, 12 never finished)."""


def _deep_tree(root: Path, depth: int = 40) -> Path:
    directory = root.joinpath(*["a"] * depth)
    directory.mkdir(parents=True)
    (directory / "deep.py").write_text(SLEEPY)
    return directory


def _checked_names(process: subprocess.CompletedProcess[str]) -> set[str]:
    assert "Traceback" not in process.stderr, process.stderr
    return {Path(item["filename"]).name for item in json.loads(process.stdout)}


def test_pathological_exclude_pattern_finishes(tmp_path: Path) -> None:
    _deep_tree(tmp_path)
    (tmp_path / "pyproject.toml").write_text(f'[tool.async-lint]\nextend-exclude = ["{PATHOLOGICAL}"]\n')
    process = subprocess.run(
        ["timeout", "60", *_cli(), "check", "--no-cache", "--format", "json", "."],
        cwd=tmp_path, capture_output=True, text=True, env=_env(),
    )
    assert process.returncode == 1, process.stderr  # 124 when `timeout` had to stop it
    assert _checked_names(process) == {"deep.py"}


def test_pathological_gitignore_line_finishes(tmp_path: Path) -> None:
    _deep_tree(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(PATHOLOGICAL + "\n")
    process = subprocess.run(
        ["timeout", "60", *_cli(), "check", "--no-cache", "--format", "json", "."],
        cwd=tmp_path, capture_output=True, text=True, env=_env(),
    )
    assert process.returncode == 1, process.stderr
    assert _checked_names(process) == {"deep.py"}


def _cli() -> list[str]:
    import sys

    return [sys.executable, "-m", "async_lint"]


def _env() -> dict[str, str]:
    from tests.helpers import environment

    return environment()


def test_pattern_matching_is_linear_in_the_pattern() -> None:
    patterns = PatternList([PATHOLOGICAL, "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"])
    assert patterns.decide(["a"] * 200 + ["a" * 300], is_dir=False) is None
    assert patterns.decide(["a"] * 200 + ["b"], is_dir=False) is True


# --- exactly git's semantics --------------------------------------------------------------------

GITIGNORE = {
    ".gitignore": [
        "build/",
        "*.gen.py",
        "!keep.gen.py",
        "/rooted.py",
        "docs/**/draft_*.py",
        "**/cache/",
        "lib/**",
        "!lib/public.py",
        "data[0-9].py",
        "\\#hash.py",
        "\\!bang.py",
        "spaced.py\\ ",
        "trail.py   ",
        "vendor",
        "ab?.py",
        "[!x]y.py",
        "**/nested/deep/*.py",
    ],
    "pkg/.gitignore": ["!*.gen.py", "local_*.py", "/only_here.py", "sub/", "!sub2/"],
    "pkg/sub2/.gitignore": ["*", "!*.py", "bad.py"],
    # No line re-includes: names at any depth are one set look-up, the rest matched as usual.
    "docs/.gitignore": ["*.tmp.py", "/anchored_here.py", "gen/", "literal_name.py", "x/**/deep.py"],
}
INFO_EXCLUDE = ["excluded_by_info.py", "secret/"]
FILES = [
    "a.py", "x.gen.py", "keep.gen.py", "rooted.py", "pkg/rooted.py", "build/b.py", "pkg/build/b.py",
    "docs/draft_1.py", "docs/x/y/draft_2.py", "docs/x/final.py", "src/cache/c.py", "cache.py",
    "lib/inner.py", "lib/public.py", "lib/deeper/more.py", "data1.py", "dataX.py", "#hash.py",
    "!bang.py", "spaced.py ", "trail.py", "vendor/v.py", "pkg/vendor", "abc.py", "abcd.py",
    "zy.py", "xy.py", "pkg/y.gen.py", "pkg/local_settings.py", "local_other.py", "pkg/only_here.py",
    "pkg/deeper/only_here.py", "pkg/sub/s.py", "pkg/sub2/ok.py", "pkg/sub2/bad.py",
    "pkg/sub2/notes.txt.py", "excluded_by_info.py", "secret/s.py", "pkg/secret/t.py",
    "a/nested/deep/n.py", "nested/deep/m.py", "pkg/ünïcode.py",
    "docs/a.tmp.py", "docs/anchored_here.py", "docs/x/anchored_here.py", "docs/gen/g.py", "docs/gen.py",
    "docs/x/literal_name.py", "docs/x/y/deep.py", "docs/deep.py",
]


def _write_tree(root: Path) -> None:
    for name, lines in GITIGNORE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("\n".join(lines) + "\n")
    for name in FILES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to compare with")
def test_gitignore_semantics_match_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (home / ".config" / "git").mkdir(parents=True)
    (home / ".config" / "git" / "ignore").write_text("globally_ignored.py\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", str(work)], check=True, env=env)
    (work / ".git" / "info").mkdir(exist_ok=True)
    (work / ".git" / "info" / "exclude").write_text("\n".join(INFO_EXCLUDE) + "\n")
    _write_tree(work)
    (work / "globally_ignored.py").write_text("x = 1\n")
    listed = subprocess.run(
        ["git", "ls-files", "-o", "--exclude-standard", "-z"], cwd=work, capture_output=True, check=True, env=env
    ).stdout.decode("utf-8", "surrogateescape")
    by_git = {name for name in listed.split("\0") if name.endswith(".py")}
    monkeypatch.chdir(work)
    found = discover([Path(".")], ConfigResolver())
    ours = {file.path.as_posix() for file in found.files}
    assert ours == by_git and len(ours) > 12 and "keep.gen.py" in ours and "pkg/sub2/ok.py" in ours


# --- named paths, empty runs, missing paths -----------------------------------------------------


def test_named_directory_matching_a_default_exclude_is_checked(tmp_path: Path) -> None:
    for name in ("env", "build", "venv"):
        (tmp_path / "myapp" / name / "build").mkdir(parents=True)
        (tmp_path / "myapp" / name / "app.py").write_text(SLEEPY)
        (tmp_path / "myapp" / name / "build" / "generated.py").write_text(SLEEPY)
        process = run_cli("check", "--no-cache", "--format", "json", f"myapp/{name}", cwd=tmp_path)
        assert process.returncode == 1
        assert _checked_names(process) == {"app.py"}  # what is below it is still excluded
        forced = run_cli("check", "--no-cache", "--force-exclude", f"myapp/{name}", cwd=tmp_path)
        assert forced.returncode == 0 and "no Python files found" in forced.stderr


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(SLEEPY)
    process = run_cli("check", "--no-cache", "good.py", "missing.py", cwd=tmp_path)
    assert process.returncode == 2
    assert "missing.py: no such file or directory" in process.stderr and process.stdout == ""


def test_no_python_files_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("nothing\n")
    process = run_cli("check", "--no-cache", "docs", cwd=tmp_path)
    assert process.returncode == 0
    assert "warning: no Python files found" in process.stderr


@pytest.mark.parametrize("table", ['ignore = [""]', 'select = [""]', 'extend-select = [" "]', 'per-file-ignores = { "x.py" = [""] }'])
def test_empty_rule_code_is_a_configuration_error(tmp_path: Path, table: str) -> None:
    (tmp_path / "good.py").write_text(SLEEPY)
    (tmp_path / "pyproject.toml").write_text(f"[tool.async-lint]\n{table}\n")
    process = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert process.returncode == 2
    assert "pyproject.toml" in process.stderr and "empty rule code" in process.stderr


def test_selection_that_enables_nothing_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(SLEEPY)
    process = run_cli("check", "--no-cache", "--select", "ASL300", "--ignore", "ASL3", ".", cwd=tmp_path)
    assert process.returncode == 2 and "enables no rule" in process.stderr


# --- configuration ------------------------------------------------------------------------------


def _two_projects(root: Path) -> None:
    for name, ignored in (("a", "ASL300"), ("b", "ASL304")):
        (root / name).mkdir()
        (root / name / "pyproject.toml").write_text(f'[tool.async-lint]\nignore = ["{ignored}"]\n')
        (root / name / "m.py").write_text(SLEEPY + "    input()\n")


def test_each_file_uses_its_closest_configuration_whatever_the_argument_order(tmp_path: Path) -> None:
    _two_projects(tmp_path)
    expected = {("a/m.py", "ASL304"), ("b/m.py", "ASL300")}
    for order in (["a/m.py", "b/m.py"], ["b/m.py", "a/m.py"], ["."], ["b", "a"]):
        process = run_cli("check", "--no-cache", "--format", "json", *order, cwd=tmp_path)
        found = {(Path(item["filename"]).relative_to(tmp_path).as_posix(), item["code"]) for item in json.loads(process.stdout)}
        assert found == expected, order


def test_flake8_and_cli_agree_on_the_closest_configuration(tmp_path: Path) -> None:
    import sys

    from tests.helpers import environment

    _two_projects(tmp_path)
    process = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "ASL", "b/m.py", "a/m.py"],
        cwd=tmp_path, capture_output=True, text=True, env=environment(),
    )
    codes = {(line.split(":")[0], line.split()[1]) for line in process.stdout.splitlines()}
    assert codes == {("a/m.py", "ASL304"), ("b/m.py", "ASL300")}


def test_a_subproject_excludes_with_its_own_patterns(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text('[tool.async-lint]\nextend-exclude = ["generated"]\n')
    for name in ("generated", "kept"):
        (tmp_path / "sub" / name).mkdir()
        (tmp_path / "sub" / name / f"{name}.py").write_text(SLEEPY)
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "top.py").write_text(SLEEPY)
    process = run_cli("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert _checked_names(process) == {"kept.py", "top.py"}


@pytest.mark.parametrize("section", ["async_lint", "asynclint"])
def test_misspelt_section_is_an_error(tmp_path: Path, section: str) -> None:
    (tmp_path / "good.py").write_text(SLEEPY)
    (tmp_path / "pyproject.toml").write_text(f'[tool.{section}]\nignore = ["ASL300"]\n')
    process = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert process.returncode == 2
    assert "pyproject.toml" in process.stderr and f"[tool.{section}]" in process.stderr


def test_unknown_code_in_the_configuration_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(SLEEPY)
    (tmp_path / "pyproject.toml").write_text('[tool.async-lint]\nselect = ["ASL9"]\n')
    process = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert process.returncode == 2
    assert f"{tmp_path / 'pyproject.toml'}: [tool.async-lint] select: unknown rule code or prefix 'ASL9'" in process.stderr
