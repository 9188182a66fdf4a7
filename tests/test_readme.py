"""The README's promises: its rule table is generated from the rules, its quick start is the
one `.ci/run` runs."""

from __future__ import annotations

from async_lint.docs import README_TABLE_START, with_readme_table
from tests.helpers import REPO


def test_rule_table_is_up_to_date() -> None:
    readme = (REPO / "README.md").read_text()
    assert README_TABLE_START in readme
    assert with_readme_table(readme) == readme, "run `python -m async_lint.docs docs/rules`"


def test_quick_start_test_command_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("```console", 1)[1].split("```", 1)[0]
    commands = [line for line in quick_start.strip().splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].endswith("async-lint check examples/")
    ci_script = (REPO / ".ci" / "run").read_text()
    assert commands[1] in ci_script.splitlines()
