"""A fix changes only the tokens it needs: `layout_edits` keeps every other character, comment
and line break of the old code, and never makes code that means something else."""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest

from async_lint.engine.fix_layout import layout_edits, one_line_message
from async_lint.engine.positions import locate_nodes, render_in_place
from tests.helpers import EXAMPLES, FIXTURES, all_nodes, check, fix


def _apply(old: str, new: str) -> str:
    text = old
    for edit in reversed(layout_edits(old, new).edits):
        text = text[: edit.start] + edit.content + text[edit.end :]
    return text


def test_inserted_keyword_is_the_only_edit() -> None:
    old = "fetch(\n        item,  # why\n        retries=3,\n    )"
    new = "await fetch(\nitem,  # why\nretries=3,\n)"
    layout = layout_edits(old, new)
    assert [(e.start, e.end, e.content) for e in layout.edits] == [(0, 0, "await ")]
    assert not layout.drops_comments


def test_renamed_name_keeps_the_gaps_around_it() -> None:
    old = "llm.invoke(\n    [\n        (\"user\", q),\n    ]\n)"
    new = "await llm.ainvoke([(\"user\", q),])"
    assert _apply(old, new) == "await llm.ainvoke(\n    [\n        (\"user\", q),\n    ]\n)"


def test_replaced_symbol_keeps_only_a_line_break() -> None:
    assert _apply("get(url)", "to_thread(get, url)") == "to_thread(get, url)"
    assert _apply("get(\n    url,\n)", "to_thread(get, url,\n)") == "to_thread(get,\n    url,\n)"


def test_line_break_stays_only_where_brackets_still_allow_it() -> None:
    """Without its parentheses, `a\\n+ b` would be two statements: the new code's gap wins, and
    the parentheses are not kept as grouping ones either (`await (a + b)` means something else)."""
    assert _apply("run(\n    a\n    + b\n)", "await a + b") == "await a + b"


def test_dropped_parentheses_stay_as_grouping_ones_when_lines_hang_on_them() -> None:
    old = "asyncio.run(  # note\n    fetch(\n        1,\n    )\n)"
    assert _apply(old, "await fetch(\n1,\n)") == "await (  # note\n    fetch(\n        1,\n    )\n)"
    assert _apply("asyncio.run(fetch(1))", "await fetch(1)") == "await fetch(1)"


def test_a_lost_comment_is_reported() -> None:
    assert layout_edits("run(  # why\n    x, debug=True)", "await x").drops_comments
    assert not layout_edits("run(x  # why\n)", "await x").drops_comments  # `await (x  # why` keeps it
    assert _apply("run(x  # why\n)", "await x") == "await (x  # why\n)"


def test_crlf_and_backslash_continuations_are_kept() -> None:
    old = "fetch(a, \\\r\n      b)"
    assert _apply(old, "await fetch(a, b)") == "await fetch(a, \\\r\n      b)"


def test_nothing_to_change_is_no_edit() -> None:
    assert layout_edits("f(\n  x)", "f(\n  x)").edits == ()


def _sources() -> list[Path]:
    return sorted([*FIXTURES.glob("ASL*.layout.py"), *EXAMPLES.rglob("*.py")])


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_every_multiline_call_awaited_or_renamed_means_what_the_tree_says(path: Path) -> None:
    """For every call that spans lines: wrapping it in `await` or renaming its method, as the
    minimal edits do it, gives the module LibCST's replacement gives, and touches only the
    call's first line."""
    text = path.read_text(encoding="utf-8")
    module = cst.parse_module(text)
    calls = [node for node in all_nodes(module) if isinstance(node, cst.Call)]
    sources = locate_nodes(module, [], with_source=calls).sources
    checked = 0
    for call in calls:
        source = sources[call]
        if source.start.line == source.end.line:
            continue
        replacements: list[cst.BaseExpression] = [cst.Await(expression=call)]
        if isinstance(call.func, cst.Attribute):
            replacements.append(call.with_changes(func=call.func.with_changes(attr=cst.Name("a" + call.func.attr.value))))
        for new in replacements:
            old_text = text[source.start_offset : source.end_offset]
            fixed = _apply(old_text, render_in_place(new, module, source.indent))
            result = text[: source.start_offset] + fixed + text[source.end_offset :]
            expected = module.deep_replace(call, new)
            assert isinstance(expected, cst.Module)
            assert ast.dump(ast.parse(result)) == ast.dump(ast.parse(expected.code))
            changed = [a for a, b in zip(text.splitlines(), result.splitlines(), strict=True) if a != b]
            assert len(changed) == 1, changed
            checked += 1
    assert checked > 0 or "layout" not in path.name


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Replace with `await asyncio.sleep(0.5\n)`", "Replace with `await asyncio.sleep(...)`"),
        ("Replace with `await llm.ainvoke(\n    [\n        1,\n    ]\n)`", "Replace with `await llm.ainvoke(...)`"),
        ("Replace with `await f(x)`", "Replace with `await f(x)`"),
        ("Use `a + \\\n b`", "Use `a + b`"),
    ],
)
def test_messages_quote_code_on_one_line(message: str, expected: str) -> None:
    assert one_line_message(message) == expected


def test_fix_titles_of_multiline_calls_are_one_line() -> None:
    text = "import asyncio\nimport time\n\n\nasync def f():\n    time.sleep(\n        0.5\n    )\n"
    [finding] = check(text)
    assert finding.fix is not None and finding.fix.message == "Replace with `await asyncio.sleep(...)`"


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        # every import sorts before `asyncio`: the new one goes after the last, not before the code
        ("import abc\nfrom app.store import Store\n", "import abc\nfrom app.store import Store\nimport asyncio\n"),
        ("import abc\nimport time\n", "import abc\nimport asyncio\nimport time\n"),  # in alphabetical place
    ],
)
def test_an_added_import_joins_the_imports(imports: str, expected: str) -> None:
    code = "\n\nasync def pause():\n    import time\n    time.sleep(1)\n"
    fixed = fix(imports + code, frozenset({"ASL300"}), unsafe=True)
    assert fixed == expected + code.replace("time.sleep(1)", "await asyncio.sleep(1)")
