"""ASL500/ASL501 beyond their fixtures: opt-in end to end, the Python version a project targets,
and what the analysis shows as a read."""

from __future__ import annotations

from pathlib import Path

import pytest

from async_lint.config import RuleOptions, oldest_python, read_config_file
from async_lint.engine.checker import check_text
from async_lint.rules import build_rule_set
from async_lint.engine.run_settings import FixMode, RunSettings
from async_lint.engine.runner import check_source
from async_lint.engine.source_files import SourceText
from tests.helpers import REPO, run_cli, source_of

SEQUENTIAL = source_of(
    """
    import asyncio
    import httpx

    async def crawl(client: httpx.AsyncClient, urls):
        async with asyncio.TaskGroup() as tg:
            for url in urls:
                tg.create_task(client.get(url))

    async def dashboard(client: httpx.AsyncClient):
        profile = await client.get("/profile")
        orders = await client.get("/orders")
        return profile, orders
    """
)


def _unsafe_fix(text: str, python: tuple[int, int] | None) -> str:
    settings = RunSettings(frozenset({"ASL500"}), RuleOptions(python=python), REPO, fix_mode=FixMode.DIFF, unsafe_fixes=True, rules=build_rule_set)
    result = check_source(SourceText(text, "utf-8"), "example.py", settings)
    assert result.fixed_text is not None
    return result.fixed_text


@pytest.mark.parametrize(("python", "uses_task_group"), [(None, True), ((3, 12), True), ((3, 9), False)])
def test_task_group_only_where_the_project_runs_on_3_11(python: tuple[int, int] | None, uses_task_group: bool) -> None:
    fixed = _unsafe_fix(SEQUENTIAL, python)
    assert ("profile_task = group.create_task(" in fixed) is uses_task_group
    assert ("profile, orders = await asyncio.gather(" in fixed) is not uses_task_group
    compile(fixed, "example.py", "exec")


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [(">=3.11", (3, 11)), (">=3.9,<4", (3, 9)), ("~=3.10", (3, 10)), ("==3.12.*", (3, 12)), ("", None), (3.11, None)],
)
def test_oldest_python(specifier: object, expected: tuple[int, int] | None) -> None:
    assert oldest_python(specifier) == expected


def test_requires_python_reaches_the_rules(tmp_path: Path) -> None:
    file = tmp_path / "pyproject.toml"
    file.write_text('[project]\nname = "app"\nrequires-python = ">=3.10"\n\n[tool.async-lint]\n')
    assert read_config_file(file).rule_options.python == (3, 10)


def test_opt_in_rules_run_only_when_selected(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.async-lint]\n")
    (tmp_path / "app.py").write_text(SEQUENTIAL)
    assert run_cli("check", "--no-cache", ".", cwd=tmp_path).returncode == 0
    selected = run_cli("check", "--no-cache", "--extend-select", "ASL5", ".", cwd=tmp_path)
    assert selected.returncode == 1 and "ASL500" in selected.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.async-lint]\nextend-select = ["ASL500"]\n')
    assert "ASL500" in run_cli("check", "--no-cache", ".", cwd=tmp_path).stdout


def test_a_coroutine_of_another_module_is_unknown(tmp_path: Path) -> None:
    """The module model keeps no bodies: another module's coroutine is not shown to be a read."""
    (tmp_path / "pyproject.toml").write_text('[tool.async-lint]\nextend-select = ["ASL5"]\n')
    (tmp_path / "api.py").write_text(
        source_of(
            """
            import httpx

            client = httpx.AsyncClient()

            async def user(uid):
                return await client.get(f"/users/{uid}")
            """
        )
    )
    (tmp_path / "views.py").write_text(
        source_of(
            """
            from api import user

            async def two(a, b):
                first = await user(a)
                second = await user(b)
                return first, second
            """
        )
    )
    result = run_cli("check", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def test_findings_name_what_shows_each_read() -> None:
    rule_set = build_rule_set(frozenset({"ASL500"}), RuleOptions())
    [finding] = check_text(SEQUENTIAL, "example.py", rule_set)
    assert finding.message.startswith("2 independent reads awaited one after the other (`client.get`, `client.get`)")
    assert [note.message for note in finding.related] == ["then awaited: `client.get` (`httpx.AsyncClient.get`)"]
