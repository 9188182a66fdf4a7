"""A package people can install and trust: its metadata, an sdist whose tests run, and the
GitHub Action, run as GitHub runs its shell steps."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

import async_lint
from tests.helpers import REPO, environment

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
SAMPLE = "import asyncio\nimport time\n\n\nasync def handler():\n    time.sleep(1)\n"


def test_the_version_has_one_source() -> None:
    assert "version" not in PROJECT and PROJECT["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "async_lint.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", async_lint.__version__)
    assert f"## {async_lint.__version__} " in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")


def test_license_urls_and_classifiers() -> None:
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert {"Homepage", "Repository", "Issues", "Changelog"} <= set(PROJECT["urls"])
    minimum = re.fullmatch(r">=3\.(\d+)", PROJECT["requires-python"])
    assert minimum is not None
    versions = {int(c.rsplit(".", 1)[1]) for c in PROJECT["classifiers"] if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)}
    assert min(versions) == int(minimum.group(1))
    assert "Typing :: Typed" in PROJECT["classifiers"]
    assert (REPO / "src" / "async_lint" / "py.typed").exists()


def test_test_extra_and_dependency_group_agree() -> None:
    """The README's `pip install -e ".[test]"` and `pip install --group test` install the same."""
    assert PROJECT["optional-dependencies"]["test"] == PYPROJECT["dependency-groups"]["test"]


@pytest.mark.slow
def test_the_sdist_carries_its_tests_and_they_run(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path / "dist"), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    [sdist] = (tmp_path / "dist").glob("async_lint-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    unpacked = tmp_path / sdist.name.removesuffix(".tar.gz")
    for needed in ("tests/helpers.py", "tests/fixtures/ASL300.py", "tests/fixtures/ASL300.fixed.py", "examples/pyproject.toml", "LICENSE", "action.yml"):
        assert (unpacked / needed).is_file(), f"the sdist lacks {needed}"
    env = {**environment(), "PYTHONPATH": str(unpacked / "src")}
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_fixtures.py", "tests/test_docs.py", "-k", "ASL300 or page"],
        cwd=unpacked,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout.splitlines()[-1]


def _steps() -> list[dict[str, object]]:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    return action["runs"]["steps"]  # type: ignore[no-any-return]


def _inputs(**given: str) -> dict[str, str]:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    return {name: given.get(name, spec.get("default", "")) for name, spec in action["inputs"].items()}


def _expand(value: str, inputs: dict[str, str]) -> str:
    expanded = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], value)
    assert "${{" not in expanded, f"an expression the test does not know: {value}"
    return expanded


def test_the_action_runs_with_inputs_through_the_environment_only() -> None:
    """No `${{ }}` inside a script: an input reaches the shell as a variable, never as code."""
    for step in _steps():
        assert step["shell"] == "bash"
        assert "${{" not in str(step["run"])


@pytest.mark.slow
def test_the_action_annotates_a_sample_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(SAMPLE)
    (project / "ok.py").write_text("import asyncio\n\n\nasync def f():\n    await asyncio.sleep(0)\n")
    inputs = _inputs(args="app.py ok.py")
    runner = {**os.environ, "RUNNER_TEMP": str(tmp_path / "runner"), "GITHUB_ACTION_PATH": str(REPO)}
    (tmp_path / "runner").mkdir()
    runner.pop("PYTHONPATH", None)
    results = []
    for step in _steps():
        env = {**runner, **{key: _expand(str(value), inputs) for key, value in dict(step.get("env", {})).items()}}  # type: ignore[call-overload]
        results.append(subprocess.run(["bash", "-e", "-c", str(step["run"])], cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False))
    install, run = results
    assert install.returncode == 0, install.stderr[-3000:]
    assert run.returncode == 1, run.stderr[-3000:]
    assert run.stdout.splitlines() == [
        "::error file=app.py,line=6,col=5,endLine=6,endColumn=18,title=ASL300::ASL300 `time.sleep()` inside "
        "`async def handler` blocks the event loop; use `await asyncio.sleep(...)`%0Afix: Replace with `await asyncio.sleep(1)`"
    ]
