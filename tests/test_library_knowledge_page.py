"""docs/library-knowledge.md: its generated tables are current, its worked example holds both
ways (the package installed where async-lint runs, and not), and its pre-commit recipes name the
hooks this repository ships."""

from __future__ import annotations

import importlib.util
import re
import site
import textwrap
from pathlib import Path

import pytest
import yaml

from async_lint.analysis import distributions
from async_lint.analysis.project import project_layout
from async_lint.config import RuleOptions
from async_lint.docs import with_knowledge_tables
from async_lint.engine.checker import check_text
from async_lint.rules import build_rule_set
from async_lint.engine.project_index import ProjectIndex
from tests.helpers import REPO, run_cli

PAGE = REPO / "docs" / "library-knowledge.md"

FAKE_QDRANT = {
    "qdrant_client/__init__.py": "from qdrant_client.qdrant_client import QdrantClient\nfrom qdrant_client.async_qdrant_client import AsyncQdrantClient\n",
    "qdrant_client/qdrant_client.py": """
        class QdrantClient:
            def __init__(self, url=None):
                self.url = url

            def search(self, collection_name, query_vector, limit=10):
                return []

            def close(self):
                pass
    """,
    "qdrant_client/async_qdrant_client.py": """
        class AsyncQdrantClient:
            def __init__(self, url=None):
                self.url = url

            async def search(self, collection_name, query_vector, limit=10):
                return []

            async def close(self):
                pass
    """,
    "qdrant_client-9.9.9.dist-info/METADATA": "Metadata-Version: 2.1\nName: qdrant-client\nVersion: 9.9.9\n",
    "qdrant_client-9.9.9.dist-info/top_level.txt": "qdrant_client\n",
    "qdrant_client-9.9.9.dist-info/RECORD": "",
}


def _block(marker: str) -> str:
    """The fenced block after `<!-- example: marker -->`."""
    match = re.search(rf"<!-- example: {marker} -->\n```[a-z]*\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)
    assert match, f"no `{marker}` example in {PAGE}"
    return match.group(1)


def test_the_generated_tables_are_current() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert with_knowledge_tables(text) == text, "regenerate with `python -m async_lint.docs docs/rules`"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "site-packages"
    for name, text in FAKE_QDRANT.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(directory))
    distributions._distributions.cache_clear()
    distributions._requirements.cache_clear()
    yield directory
    distributions._distributions.cache_clear()
    distributions._requirements.cache_clear()


def _shown(tmp_path: Path, environment: list[Path]) -> list[str]:
    app = tmp_path / "project" / "app.py"
    app.parent.mkdir(exist_ok=True)
    source = _block("app.py")
    app.write_text(source)
    index = ProjectIndex(project_layout(app.parent, (), [app.parent]), environment=environment)
    found = check_text(source, "app.py", build_rule_set(frozenset({"ASL401"}), RuleOptions()), project=index, path=app)
    return [f"app.py:{d.start.row}:{d.start.column}: {d.code} {d.message}" for d in found]


def test_the_example_with_the_package_installed(tmp_path: Path, installed: Path) -> None:
    assert _shown(tmp_path, [installed, *map(Path, site.getsitepackages())]) == [_block("finding").strip()]


def test_the_example_without_the_package(tmp_path: Path) -> None:
    if importlib.util.find_spec("qdrant_client") is not None:
        pytest.skip("qdrant_client is installed here")
    assert _shown(tmp_path, list(map(Path, site.getsitepackages()))) == []
    (tmp_path / "app.py").write_text(_block("app.py"))
    result = run_cli("check", "--no-cache", "-j", "1", "--explain-unresolved", "app.py", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert _block("explanation").strip() in result.stderr.splitlines()


def test_the_recipes_name_the_shipped_hooks() -> None:
    shipped = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    recipes = re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)
    remote, local = (yaml.safe_load(recipe)["repos"][0] for recipe in recipes)
    [hook] = remote["hooks"]
    assert hook["id"] in shipped and hook["additional_dependencies"]
    [own] = local["hooks"]
    assert local["repo"] == "local" and own["language"] == "system"
    assert own["entry"] == shipped[own["id"]]["entry"]
