"""ASL202 / ASL305 across modules (tests/projects/chain_app) through the real CLI: findings are
the markers, the chain shows in text, JSON and SARIF, a change in a callee's module re-checks
the caller on a warm run; and the chain search itself (shortest chain, cycles, memo)."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

from async_lint.analysis.call_chains import ChainSearch, blocking_sink, loop_runner_sink
from async_lint.config import RuleOptions
from async_lint.analysis.project import project_layout
from async_lint.analysis.types import FunctionType
from async_lint.engine.project_index import ProjectIndex
from async_lint.analysis.blocking_calls import catalog
from tests.helpers import REPO, apply_json_fix, expected_markers, run_cli

PROJECT = REPO / "tests" / "projects" / "chain_app"
CODES = "ASL202,ASL305"
# The chain names its last file as the notes do (relative to the working directory: PROJECT).
ASL202_CHAIN = "ask -> answer_question -> Assistant.reply -> run_sync -> asyncio.run (app/runtime.py:7)"
ASL305_CHAIN = "report -> build_report -> load_rows -> open (app/storage/rows.py:8)"


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


def test_findings_match_markers_with_every_rule_on() -> None:
    result = run_cli("check", "--no-cache", "--format", "json", str(PROJECT))
    assert result.returncode == 1, result.stderr
    assert _findings(result.stdout, PROJECT) == _markers(PROJECT)


def test_the_chain_shows_in_text_output() -> None:
    result = run_cli("check", "--no-cache", "--select", CODES, ".", cwd=PROJECT)
    lines = result.stdout.splitlines()
    asl202 = lines.index(next(line for line in lines if " ASL202 " in line))
    assert ASL202_CHAIN in lines[asl202]
    assert lines[asl202 + 1 : asl202 + 4] == [
        "    note: app/services.py:8:12: `answer_question` calls `Assistant.reply`",
        "    note: app/agents.py:8:16: `Assistant.reply` calls `run_sync`",
        "    note: app/runtime.py:7:12: `run_sync` calls `asyncio.run`",
    ]
    asl305 = next(line for line in lines if " ASL305 " in line)
    assert ASL305_CHAIN in asl305


def test_the_chain_shows_in_json_and_sarif() -> None:
    result = run_cli("check", "--no-cache", "--select", CODES, "--format", "json", ".", cwd=PROJECT)
    by_code = {item["code"]: item for item in json.loads(result.stdout)}
    assert ASL202_CHAIN in by_code["ASL202"]["message"]
    assert [(Path(r["filename"]).relative_to(PROJECT).as_posix(), r["location"]["row"]) for r in by_code["ASL202"]["related"]] == [
        ("app/services.py", 8),
        ("app/agents.py", 8),
        ("app/runtime.py", 7),
    ]
    assert ASL305_CHAIN in by_code["ASL305"]["message"]
    assert by_code["ASL305"]["fix"]["applicability"] == "unsafe"
    routes = Path(by_code["ASL305"]["filename"]).read_text()
    fixed = apply_json_fix(routes, by_code["ASL305"]["fix"]).splitlines()[by_code["ASL305"]["location"]["row"] - 1]
    assert "await asyncio.to_thread(reporting.build_report, path)" in fixed

    sarif = json.loads(run_cli("check", "--no-cache", "--select", CODES, "--format", "sarif", ".", cwd=PROJECT).stdout)
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    related = results["ASL305"]["relatedLocations"]
    assert [(r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"]["startLine"]) for r in related] == [
        ("app/reporting.py", 7),
        ("app/storage/rows.py", 8),
    ]
    assert related[1]["message"]["text"] == "`load_rows` calls `open`"
    assert len(results["ASL202"]["relatedLocations"]) == 3


def test_a_change_in_a_callee_module_rechecks_the_caller_on_a_warm_run(tmp_path: Path) -> None:
    project = tmp_path / "chain_app"
    shutil.copytree(PROJECT, project)
    args = ("check", "--select", CODES, "--format", "json", ".")

    def codes() -> set[str]:
        return {code for _, _, code in _findings(run_cli(*args, cwd=project).stdout, project)}

    assert codes() == {"ASL202", "ASL305"}
    assert codes() == {"ASL202", "ASL305"}  # warm: from the result cache

    runtime = project / "app" / "runtime.py"
    original = runtime.read_text()
    runtime.write_text(original.replace("    return asyncio.run(coro)\n\n\ndef run_if", "    return coro\n\n\ndef run_if"))
    assert codes() == {"ASL305"}
    runtime.write_text(original)
    assert codes() == {"ASL202", "ASL305"}

    rows = project / "app" / "storage" / "rows.py"
    rows.write_text("def load_rows(path):\n    return []\n")
    assert codes() == {"ASL202"}


# --- the search ---


def _search(tmp_path: Path, files: dict[str, str], blocking: bool = False) -> tuple[ChainSearch, Path]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    index = ProjectIndex(project_layout(tmp_path, (), [tmp_path]))
    sink = blocking_sink(catalog(RuleOptions())) if blocking else loop_runner_sink
    return ChainSearch(index.project, sink), tmp_path


def test_the_shortest_chain_wins_and_suffixes_are_memoised(tmp_path: Path) -> None:
    search, root = _search(
        tmp_path,
        {
            "m.py": """
                import time
                from n import far

                def start():
                    far()
                    near()

                def near():
                    time.sleep(1)
            """,
            "n.py": """
                def far():
                    deeper()

                def deeper():
                    import time
                    time.sleep(1)
            """,
        },
        blocking=True,
    )
    chain = search.chain(FunctionType(root / "m.py", "start"))
    assert chain is not None
    assert chain.display("handler", root) == "handler -> start -> near -> time.sleep (m.py:10)"
    far = search.chain(FunctionType(root / "n.py", "far"))
    assert far is not None and far.display("h", root) == "h -> far -> deeper -> time.sleep (n.py:7)"


def test_cycles_end_and_unreached_functions_are_remembered(tmp_path: Path) -> None:
    search, root = _search(
        tmp_path,
        {
            "m.py": """
                import asyncio

                def ping(n):
                    return pong(n - 1) if n else 0

                def pong(n):
                    return ping(n)

                def loops_back(n):
                    ping(n)
                    return runs(n)

                def runs(n):
                    return asyncio.run(n)
            """
        },
    )
    assert search.chain(FunctionType(root / "m.py", "ping")) is None
    assert search.chain(FunctionType(root / "m.py", "pong")) is None  # from the memo
    chain = search.chain(FunctionType(root / "m.py", "loops_back"))
    assert chain is not None and [link.callee for link in chain.links] == ["runs", "asyncio.run"]


def test_loop_state_checks_and_generators_stop_the_search(tmp_path: Path) -> None:
    search, root = _search(
        tmp_path,
        {
            "m.py": """
                import asyncio

                def guarded(coro):
                    loop = asyncio.get_event_loop()
                    if loop.is_running():
                        return loop.create_task(coro)
                    return loop.run_until_complete(coro)

                def lazily(coros):
                    for coro in coros:
                        yield asyncio.run(coro)

                def through_both(coro):
                    guarded(coro)
                    return list(lazily([coro]))
            """
        },
    )
    assert search.chain(FunctionType(root / "m.py", "through_both")) is None
