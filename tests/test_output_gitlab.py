"""`--format gitlab`: a GitLab code quality report (Code Climate issues)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli

SOURCE = """\
import time


async def a():
    time.sleep(1)


async def b():
    time.sleep(1)
"""


def test_gitlab_report(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SOURCE)
    result = run_cli("check", "--no-cache", "--format", "gitlab", "app.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    issues = json.loads(result.stdout)
    assert [(i["check_name"], i["location"]) for i in issues] == [
        ("ASL300", {"path": "app.py", "lines": {"begin": 5, "end": 5}}),
        ("ASL300", {"path": "app.py", "lines": {"begin": 9, "end": 9}}),
    ]
    first = issues[0]
    assert first["type"] == "issue" and first["severity"] == "major" and first["categories"] == ["Bug Risk"]
    assert first["description"].startswith("ASL300 `time.sleep()` inside `async def a`")
    assert first["content"]["body"].endswith("/ASL300.md")
    assert len({i["fingerprint"] for i in issues}) == 2


def test_fingerprints_survive_lines_added_above(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SOURCE)
    before = json.loads(run_cli("check", "--no-cache", "--format", "gitlab", "app.py", cwd=tmp_path).stdout)
    (tmp_path / "app.py").write_text("# a new comment\n\n" + SOURCE)
    after = json.loads(run_cli("check", "--no-cache", "--format", "gitlab", "app.py", cwd=tmp_path).stdout)
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
    assert after[0]["location"]["lines"]["begin"] == 7
