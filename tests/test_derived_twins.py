"""Twins derived from the installed sources where no table lists them (`analysis/derived_twins.py`,
`analysis/environment.py`): a sync client class with an `Async<Name>` sibling whose same-named
methods are `async def` is a sync client (ASL401, the sibling named as the fix); a method `m`
beside `async def a<m>` on an installed LangChain-family class is the sync half of a pair
(ASL400). Without the package installed, nothing is derived."""

from __future__ import annotations

import site
import textwrap
from pathlib import Path

import pytest

from async_lint.analysis import distributions
from async_lint.analysis.distributions import environment_directories
from async_lint.analysis.project import project_layout
from async_lint.config import RuleOptions
from async_lint.diagnostics import Applicability, Diagnostic
from async_lint.engine.checker import check_text
from async_lint.rules import build_rule_set
from async_lint.engine.project_index import ProjectIndex
from async_lint.knowledge.langchain import FACTORIES

RULES = build_rule_set(frozenset({"ASL400", "ASL401"}), RuleOptions())

PACKAGES = {
    # A sync client with an async sibling: the same methods, `async def` on the other side.
    "fancy_sdk/__init__.py": "from fancy_sdk._client import Client, AsyncClient\n",
    "fancy_sdk/_client.py": """
        class _Base:
            def options(self, **kwargs):
                return self


        class Client(_Base):
            def search(self, query):
                return query

            def close(self):
                pass


        class AsyncClient(_Base):
            async def search(self, query):
                return query

            async def close(self):
                pass
    """,
    "fancy_sdk-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: fancy-sdk\nVersion: 1.0\n",
    "fancy_sdk-1.0.dist-info/top_level.txt": "fancy_sdk\n",
    # An `Async` name that is no async twin: nothing is `async def` on either side.
    "plain_lib/__init__.py": """
        class Settings:
            def load(self):
                return {}


        class AsyncSettings:
            def load(self):
                return {}
    """,
    "plain_lib-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: plain-lib\nVersion: 1.0\n",
    "plain_lib-1.0.dist-info/top_level.txt": "plain_lib\n",
    # A LangChain-family package: its loader has `load`/`aload` from langchain_core's BaseLoader,
    # and a method pair of its own whose parameters differ.
    "fancy_loaders/__init__.py": """
        from langchain_core.document_loaders import BaseLoader


        class FancyLoader(BaseLoader):
            def lazy_load(self):
                yield from ()

            def fetch(self, query):
                return query

            async def afetch(self, query, page):
                return query
    """,
    "fancy_loaders-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: fancy-loaders\nVersion: 1.0\nRequires-Dist: langchain-core>=1.0\n",
    "fancy_loaders-1.0.dist-info/top_level.txt": "fancy_loaders\n",
    # The same `m`/`am` convention in a package that has nothing to do with LangChain.
    "other_lib/__init__.py": """
        class Thing:
            def load(self):
                return 1

            async def aload(self):
                return 1
    """,
    "other_lib-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: other-lib\nVersion: 1.0\n",
    "other_lib-1.0.dist-info/top_level.txt": "other_lib\n",
}

APP = """\
from fancy_sdk import Client
from fancy_loaders import FancyLoader
from other_lib import Thing
from plain_lib import Settings

client = Client()
loader = FancyLoader()
settings = Settings()
thing = Thing()


async def handler(q):
    client.search(q)
    client.options(timeout=3)
    settings.load()
    thing.load()
    loader.load()
    loader.fetch(q)
    for document in loader.lazy_load():
        print(document)


def sync_handler(q):
    client.search(q)
    loader.load()
"""


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "site-packages"
    for name, text in PACKAGES.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    (directory / "fancy_sdk-1.0.dist-info" / "RECORD").write_text("")
    monkeypatch.syspath_prepend(str(directory))
    distributions._distributions.cache_clear()
    distributions._requirements.cache_clear()
    yield directory
    distributions._distributions.cache_clear()
    distributions._requirements.cache_clear()


def _found(tmp_path: Path, environment: list[Path]) -> dict[int, Diagnostic]:
    app = tmp_path / "project" / "app.py"
    app.parent.mkdir(exist_ok=True)
    app.write_text(APP)
    index = ProjectIndex(project_layout(app.parent, (), [app.parent]), environment=environment)
    return {d.start.row: d for d in check_text(APP, str(app), RULES, project=index, path=app)}


def test_twins_are_derived_from_the_installed_sources(tmp_path: Path, installed: Path) -> None:
    found = _found(tmp_path, [installed, *map(Path, site.getsitepackages())])
    assert sorted(found) == [13, 17, 18, 19]
    client = found[13]
    assert client.code == "ASL401"
    assert client.message == (
        "`client.search()` on a sync client (`Client(...)`) inside `async def handler` blocks the event loop; "
        "create one `fancy_sdk.AsyncClient` and `await` its calls"
    )
    load = found[17]
    assert load.code == "ASL400" and "(`FancyLoader` has `async def aload`)" in load.message
    assert load.fix is not None and load.fix.applicability is Applicability.UNSAFE
    assert load.fix.message == "Replace with `await loader.aload()`"
    fetch = found[18]
    assert fetch.fix is not None and fetch.fix.applicability is Applicability.SUGGESTION, "afetch takes another parameter"
    lazy = found[19]
    assert "use `async for ... in loader.alazy_load(...)`" in lazy.message


def test_without_the_packages_nothing_is_derived(tmp_path: Path, installed: Path) -> None:
    assert _found(tmp_path, []) == {}


def test_the_derived_sibling_agrees_with_the_tables_for_installed_clients(tmp_path: Path) -> None:
    index = ProjectIndex(project_layout(tmp_path, (), [tmp_path]), environment=environment_directories())
    environment = index.project.environment
    assert environment is not None
    pytest.importorskip("openai")
    assert environment.async_sibling("openai.OpenAI") == FACTORIES["openai.OpenAI"].async_replacement
    assert environment.async_sibling("openai.AsyncOpenAI") is None
    assert environment.method_twin("langchain_core.runnables.Runnable", "invoke") is not None
    assert environment.method_twin("langgraph.graph.state.CompiledStateGraph", "get_graph") is None, "a local drawing"
    assert environment.method_twin("langchain_core.chat_history.InMemoryChatMessageHistory", "clear") is None, "in memory"
