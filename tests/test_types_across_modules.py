"""Receivers built in another module (`tests/projects/typed_app`): for each source of a type
(module-level objects, factory returns, class attributes, annotations, decorators) true
findings and look-alikes that must stay silent, the same through the CLI, the flake8 plugin
and the language server; and what an edit to a return type re-checks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO, environment, expected_markers, run_cli
from tests.lsp_session import LspSession
from tests.test_lsp_server import run_session

PROJECT = REPO / "tests" / "projects" / "typed_app"
SOURCES = ("objects", "factories", "attributes", "annotations", "decorators", "lookalikes")


def _markers(root: Path) -> set[tuple[str, int, str]]:
    found = set()
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        found.update((relative, row, code) for row, code in expected_markers(path.read_text()))
    return found


def _findings(output: str, root: Path) -> set[tuple[str, int, str]]:
    return {
        (Path(item["filename"]).resolve().relative_to(root.resolve()).as_posix(), item["location"]["row"], item["code"])
        for item in json.loads(output)
    }


@pytest.fixture(scope="module")
def cli_findings() -> tuple[set[tuple[str, int, str]], list[dict[str, object]]]:
    result = run_cli("check", "--no-cache", "--format", "json", ".", cwd=PROJECT)
    assert result.returncode == 1, result.stderr
    return _findings(result.stdout, PROJECT), json.loads(result.stdout)


@pytest.mark.parametrize("source", SOURCES)
def test_each_source_of_a_type_finds_what_is_marked_and_nothing_else(source: str, cli_findings) -> None:  # noqa: ANN001
    found, _ = cli_findings
    expected = {item for item in _markers(PROJECT) if item[0].startswith(f"app/{source}/")}
    assert {item for item in found if item[0].startswith(f"app/{source}/")} == expected
    if source != "lookalikes":
        assert expected, "every source has true findings"


def test_messages_say_where_a_receiver_was_built(cli_findings) -> None:  # noqa: ANN001
    _, items = cli_findings
    by_place = {
        (Path(str(item["filename"])).resolve().relative_to(PROJECT).as_posix(), item["location"]["row"]): str(item["message"])  # type: ignore[index]
        for item in items
    }
    assert "`StateGraph.compile()` built in app/objects/graph.py:29" in by_place[("app/objects/api.py", 12)]
    assert "`OpenAI(...)` built in app/objects/llm.py:3" in by_place[("app/objects/api.py", 10)]
    assert "`@tool async def lookup` built in app/decorators/tools.py:14" in by_place[("app/decorators/routes.py", 12)]
    assert "`Retriever.llm() -> ChatOpenAI` from app/factories/builders.py" in by_place[("app/factories/api.py", 12)]
    assert "`llm: BaseChatModel`" in by_place[("app/annotations/handlers.py", 25)]
    assert "`client: OpenAI`" in by_place[("app/attributes/services.py", 28)]


def test_the_flake8_plugin_gives_the_same_findings(cli_findings) -> None:  # noqa: ANN001
    found, _ = cli_findings
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "ASL", "app"],
        cwd=PROJECT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    flake8 = set()
    for line in result.stdout.splitlines():
        match = re.match(r"(?P<file>[^:]+):(?P<row>\d+):\d+: (?P<code>ASL\d+)", line)
        assert match, line
        flake8.add((Path(match["file"]).as_posix(), int(match["row"]), match["code"]))
    assert flake8 == found, result.stderr


def test_the_language_server_gives_the_same_findings(cli_findings) -> None:  # noqa: ANN001
    found, _ = cli_findings
    files = sorted(path for path in PROJECT.rglob("*.py") if path.stat().st_size)

    async def body(session: LspSession) -> None:
        seen: set[tuple[str, int, str]] = set()
        for path in files:
            uri = session.open(path, path.read_text())
            for diagnostic in await session.diagnostics(uri):
                seen.add((path.relative_to(PROJECT).as_posix(), diagnostic.range.start.line + 1, str(diagnostic.code)))
        assert seen == found

    run_session(PROJECT, body)


def test_an_edit_to_a_return_type_rechecks_its_importers_only(tmp_path: Path) -> None:
    """`build_graph` loses its async node: the files that call it are checked again and lose
    their ASL404; every other file comes from the run record."""
    project = tmp_path / "typed_app"
    shutil.copytree(PROJECT, project)
    args = ("check", "-j", "1", "--format", "json", "--explain-unresolved", ".")
    before = _findings(run_cli(*args, cwd=project).stdout, project)
    builders = project / "app" / "factories" / "builders.py"
    builders.write_text(builders.read_text().replace('builder.add_node("summarise", summarise)', "builder.add_node(\"summarise\", lambda s: s)"))
    after = run_cli(*args, cwd=project)
    match = re.search(r"(\d+) of (\d+) files from the run record, (\d+) from the result cache", after.stderr)
    assert match, after.stderr
    recorded, files, cached = map(int, match.groups())
    checked = files - recorded - cached
    importers = {"app/factories/builders.py", "app/factories/api.py", "app/attributes/services.py"}
    assert checked == len(importers), after.stderr
    gone = before - _findings(after.stdout, project)
    assert gone == {("app/factories/api.py", 9, "ASL404"), ("app/attributes/services.py", 27, "ASL404")}
    cold = run_cli("check", "--no-cache", "--format", "json", ".", cwd=project)
    assert _findings(after.stdout, project) == _findings(cold.stdout, project)
