"""`--fix` on real code with planted mistakes: installed packages' files are copied, a mistake
spread over several lines with comments goes into each `async def`, and the fix run (of the
planted rules) must touch the planted lines and no other line (no re-indented neighbour, no
moved comment)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.planting import PLANTS, plant_mistakes, touched_rows

PACKAGES = ("anyio", "httpx")
FILES_PER_PACKAGE = 8
CONFIG = "[tool.async-lint]\nrespect-gitignore = false\n"


def _copies(tmp_path: Path) -> list[Path]:
    """Up to FILES_PER_PACKAGE files with `async def`s of each installed package, copied."""
    copies: list[Path] = []
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.submodule_search_locations is None:
            continue
        root = Path(next(iter(spec.submodule_search_locations)))
        sources = [p for p in sorted(root.rglob("*.py")) if "async def" in p.read_text(encoding="utf-8")]
        for source in sources[:FILES_PER_PACKAGE]:
            target = tmp_path / "corpus" / name / source.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            copies.append(target)
    return copies


def _without_added_imports(before: str, after: str) -> str:
    """`after` without the module-level imports a fix added (`import functools` for a trio
    module's `functools.partial(...)`): a fix may need a name, and that line is its own."""
    old = set(before.splitlines())
    return "".join(line for line in after.splitlines(keepends=True) if not (line.startswith("import ") and line.rstrip("\r\n") not in old))


def test_fix_touches_only_the_planted_lines(tmp_path: Path) -> None:
    files = _copies(tmp_path)
    if not files:
        pytest.skip(f"none of {PACKAGES} is installed")
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    shutil.copytree(tmp_path / "corpus", tmp_path / "unplanted" / "corpus")
    planted = {path: plant_mistakes(path) for path in files}
    planted_text = {path: path.read_text(encoding="utf-8") for path in files}
    assert {code for p in planted.values() for code in p.codes} == {plant.code for plant in PLANTS}

    planted_rules = ",".join(plant.code for plant in PLANTS)
    baseline = run_cli("check", "--no-cache", "--select", planted_rules, "corpus", cwd=tmp_path / "unplanted")
    assert baseline.returncode == 0, "the copies have findings of their own: " + baseline.stdout[-2000:]

    found = json.loads(run_cli("check", "--no-cache", "--select", planted_rules, "--format", "json", "corpus", cwd=tmp_path).stdout)
    assert found, "no planted mistake was found"
    assert [f for f in found if f["location"]["row"] not in planted[Path(f["filename"])].rows] == []
    assert {f["code"] for f in found} == {plant.code for plant in PLANTS}

    result = run_cli("check", "--no-cache", "--select", planted_rules, "--fix", "--unsafe-fixes", "corpus", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert f"({len(found)} fixed, 0 remaining)" in result.stdout, result.stdout[-2000:]

    outside = {
        path.relative_to(tmp_path).as_posix(): sorted(
            touched_rows(planted_text[path], _without_added_imports(planted_text[path], path.read_text(encoding="utf-8")))
            - planted[path].rows
        )
        for path in files
    }
    assert {name: rows for name, rows in outside.items() if rows} == {}
    for path in files:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")

    again = run_cli("check", "--no-cache", "--select", planted_rules, "--fix", "--unsafe-fixes", "corpus", cwd=tmp_path)
    assert again.stdout == "All checks passed!\n", again.stdout[-2000:]
