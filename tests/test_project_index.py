"""The project index: cross-module resolution through the real CLI (tests/projects/coroutine_app),
the summary cache (a warm run re-summarises only what changed), the flake8 plugin, types across
modules, and the call-chain search that ASL202/ASL305 build on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ast

from async_lint.analysis.call_chains import CallTarget, ChainSearch, Sink
from async_lint.analysis.expressions import from_ast
from async_lint.analysis.inference import Place
from async_lint.analysis.module_model import ModuleModel, model_of_source
from async_lint.analysis.project import project_layout
from async_lint.analysis.types import BoundMethod, ClassType, CoroutineOf, ExternalName, FunctionType, Instance, ModuleType
from async_lint.engine.project_index import ProjectIndex
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


def test_model_round_trips_through_json() -> None:
    for path in [*PROJECT.rglob("*.py"), *(REPO / "src").rglob("*.py")]:
        model = model_of_source(path.read_bytes())
        assert ModuleModel.from_data(json.loads(json.dumps(model.to_data()))) == model, path


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
def chain_project(tmp_path: Path) -> tuple[ProjectIndex, Path]:
    import textwrap

    for name, text in CHAIN_PROJECT.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return ProjectIndex(project_layout(tmp_path, (), [tmp_path])), tmp_path


def _search(index: ProjectIndex, matches) -> ChainSearch:  # noqa: ANN001
    def is_sink(project, caller, function, call: CallTarget) -> Sink | None:  # noqa: ANN001
        return Sink(call.callee, "") if matches(call) else None

    return ChainSearch(index.project, is_sink)


def _is(qualified: str):  # noqa: ANN202
    return lambda call: isinstance(call.target, ExternalName) and call.target.qualified == qualified


def _chain(index: ProjectIndex, start: FunctionType, matches) -> list[str] | None:  # noqa: ANN001
    chain = _search(index, matches).chain(start)
    if chain is None:
        return None
    return [link.caller.qualname for link in chain.links] + [chain.sink.display]


def test_chain_through_functions_instances_and_self(chain_project) -> None:  # noqa: ANN001
    index, root = chain_project
    chain = _search(index, _is("asyncio.run")).chain(FunctionType(root / "api.py", "ask"))
    assert chain is not None
    assert [link.caller.qualname for link in chain.links] + [chain.sink.display] == ["ask", "answer_question", "Agent.run", "asyncio.run"]
    assert [link.line for link in chain.links] == [11, 7, 19]


def test_chain_through_class_instantiation(chain_project) -> None:  # noqa: ANN001
    index, root = chain_project
    assert _chain(index, FunctionType(root / "api.py", "boot"), _is("asyncio.run")) == ["boot", "Booting.__init__", "asyncio.run"]


def test_chain_is_the_shortest(chain_project) -> None:  # noqa: ANN001
    index, root = chain_project
    assert _chain(index, FunctionType(root / "api.py", "through_method"), _is("asyncio.run")) == [
        "through_method",
        "Agent.direct",
        "asyncio.run",
    ]


def test_chain_through_inherited_method_and_module_attribute(chain_project) -> None:  # noqa: ANN001
    index, root = chain_project
    assert _chain(index, FunctionType(root / "api.py", "ask"), _is("time.sleep")) == [
        "ask",
        "answer_question",
        "Agent.run",
        "Base.prepare",
        "time.sleep",
    ]
    assert _chain(index, FunctionType(root / "api.py", "blocking"), _is("time.sleep")) == ["blocking", "lookup", "time.sleep"]


def test_chain_does_not_enter_coroutine_functions(chain_project) -> None:  # noqa: ANN001
    index, root = chain_project
    # Agent.arun calls the blocking lookup, but calling arun from sync code runs nothing.
    assert _chain(index, FunctionType(root / "service" / "agent.py", "Agent.direct"), _is("time.sleep")) is None


def test_chain_matches_by_method_name_on_unknown_receivers(chain_project) -> None:  # noqa: ANN001
    index, root = chain_project
    chain = _search(index, lambda call: call.method == "run_until_complete").chain(FunctionType(root / "api.py", "handed_off"))
    assert chain is not None and chain.sink.display == "loop.run_until_complete"
    assert _chain(index, FunctionType(root / "api.py", "unknown"), _is("asyncio.run")) is None


def test_types_resolve_across_modules(chain_project) -> None:  # noqa: ANN001
    index, root = chain_project
    inference = index.project.inference
    api = root / "api.py"
    agent_module = root / "service" / "agent.py"
    agent = inference.module_member(api, "agent")
    assert agent == Instance(ClassType(agent_module, "Agent"))
    assert inference.member(Instance(ClassType(agent_module, "Agent")), "prepare") == BoundMethod(
        FunctionType(agent_module, "Base.prepare"), Instance(ClassType(agent_module, "Agent"))
    )
    assert inference.module_member(agent_module, "asyncio") == ExternalName("asyncio")
    assert inference.member(ExternalName("asyncio"), "run") == ExternalName("asyncio.run")
    assert inference.module_member(api, "tools") == ModuleType(root / "service" / "tools.py")


def test_summaries_come_from_the_cache_once_written(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"m{i}.py").write_text(f"async def f{i}():\n    pass\n\nclass C{i}:\n    def m(self):\n        f{i}()\n")
    files = sorted(tmp_path.glob("*.py"))
    layout = project_layout(tmp_path, (), [tmp_path])
    uncached = ProjectIndex(layout)
    cold = ProjectIndex(layout, tmp_path / "cache")
    warm = ProjectIndex(layout, tmp_path / "cache")
    for index in (uncached, cold, warm):
        for path in files:
            index.add(path)
    assert cold.models == uncached.models == warm.models
    assert (cold.stats.summarised, cold.stats.from_cache) == (5, 0)
    assert (warm.stats.summarised, warm.stats.from_cache) == (0, 5)


def _summary_entries(cache: Path, suffix: str = ".json") -> list[Path]:
    return sorted(p for p in cache.rglob(f"summaries/??/*{suffix}") if suffix != ".json" or not p.name.endswith(".mentions.json"))


def test_a_summary_entry_that_is_not_a_model_is_written_again(tmp_path: Path) -> None:
    """Intact (its checksum holds) but not a model: a miss, and the model made instead replaces
    it; the next index reads the model from the cache."""
    from async_lint.engine.cache_files import write_json

    module = tmp_path / "m.py"
    module.write_text("async def f():\n    pass\n")
    layout, cache = project_layout(tmp_path, (), [tmp_path]), tmp_path / "cache"
    first = ProjectIndex(layout, cache)
    first.add(module)
    (entry,) = _summary_entries(cache)
    write_json(entry, ["not", "a", "model"], cache)
    second = ProjectIndex(layout, cache)
    second.add(module)
    assert second.stats.summarised == 1
    third = ProjectIndex(layout, cache)
    third.add(module)
    assert (third.stats.summarised, third.stats.from_cache) == (0, 1) and third.models == first.models
    assert third.node(module)[0].interface == first.node(module)[0].interface


def test_a_model_another_process_stored_meanwhile_is_not_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers make the same model at once: the one that finds the other's entry on disk
    when it comes to store its own leaves it, and takes its hash from it."""
    module = tmp_path / "m.py"
    module.write_text("import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n")
    layout, cache = project_layout(tmp_path, (), [tmp_path]), tmp_path / "cache"
    first, second = ProjectIndex(layout, cache), ProjectIndex(layout, cache)
    first.add(module)
    (entry,) = _summary_entries(cache)
    written = entry.stat()
    monkeypatch.setattr(second, "_cached", lambda key: None)  # its look-up came before the other's write
    second.add(module)
    assert second.stats.summarised == 1
    assert (entry.stat().st_ino, entry.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert second.node(module)[0].interface == first.node(module)[0].interface


def test_the_names_a_model_mentions_are_written_when_first_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first run writes models only; the run record asks for an importer's mentions after an
    edit, and from then on they are read from their own small entry."""
    module = tmp_path / "m.py"
    module.write_text("from other import helper\n\nasync def f():\n    helper.run()\n")
    layout, cache = project_layout(tmp_path, (), [tmp_path]), tmp_path / "cache"
    index = ProjectIndex(layout, cache)
    model = index.add(module)
    assert model is not None and not _summary_entries(cache, ".mentions.json")
    key = index.node(module)[0].content
    assert index.cached_mentions(key) == model.mentions() and "helper" in model.mentions()
    assert len(_summary_entries(cache, ".mentions.json")) == 1
    later = ProjectIndex(layout, cache)
    monkeypatch.setattr(later, "_cached", lambda key: None)  # not from the model this time
    assert later.cached_mentions(key) == model.mentions()


def test_project_coroutines_are_known_wherever_they_are_defined() -> None:
    handlers = PROJECT / "app" / "router" / "handlers.py"
    index = ProjectIndex(project_layout(PROJECT, (), [PROJECT]))
    inference = index.project.inference
    module = index.add(handlers)
    assert module is not None

    def result(expression: str) -> object:
        parsed = from_ast(ast.parse(expression, mode="eval").body)
        return inference.expression(parsed, Place(handlers, ""))

    assert isinstance(result("store.pricing.refresh_rates()"), CoroutineOf)
    assert isinstance(result("p.refresh_rates()"), CoroutineOf)
    assert isinstance(result("refresh()"), CoroutineOf)  # re-exported by store/__init__.py
    assert isinstance(result("bot.answer('x')"), CoroutineOf)  # a module-level instance's method
    assert isinstance(result("Repo().save({})"), CoroutineOf)  # inherited from store.base.BaseRepo
    assert result("sync_rates()") == Instance(ExternalName("builtins.dict"))  # its annotation
    assert not isinstance(result("FakeLLM().ainvoke('x')"), CoroutineOf)
    assert isinstance(result("asyncio.sleep(1)"), type(None)), "not imported here: unknown"


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
    "plainpkg/__init__.py": "from plainpkg.tools import helper\n",
    "plainpkg/tools.py": "import os\n\n\ndef helper():\n    return os.getcwd()\n",
    "plainpkg/sub/__init__.py": "",
    "plainpkg/sub/more.py": "def more():\n    return 1\n",
    # Each importer has none of the rules' trigger words: only its imports can make it worth parsing.
    "direct.py": "from lib.coros import fetch\n\n\ndef main():\n    fetch()  # error: ASL100\n",
    "module.py": "from lib import coros\n\n\ndef main():\n    coros.fetch()  # error: ASL100\n",
    "reexported.py": "from lib.reexport import pause\n\n\ndef main():\n    pause(1)  # error: ASL100\n",
    "inherited.py": "from lib.models import Model\n\n\ndef main():\n    Model().save()  # error: ASL100\n",
    "client_user.py": "from lib.clients import client\n\n\ndef main():\n    client.chat.completions.create()  # error: ASL100\n",
    "attribute.py": "from lib.service import Service\n\n\ndef main():\n    Service().store.save()  # error: ASL100\n",
    "plain_only.py": "from lib.plain import Config, helper\n\n\ndef main():\n    helper()\n    Config().load()\n",
    # A package's submodules are its attributes: `import lib` reaches lib/coros.py's `async def`.
    "package.py": "import lib\n\n\ndef main():\n    lib.coros.fetch()  # error: ASL100\n",
    "plain_package.py": "import plainpkg\n\n\ndef main():\n    plainpkg.tools.helper()\n    plainpkg.sub.more.more()\n",
}
LIBRARIES = ("lib/", "plainpkg/")
NOT_PARSED = {"plain_only.py", "plain_package.py"}


def test_files_without_trigger_words_are_parsed_when_an_import_may_reach_a_coroutine(tmp_path: Path) -> None:
    for name, text in IMPORTERS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    checked = [name for name in IMPORTERS if not name.startswith(LIBRARIES)]
    result = run_cli("check", "--no-cache", "--select", CODES, "--format", "json", *checked, cwd=tmp_path)
    assert _findings(result.stdout, tmp_path) == {
        (name, row, code) for name in checked for row, code in expected_markers(IMPORTERS[name])
    }


def test_an_importer_of_sync_project_code_only_is_not_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from async_lint.config import RuleOptions
    from async_lint.engine import checker
    from async_lint.rules import build_rule_set

    for name, text in IMPORTERS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    layout = project_layout(tmp_path, (), [tmp_path])
    rule_set = build_rule_set(frozenset({"ASL100", "ASL101"}), RuleOptions())
    parsed: list[str] = []
    real_parse = checker.cst.parse_module
    monkeypatch.setattr(checker.cst, "parse_module", lambda text: parsed.append(text) or real_parse(text))
    for name in [name for name in IMPORTERS if not name.startswith(LIBRARIES)]:
        expected = name not in NOT_PARSED
        parsed.clear()
        index = ProjectIndex(layout)
        path = tmp_path / name
        checker.check_text(path.read_text(), name, rule_set, project=index, path=path)
        assert bool(parsed) is expected, name


def test_an_edit_no_dependent_can_see_does_not_check_the_dependents_again(tmp_path: Path) -> None:
    """A new function nobody names changes its module's summary but no importer's findings:
    the importers are answered again by the run record, unchecked. A change to a function an importer calls does
    reach it, and its findings change as a cold run says."""
    project = tmp_path / "coroutine_app"
    shutil.copytree(PROJECT, project)
    args = ("check", "-j", "1", "--select", CODES, "--format", "json", "--explain-unresolved", ".")
    run_cli(*args, cwd=project)
    pricing = project / "store" / "pricing.py"
    pricing.write_text(pricing.read_text() + "\n\nasync def nobody_calls_this():\n    pass\n")
    unseen = run_cli(*args, cwd=project)
    match = re.search(r"(\d+) of (\d+) files from the run record, (\d+) from the result cache \((\d+) answered again", unseen.stderr)
    assert match, unseen.stderr
    recorded, files, cached, again = map(int, match.groups())
    assert recorded + cached == files - 1, unseen.stderr  # only pricing.py itself is checked again
    assert again > 0  # its importers: the run record tells that none of them can see the new function

    pricing.write_text(pricing.read_text().replace("async def refresh_rates", "def refresh_rates"))
    seen = run_cli(*args, cwd=project)
    cold = run_cli("check", "--no-cache", "--select", CODES, "--format", "json", ".", cwd=project)
    assert _findings(seen.stdout, project) == _findings(cold.stdout, project)
    assert ("app/router/handlers.py", 15, "ASL100") not in _findings(seen.stdout, project)


def test_an_edit_that_leaves_the_model_keeps_the_importers_result_cache_entries(tmp_path: Path) -> None:
    """A result's key depends on its imports' models, not their bytes: after a comment edit the
    importers' entries are still the right ones (none written again), and a run without the
    run record answers every importer from them."""
    project = tmp_path / "coroutine_app"
    shutil.copytree(PROJECT, project)
    args = ("check", "-j", "1", "--select", CODES, "--format", "json", "--explain-unresolved", ".")
    first = run_cli(*args, cwd=project)
    version_dir = next((project / ".async_lint_cache").glob("*/runs")).parent

    def results() -> set[Path]:
        return {p for p in version_dir.glob("??/*.json")}

    before = results()
    pricing = project / "store" / "pricing.py"
    pricing.write_text(pricing.read_text() + "# a comment: the model stays as it was\n")
    edited = run_cli(*args, cwd=project)
    assert len(results() - before) == 1  # pricing.py's own entry; its importers' keys are unchanged
    for record in (version_dir / "runs").glob("*.json"):
        record.unlink()
    again = run_cli(*args, cwd=project)
    match = re.search(r"(\d+) of (\d+) files from the run record, (\d+) from the result cache", again.stderr)
    assert match, again.stderr
    recorded, files, cached = map(int, match.groups())
    assert (recorded, cached) == (0, files), again.stderr
    assert _findings(again.stdout, project) == _findings(edited.stdout, project) == _findings(first.stdout, project)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_a_package_with_a_symlink_loop_is_searched_once(tmp_path: Path) -> None:
    """`pkg/loop -> pkg`: the search for a coroutine does not follow the loop (it used to, until
    the path was too long to stat: an internal error), and still finds the coroutine."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tools.py").write_text("def helper():\n    return 1\n")
    (package / "workers.py").write_text("async def fetch():\n    return 1\n")  # searched after `loop`
    (package / "loop").symlink_to(package, target_is_directory=True)
    (tmp_path / "main.py").write_text("import pkg\n\n\ndef main():\n    pkg.tools.helper()\n    pkg.workers.fetch()\n")
    result = run_cli("check", "--no-cache", "--select", "ASL100,ASL003", "main.py", cwd=tmp_path)
    assert "ASL003" not in result.stdout, result.stdout
    assert re.search(r"^main\.py:6:5: ASL100 ", result.stdout, re.MULTILINE), result.stdout


def test_a_very_long_import_chain_is_not_followed_to_its_end(tmp_path: Path) -> None:
    """1,200 modules each importing the next (the old search recursed once a module and ran out
    of stack): past `SEARCH_DEPTH_LIMIT` the answer is "may reach", and the file is checked."""
    length = 1200
    for i in range(length):
        body = f"import m{i + 1}\n" if i + 1 < length else "async def fetch():\n    return 1\n"
        (tmp_path / f"m{i}.py").write_text(body)
    (tmp_path / "main.py").write_text("import m0\n\n\ndef main():\n    return m0\n")
    result = run_cli("check", "--no-cache", "main.py", cwd=tmp_path)
    assert result.returncode == 0 and "ASL003" not in result.stdout, result.stdout + result.stderr
