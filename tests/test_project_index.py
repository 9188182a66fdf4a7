"""The project index: cross-module resolution through the real CLI (tests/projects/coroutine_app),
the summary cache (a warm run re-summarises only what changed), the flake8 plugin, and the
call-chain query that ASL202/ASL305 build on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from async_lint.analysis.module_summary import ModuleSummary, summarise_source
from async_lint.engine.project_index import (
    CallTarget,
    ClassSym,
    ExternalSym,
    FunctionSym,
    InstanceSym,
    ProjectIndex,
    project_layout,
)
from tests.helpers import REPO, environment, expected_markers, run_cli

PROJECT = REPO / "tests" / "projects" / "coroutine_app"
CODES = "ASL100,ASL101"


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


def test_cross_module_findings_match_markers() -> None:
    result = run_cli("check", "--no-cache", "--select", CODES, "--format", "json", str(PROJECT))
    assert result.returncode == 1, result.stderr
    assert _findings(result.stdout, PROJECT) == _markers(PROJECT)


def test_a_single_file_resolves_its_imports_on_demand() -> None:
    """pre-commit passes only the staged files: the modules they import are summarised lazily."""
    handlers = PROJECT / "app" / "router" / "handlers.py"
    result = run_cli("check", "--no-cache", "--select", CODES, "--format", "json", str(handlers))
    expected = {m for m in _markers(PROJECT) if m[0] == "app/router/handlers.py"}
    assert _findings(result.stdout, PROJECT) == expected


def test_explain_unresolved_says_why() -> None:
    result = run_cli("check", "--no-cache", "--select", CODES, "--explain-unresolved", str(PROJECT))
    assert re.search(r"project index: \d+ modules", result.stderr)
    assert "in unresolved: `client.refresh_rates`" in result.stderr


def _index_stats(stderr: str) -> tuple[int, int, int, int]:
    """(Modules summarised, summaries read from the cache, files answered by the run record, files)."""
    match = re.search(
        r"project index: \d+ modules \((\d+) summarised, (\d+) from the cache\); (\d+) of (\d+) files from the run record",
        stderr,
    )
    assert match, stderr
    return int(match[1]), int(match[2]), int(match[3]), int(match[4])


def test_warm_run_resummarises_only_the_changed_file(tmp_path: Path) -> None:
    project = tmp_path / "coroutine_app"
    shutil.copytree(PROJECT, project)
    args = ("check", "-j", "1", "--select", CODES, "--format", "json", "--explain-unresolved", ".")

    cold = run_cli(*args, cwd=project)
    summarised, cached, recorded, files = _index_stats(cold.stderr)
    distinct = len({path.read_bytes() for path in project.rglob("*.py")})  # empty __init__.py files share one
    assert (summarised, cached, recorded) == (distinct, files - distinct, 0)
    warm = run_cli(*args, cwd=project)
    assert _index_stats(warm.stderr) == (0, 0, files, files)  # every file from the run record: nothing parsed
    assert _findings(warm.stdout, project) == _findings(cold.stdout, project)

    # `refresh_rates` becomes sync: only pricing.py is summarised again; the files that import
    # it (directly or not) are checked again, the modules they reach read from the cache.
    pricing = project / "store" / "pricing.py"
    pricing.write_text(pricing.read_text().replace("async def refresh_rates", "def refresh_rates"))
    changed = run_cli(*args, cwd=project)
    summarised, cached, recorded, _ = _index_stats(changed.stderr)
    assert summarised == 1 and cached > 0 and 0 < recorded < files
    gone = _findings(cold.stdout, project) - _findings(changed.stdout, project)
    assert {(f, code) for f, _, code in gone} == {
        ("app/router/handlers.py", "ASL100"),
        ("app/router/handlers.py", "ASL101"),
    }
    assert len(gone) == 5  # refresh_rates, p.refresh_rates, store.pricing.refresh_rates, refresh, rates = ...


def test_flake8_plugin_resolves_across_modules(tmp_path: Path) -> None:
    project = tmp_path / "coroutine_app"
    shutil.copytree(PROJECT, project)
    handlers = project / "app" / "router" / "handlers.py"
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "ASL", "--isolated", str(handlers)],
        cwd=project,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    rows = {int(line.split(":")[1]) for line in result.stdout.splitlines() if " ASL1" in line}
    expected = {row for path, row, _ in _markers(PROJECT) if path == "app/router/handlers.py"}
    assert rows == expected, result.stdout + result.stderr


def test_summary_round_trips_through_json() -> None:
    for path in PROJECT.rglob("*.py"):
        summary = summarise_source(path.read_bytes())
        assert ModuleSummary.from_data(json.loads(json.dumps(summary.to_data()))) == summary


# --- the call-chain query (ASL202 / ASL305 build on it) ---

CHAIN_PROJECT = {
    "service/__init__.py": "",
    "service/agent.py": """
        import asyncio
        import time

        from service.tools import lookup


        class Base:
            def prepare(self):
                time.sleep(1)


        class Agent(Base):
            def __init__(self):
                self.ready = False

            def run(self, question):
                self.prepare()
                return asyncio.run(self.arun(question))

            async def arun(self, question):
                return lookup(question)

            def direct(self):
                return asyncio.run(self.arun("x"))


        class Booting:
            def __init__(self):
                asyncio.run(asyncio.sleep(0))


        agent = Agent()
        """,
    "service/tools.py": """
        import time

        def lookup(question):
            time.sleep(0.1)
            return question
        """,
    "api.py": """
        from service.agent import Agent, Booting, agent
        from service import tools


        def answer_question(question):
            return agent.run(question)


        def ask(question):
            return answer_question(question)


        def boot():
            Booting()


        def through_method(question):
            Agent().direct()
            return answer_question(question)


        def blocking(question):
            return tools.lookup(question)


        def handed_off(loop, question):
            loop.run_until_complete(question)


        def unknown(client):
            client.run()
        """,
}


@pytest.fixture
def chain_index(tmp_path: Path):
    import textwrap

    for name, text in CHAIN_PROJECT.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    layout = project_layout(tmp_path, (), [tmp_path])
    return ProjectIndex(layout.roots, layout.boundaries), tmp_path


def _is(qualified: str):
    return lambda target: target.qualified_name == qualified


def _chain_names(index, chain) -> list[str]:
    return [step.function.qualname for step in chain] + [index.display(chain[-1].target)]


def test_chain_through_functions_instances_and_self(chain_index) -> None:
    index, root = chain_index
    chain = index.call_chain(FunctionSym(root / "api.py", "ask"), _is("asyncio.run"))
    assert chain is not None
    assert _chain_names(index, chain) == ["ask", "answer_question", "Agent.run", "asyncio.run"]
    assert [step.line for step in chain] == [11, 7, 19]


def test_chain_through_class_instantiation(chain_index) -> None:
    index, root = chain_index
    chain = index.call_chain(FunctionSym(root / "api.py", "boot"), _is("asyncio.run"))
    assert chain is not None
    assert _chain_names(index, chain) == ["boot", "Booting.__init__", "asyncio.run"]


def test_chain_is_the_shortest(chain_index) -> None:
    index, root = chain_index
    chain = index.call_chain(FunctionSym(root / "api.py", "through_method"), _is("asyncio.run"))
    assert chain is not None
    assert _chain_names(index, chain) == ["through_method", "Agent.direct", "asyncio.run"]


def test_chain_through_inherited_method_and_module_attribute(chain_index) -> None:
    index, root = chain_index
    chain = index.call_chain(FunctionSym(root / "api.py", "ask"), _is("time.sleep"))
    assert chain is not None
    assert _chain_names(index, chain) == ["ask", "answer_question", "Agent.run", "Base.prepare", "time.sleep"]
    chain = index.call_chain(FunctionSym(root / "api.py", "blocking"), _is("time.sleep"))
    assert chain is not None
    assert _chain_names(index, chain) == ["blocking", "lookup", "time.sleep"]


def test_chain_does_not_enter_coroutine_functions(chain_index) -> None:
    index, root = chain_index
    # Agent.arun calls the blocking lookup, but calling arun from sync code runs nothing.
    chain = index.call_chain(FunctionSym(root / "service" / "agent.py", "Agent.direct"), _is("time.sleep"))
    assert chain is None


def test_chain_matches_by_method_name_on_unknown_receivers(chain_index) -> None:
    index, root = chain_index

    def by_method(target: CallTarget) -> bool:
        return target.method == "run_until_complete"

    chain = index.call_chain(FunctionSym(root / "api.py", "handed_off"), by_method)
    assert chain is not None and chain[-1].target is None and chain[-1].callee == "run_until_complete"
    assert index.call_chain(FunctionSym(root / "api.py", "unknown"), _is("asyncio.run")) is None


def test_symbols_resolve_across_modules(chain_index) -> None:
    index, root = chain_index
    api = root / "api.py"
    agent_module = root / "service" / "agent.py"
    assert index.module_member(api, "agent") == InstanceSym(ClassSym(agent_module, "Agent"))
    assert index.member(InstanceSym(ClassSym(agent_module, "Agent")), "prepare") == FunctionSym(
        agent_module, "Base.prepare"
    )
    assert index.module_member(agent_module, "asyncio") == ExternalSym("asyncio")
    assert index.member(ExternalSym("asyncio"), "run") == ExternalSym("asyncio.run")
    assert CallTarget(ExternalSym("time.sleep"), "sleep", "time.sleep").qualified_name == "time.sleep"
    assert index.module_member(api, "tools") == index.module_member(api, "tools")  # a module symbol, stable


def test_summaries_come_from_the_cache_once_written(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"m{i}.py").write_text(f"async def f{i}():\n    pass\n\nclass C{i}:\n    def m(self):\n        f{i}()\n")
    files = sorted(tmp_path.glob("*.py"))
    layout = project_layout(tmp_path, (), [tmp_path])
    uncached = ProjectIndex(layout.roots, layout.boundaries)
    cold = ProjectIndex(layout.roots, layout.boundaries, tmp_path / "cache")
    warm = ProjectIndex(layout.roots, layout.boundaries, tmp_path / "cache")
    for index in (uncached, cold, warm):
        for path in files:
            index.add(path)
    assert cold.summaries == uncached.summaries == warm.summaries
    assert (cold.stats.summarised, cold.stats.from_cache) == (5, 0)
    assert (warm.stats.summarised, warm.stats.from_cache) == (0, 5)


def test_project_view_answers_by_qualified_name() -> None:
    from async_lint.analysis.project_view import ProjectView

    handlers = PROJECT / "app" / "router" / "handlers.py"
    layout = project_layout(PROJECT, (), [PROJECT])
    view = ProjectView(ProjectIndex(layout.roots, layout.boundaries), handlers, handlers.read_text())
    assert view.is_coroutine_function("store.pricing.refresh_rates")
    assert view.is_coroutine_function("store.refresh")  # re-exported by store/__init__.py
    assert view.is_coroutine_function("app.bots.bot.answer")  # a module-level instance's method
    assert view.is_coroutine_function("store.pricing.Repo.save")  # inherited from store.base.BaseRepo
    assert not view.is_coroutine_function("store.pricing.sync_rates")
    assert not view.is_coroutine_function("store.pricing.FakeLLM.ainvoke")
    assert not view.is_coroutine_function("asyncio.sleep")  # not the project's: see knowledge/coroutines.py
    assert not view.is_async_generator_function("store.pricing.refresh_rates")


# --- which files without a trigger word are still parsed ---

IMPORTERS = {
    "lib/__init__.py": "",
    "lib/coros.py": "async def fetch():\n    return 1\n",
    "lib/reexport.py": "from asyncio import sleep as pause\n",
    "lib/clients.py": "from openai import AsyncOpenAI as Client\n\nclient = Client()\n",
    "lib/service.py": "from lib.models import Model\n\n\nclass Service:\n    def __init__(self):\n        self.store = Model()\n",
    "lib/models.py": "from lib.base import Base\n\n\nclass Model(Base):\n    pass\n",
    "lib/base.py": "class Base:\n    async def save(self):\n        pass\n",
    "lib/plain.py": "import os\n\n\ndef helper():\n    return os.getcwd()\n\n\nclass Config:\n    def load(self):\n        return {}\n",
    # Each importer has none of the rules' trigger words: only its imports can make it worth parsing.
    "direct.py": "from lib.coros import fetch\n\n\ndef main():\n    fetch()  # error: ASL100\n",
    "module.py": "from lib import coros\n\n\ndef main():\n    coros.fetch()  # error: ASL100\n",
    "reexported.py": "from lib.reexport import pause\n\n\ndef main():\n    pause(1)  # error: ASL100\n",
    "inherited.py": "from lib.models import Model\n\n\ndef main():\n    Model().save()  # error: ASL100\n",
    "client_user.py": "from lib.clients import client\n\n\ndef main():\n    client.chat.completions.create()  # error: ASL100\n",
    "attribute.py": "from lib.service import Service\n\n\ndef main():\n    Service().store.save()  # error: ASL100\n",
    "plain_only.py": "from lib.plain import Config, helper\n\n\ndef main():\n    helper()\n    Config().load()\n",
}


def test_files_without_trigger_words_are_parsed_when_an_import_may_reach_a_coroutine(tmp_path: Path) -> None:
    for name, text in IMPORTERS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    checked = [name for name in IMPORTERS if not name.startswith("lib/")]
    result = run_cli("check", "--no-cache", "--select", CODES, "--format", "json", *checked, cwd=tmp_path)
    assert _findings(result.stdout, tmp_path) == {
        (name, row, code) for name in checked for row, code in expected_markers(IMPORTERS[name])
    }


def test_an_importer_of_sync_project_code_only_is_not_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from async_lint.config import RuleOptions
    from async_lint.engine import checker

    for name, text in IMPORTERS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    layout = project_layout(tmp_path, (), [tmp_path])
    rule_set = checker.build_rule_set(frozenset({"ASL100", "ASL101"}), RuleOptions())
    parsed: list[str] = []
    real_parse = checker.cst.parse_module
    monkeypatch.setattr(checker.cst, "parse_module", lambda text: parsed.append(text) or real_parse(text))
    for name in [name for name in IMPORTERS if not name.startswith("lib/")]:
        expected = name != "plain_only.py"
        parsed.clear()
        index = ProjectIndex(layout.roots, layout.boundaries)
        path = tmp_path / name
        checker.check_text(path.read_text(), name, rule_set, project=index, path=path)
        assert bool(parsed) is expected, name


def test_an_edit_no_dependent_can_see_does_not_check_the_dependents_again(tmp_path: Path) -> None:
    """A new function nobody names changes its module's summary but no importer's findings:
    the importers come from the result cache. A change to a function an importer calls does
    reach it, and its findings change as a cold run says."""
    project = tmp_path / "coroutine_app"
    shutil.copytree(PROJECT, project)
    args = ("check", "-j", "1", "--select", CODES, "--format", "json", "--explain-unresolved", ".")
    run_cli(*args, cwd=project)
    pricing = project / "store" / "pricing.py"
    pricing.write_text(pricing.read_text() + "\n\nasync def nobody_calls_this():\n    pass\n")
    unseen = run_cli(*args, cwd=project)
    match = re.search(r"(\d+) of (\d+) files from the run record, (\d+) from the result cache", unseen.stderr)
    assert match, unseen.stderr
    recorded, files, cached = map(int, match.groups())
    assert recorded + cached == files - 1, unseen.stderr  # only pricing.py itself is checked again
    assert cached > 0

    pricing.write_text(pricing.read_text().replace("async def refresh_rates", "def refresh_rates"))
    seen = run_cli(*args, cwd=project)
    cold = run_cli("check", "--no-cache", "--select", CODES, "--format", "json", ".", cwd=project)
    assert _findings(seen.stdout, project) == _findings(cold.stdout, project)
    assert ("app/router/handlers.py", 15, "ASL100") not in _findings(seen.stdout, project)
