"""`--explain-unresolved` says which receivers of calls in async code stayed unknown and why, in
terms a user can act on: a package not installed where async-lint runs (install it into the hook's
environment), an installed class nothing explains (installing more will not help), a name bound in
a way the model does not follow (annotate it)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.helpers import run_cli

APP = """\
from notinstalled_sdk import Client
from starlette.datastructures import URL

client = Client()
url = URL("https://example.com")


class Cog:
    def __init__(self, bot):
        self.db = bot.db

    async def add(self, row):
        self.db.execute("INSERT", row)


async def handler(collection, q):
    client.search(q)
    url.replace(path="/")
    return collection.find_one({"q": q})
"""


def _explained(tmp_path: Path, path: str = "app.py") -> list[str]:
    (tmp_path / "app.py").write_text(textwrap.dedent(APP))
    result = run_cli("check", "--no-cache", "-j", "1", "--explain-unresolved", path, cwd=tmp_path)
    return [line for line in result.stderr.splitlines() if line.startswith("async-lint: unresolved ")]


def test_each_unknown_receiver_says_why(tmp_path: Path) -> None:
    lines = _explained(tmp_path)
    assert (
        "async-lint: unresolved package: `notinstalled_sdk` is neither a module of the project nor installed where "
        "async-lint runs, and no table lists `notinstalled_sdk.Client` (first met in app.py: in handler: "
        "`client.search()`): if it is a LangChain integration or a client library, install it there (pre-commit: "
        "`additional_dependencies`) so that async-lint reads its classes; if it is the project's own, add its "
        "directory to `src`"
    ) in lines
    assert any(
        line.startswith("async-lint: unresolved class: `starlette.datastructures.URL`: `starlette` ")
        and "is installed, but neither the tables nor its sources" in line
        for line in lines
    ), lines
    assert (
        "async-lint: unresolved receiver: app.py: in handler: `collection.find_one()`: `collection` is a parameter "
        "without annotation (annotate it with the class it holds)"
    ) in lines
    assert (
        "async-lint: unresolved receiver: app.py: in Cog.add: `self.db.execute()`: `self.db` is assigned `bot.db`, "
        "whose type the model does not know (annotate it in the class body)"
    ) in lines


def test_one_line_per_package_and_per_receiver(tmp_path: Path) -> None:
    (tmp_path / "more.py").write_text(
        "from notinstalled_sdk import Other\n\nother = Other()\n\n\nasync def g(collection):\n"
        "    other.search(1)\n    collection.find_one({})\n    collection.find_one({})\n"
    )
    lines = _explained(tmp_path, ".")
    assert sum("unresolved package: `notinstalled_sdk`" in line for line in lines) == 1, "two files, two classes: one line"
    assert sum("more.py: in g: `collection.find_one()`" in line for line in lines) == 1, "two calls: one line"
