"""The installed packages, read where the knowledge tables are silent (`analysis/environment.py`):
a class defined only in an installed package is known by its bases; without the package, the
built-in tables still answer for the names they list; the packages' models are cached in the
user's cache directory and reused by the next project's run."""

from __future__ import annotations

import site
import textwrap
from pathlib import Path

import pytest

from async_lint.analysis import distributions
from async_lint.analysis.project import project_layout
from async_lint.config import RuleOptions
from async_lint.engine.checker import check_text
from async_lint.rules import build_rule_set
from async_lint.engine.project_index import ProjectIndex

RULES = build_rule_set(frozenset({"ASL400", "ASL405"}), RuleOptions())

APP = """\
from fancy_tools.search import FancySearch
from langchain_core.language_models.fake import FakeListLLM
from langchain_openai import ChatOpenAI

search = FancySearch()
llm = FakeListLLM(responses=["a"])
listed = ChatOpenAI(model="m")


async def handler(question):
    search.invoke(question)
    llm.invoke(question)
    listed.invoke(question)
"""

FANCY = {
    "fancy_tools/__init__.py": "",
    "fancy_tools/base.py": """
        from langchain_core.tools import BaseTool


        class SearchBase(BaseTool):
            name: str = "search"
    """,
    "fancy_tools/search.py": """
        from fancy_tools.base import SearchBase


        class FancySearch(SearchBase):
            description: str = "finds things"
    """,
    "fancy_tools-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: fancy-tools\nVersion: 1.0\nRequires-Dist: langchain-core>=1.0\n",
    "fancy_tools-1.0.dist-info/top_level.txt": "fancy_tools\n",
    "fancy_tools-1.0.dist-info/RECORD": "",
}


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site directory with a package no table lists, which requires langchain-core."""
    directory = tmp_path / "site-packages"
    for name, text in FANCY.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(directory))
    distributions._distributions.cache_clear()
    distributions._requirements.cache_clear()
    yield directory
    distributions._distributions.cache_clear()
    distributions._requirements.cache_clear()


def _rows(tmp_path: Path, environment: list[Path], cache: Path | None = None) -> dict[int, str]:
    app = tmp_path / "project" / "app.py"
    app.parent.mkdir(exist_ok=True)
    app.write_text(APP)
    index = ProjectIndex(project_layout(app.parent, (), [app.parent]), environment=environment, environment_cache=cache)
    found = check_text(APP, str(app), RULES, project=index, path=app)
    return {d.start.row: d.message for d in found}


def test_a_class_defined_only_in_an_installed_package_is_known_by_its_bases(tmp_path: Path, installed: Path) -> None:
    rows = _rows(tmp_path, [installed, *map(Path, site.getsitepackages())])
    assert "tool: `FancySearch(...)`" in rows[11]
    assert "chat model: `FakeListLLM(...)`" in rows[12]  # langchain_core's own class, not in the tables
    assert "chat model: `ChatOpenAI(...)`" in rows[13]


def test_without_the_environment_the_tables_answer_for_what_they_list(tmp_path: Path, installed: Path) -> None:
    rows = _rows(tmp_path, [])
    assert sorted(rows) == [13], "FancySearch and FakeListLLM are unknown; ChatOpenAI is in the tables"


def test_a_package_that_cannot_derive_from_langchain_is_not_read(tmp_path: Path, installed: Path) -> None:
    (installed / "fancy_tools-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: fancy-tools\nVersion: 1.0\n")
    distributions._requirements.cache_clear()
    rows = _rows(tmp_path, [installed, *map(Path, site.getsitepackages())])
    assert 11 not in rows


def test_installed_models_are_cached_for_the_next_project(tmp_path: Path, installed: Path) -> None:
    cache = tmp_path / "user-cache"
    environment = [installed, *map(Path, site.getsitepackages())]
    first = ProjectIndex(project_layout(tmp_path, (), [tmp_path]), environment=environment, environment_cache=cache)
    second = ProjectIndex(project_layout(tmp_path / "other", (), []), environment=environment, environment_cache=cache)
    for index in (first, second):
        assert index.project.environment is not None
        assert index.project.environment.bases("fancy_tools.search.FancySearch")[:2] == (
            "fancy_tools.base.SearchBase",
            "langchain_core.tools.base.BaseTool",
        )
    assert any(cache.rglob("*.json"))
    readers = [index.environment_index for index in (first, second)]
    assert readers[0] is not None and readers[1] is not None
    assert readers[0].stats.summarised > 0 and readers[0].stats.from_cache == 0
    assert readers[1].stats.summarised == 0 and readers[1].stats.from_cache == readers[0].stats.summarised


def test_the_cli_reads_the_environment_it_runs_in(tmp_path: Path) -> None:
    from tests.helpers import run_cli

    (tmp_path / "app.py").write_text(
        "from langchain_core.language_models.fake import FakeListLLM\n\n"
        "llm = FakeListLLM(responses=['a'])\n\n\n"
        "async def handler(q):\n"
        "    return llm.invoke(q)\n"
    )
    result = run_cli("check", "--no-cache", "app.py", cwd=tmp_path)
    assert "app.py:7:12: ASL400" in result.stdout, result.stdout + result.stderr


LISTED = """\
import boto3
import httpx
from langchain_core.runnables import RunnableLambda
from langgraph.graph import StateGraph
from openai import OpenAI

client = OpenAI()
http = httpx.Client()
s3 = boto3.client("s3")
chain = RunnableLambda(lambda x: x)
graph = StateGraph(dict).compile()


async def handler(question):
    client.chat.completions.create(model="m", messages=[])
    http.get("https://example.com")
    s3.put_object(Bucket="b", Key="k", Body=b"")
    chain.invoke(question)
    graph.invoke({"q": question})
"""


def test_the_built_in_names_give_the_same_findings_with_the_packages_installed_or_absent(tmp_path: Path) -> None:
    """The tables are the offline baseline: for names they list (openai, httpx, boto3,
    langchain_core, langgraph, all installed in the test environment), reading the installed
    sources changes no finding, message or fix."""
    from tests.helpers import default_codes

    rules = build_rule_set(default_codes(), RuleOptions())
    app = tmp_path / "project" / "app.py"
    app.parent.mkdir()
    app.write_text(LISTED)

    def findings(environment: list[Path]) -> list[tuple[int, str, str, str | None]]:
        index = ProjectIndex(project_layout(app.parent, (), [app.parent]), environment=environment, environment_cache=tmp_path / "cache")
        found = check_text(LISTED, str(app), rules, project=index, path=app)
        return sorted((d.start.row, d.code, d.message, d.fix.message if d.fix else None) for d in found)

    installed = findings([Path(p) for p in site.getsitepackages()])
    absent = findings([])
    assert [(row, code) for row, code, _, _ in installed] == [(15, "ASL401"), (16, "ASL301"), (17, "ASL304"), (18, "ASL400"), (19, "ASL400")]
    assert installed == absent
