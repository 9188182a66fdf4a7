"""`node_positions` gives exactly LibCST's `PositionProvider` ranges, for every kind of node."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from async_lint.engine.positions import node_positions
from tests.helpers import EXAMPLES, FIXTURES, SRC, all_nodes

SNIPPET = '''\
"""Docstring."""
import asyncio, time  # comment
from x import (a,
    b as c)

@decorator(1)
async def f(x: int = 1, *args, y, **kw) -> None:
    # leading comment
    if (x
            and y):
        await asyncio.sleep(0); time.sleep(1)
    elif x: pass
    else:
        return [i async for i in g() if i]  # trailing
    with open("p") as h, (yield) as z:
        lambda q: (q, {q: q}, {*q}, f"{q!r:>{x}}")
    try:
        pass
    except* ValueError as e:
        raise
    finally:
        del x
    match x:
        case [1, *rest] | {"k": _} if rest:
            pass

class C(Base, metaclass=M):
    attr: int = 0
    def m(self): return self.attr[1:2, ...]
'''


def _sources() -> list[Path]:
    return sorted([*FIXTURES.glob("*.py"), *EXAMPLES.rglob("*.py"), SRC / "async_lint" / "engine" / "checker.py"])


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_all_nodes_match_position_provider(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = all_nodes(module)
    found = node_positions(module, nodes)
    assert [n for n in nodes if found.get(n) != expected.get(n)] == []


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_each_node_alone_matches_position_provider(newline: str) -> None:
    """One node at a time: ranges hoisted from children not asked for are still right."""
    module = cst.parse_module(SNIPPET.replace("\n", newline))
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    wrong = [n for n in all_nodes(module) if node_positions(module, [n]).get(n) != expected.get(n)]
    assert wrong == []
