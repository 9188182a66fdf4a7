"""The bundled example project: its findings are exactly its `# error:` markers, and `--fix`
repairs what it can in a copy of it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.helpers import EXAMPLES, expected_markers, run_cli


def _markers(root: Path) -> set[tuple[str, int, str]]:
    found = set()
    for path in sorted(root.rglob("*.py")):
        for row, code in expected_markers(path.read_text()):
            found.add((path.relative_to(root).as_posix(), row, code))
    return found


def _findings(root: Path) -> list[dict]:
    result = run_cli("check", "--no-cache", "--format", "json", str(root))
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_findings_are_exactly_the_marked_lines() -> None:
    found = {(Path(d["filename"]).relative_to(EXAMPLES).as_posix(), d["location"]["row"], d["code"]) for d in _findings(EXAMPLES)}
    assert found == _markers(EXAMPLES)


def test_fix_repairs_a_copy(tmp_path: Path) -> None:
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy)
    before = _findings(copy)
    fixable = [d for d in before if d["fix"] is not None and d["fix"]["applicability"] == "safe" and d["fix"]["edits"]]
    assert fixable, "the examples have safely fixable findings"
    result = run_cli("check", "--no-cache", "--fix", str(copy))
    assert f"{len(fixable)} fixed" in result.stdout
    after = _findings(copy)
    assert len(after) == len(before) - len(fixable)
    assert all(d["fix"] is None or d["fix"]["applicability"] != "safe" or not d["fix"]["edits"] for d in after)
    for path in copy.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
