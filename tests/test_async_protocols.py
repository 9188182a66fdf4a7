"""ASL102-ASL105 beyond the fixtures: what the engine reports for code CPython will not compile,
the edits the fixes make, and the per-module facts the rules share."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from async_lint.noqa import is_suppressed
from tests.helpers import check, fix, run_cli

AWAIT_IN_PLAIN_DEF = """\
def answer(graph, question):
    return await graph.ainvoke({"question": question})
"""


def test_await_in_plain_def_is_asl105_not_a_syntax_error(tmp_path: Path) -> None:
    """LibCST and `ast.parse` accept the file, CPython's compiler does not: ASL105 is where the
    user learns it, never a bare ASL001."""
    source = tmp_path / "bot.py"
    source.write_text(AWAIT_IN_PLAIN_DEF)
    result = run_cli("check", "--no-cache", "--select", "ASL105", str(source))
    assert result.returncode == 1, result.stderr
    assert "ASL105" in result.stdout
    assert "ASL001" not in result.stdout
    assert "SyntaxError: 'await' outside async function" in result.stdout


def test_file_with_await_and_no_async_keyword_is_checked() -> None:
    """The word `async` appears nowhere in this file: the trigger `await` must still let it in."""
    assert "async" not in AWAIT_IN_PLAIN_DEF
    assert [d.code for d in check(AWAIT_IN_PLAIN_DEF, frozenset({"ASL105"}))] == ["ASL105"]


def test_await_suggestion_inserts_async_before_def() -> None:
    source = "class Agent:\n    @property\n    def run(self):\n        return await self.graph.ainvoke({})\n"
    [diagnostic] = check(source, frozenset({"ASL105"}))
    assert diagnostic.fix is not None
    [edit] = diagnostic.fix.edits
    assert (edit.start.row, edit.start.column, edit.content) == (3, 5, "async ")
    assert edit.start == edit.end


def test_nested_for_fix_keeps_indentation() -> None:
    source = (
        "class Bot:\n"
        "    async def run(self, graph):\n"
        "        if graph:\n"
        "            for chunk in graph.astream({}):\n"
        "                print(chunk)\n"
    )
    assert fix(source, frozenset({"ASL102"})) == source.replace("for chunk", "async for chunk")


def test_reverse_with_fix_removes_async_and_its_space() -> None:
    source = "import threading\n\nlock = threading.Lock()\n\n\nasync def f():\n    async  with lock:\n        pass\n"
    fixed = fix(source, frozenset({"ASL103"}), unsafe=True)
    assert "    with lock:\n" in fixed
    assert fix(source, frozenset({"ASL103"})) == source, "the reverse fix is unsafe: not applied by --fix"


def test_noqa_names_codes_with_several_letters() -> None:
    assert is_suppressed("ASL302", "x = 1  # noqa: ASL302")
    assert not is_suppressed("ASL103", "x = 1  # error: ASL103  # noqa: ASL302")
    assert is_suppressed("ASL103", "x = 1  # noqa")


def test_methods_of_project_classes_decide_what_a_call_returns() -> None:
    source = (
        "class Base:\n"
        "    async def __aenter__(self): return self\n"
        "    async def __aexit__(self, *a): pass\n"
        "class Child(Base):\n"
        "    def astream(self):\n"
        "        yield 1\n"
        "class Open(External):\n"
        "    pass\n"
        "async def rows():\n"
        "    yield 1\n"
        "async def use():\n"
        "    with Child():  # error: ASL103\n"
        "        pass\n"
        "    for x in Child().astream():\n"
        "        pass\n"
        "    for x in Open().astream():  # error: ASL102\n"
        "        pass\n"
        "    for x in rows():  # error: ASL102\n"
        "        pass\n"
    )
    found = {(d.start.row, d.code) for d in check(source, frozenset({"ASL102", "ASL103"}))}
    assert found == {(12, "ASL103"), (16, "ASL102"), (18, "ASL102")}, "Open's base from elsewhere may define astream: the name decides"


def test_method_found_after_a_base_from_elsewhere_is_unknown() -> None:
    source = (
        "class Local:\n"
        "    def astream(self):\n"
        "        yield 1\n"
        "class Mixed(External, Local):\n"
        "    async def run(self):\n"
        "        for item in self.astream():\n"
        "            print(item)\n"
        "class Own(Local):\n"
        "    async def run(self):\n"
        "        for item in self.astream():\n"
        "            print(item)\n"
    )
    assert check(source, frozenset({"ASL102"})) == [], "External may define astream first; Own uses Local's generator"


def test_openai_beta_stream_helper_is_an_async_context_manager() -> None:
    source = (
        "from openai import AsyncOpenAI\n"
        "client = AsyncOpenAI()\n"
        "async def ask(messages):\n"
        "    with client.beta.chat.completions.stream(model='m', messages=messages) as stream:\n"
        "        return stream\n"
    )
    assert [d.code for d in check(source, frozenset({"ASL103"}))] == ["ASL103"]
