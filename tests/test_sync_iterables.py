"""`analysis.sync_iterables`: what `async for` may be told it cannot iterate (ASL102's other
direction), and the look-alikes it must leave alone."""

from __future__ import annotations

import libcst as cst
import pytest

from async_lint.analysis.sync_iterables import SyncIterable, sync_iterable
from async_lint.analysis.walker import ModuleWalker
from tests.helpers import source_of, walker

PRELUDE = source_of(
    """
    import asyncio
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

    def numbers():
        yield 1

    async def agen():
        yield 1

    def make_agen():
        return agen()

    class Feed:
        def __iter__(self):
            return iter([1])

    class Both:
        def __iter__(self):
            return iter([1])

        def __aiter__(self):
            return self

    class Remote(SomethingExternal):
        def __iter__(self):
            return iter([1])

    def maybe(flag):
        return [1] if flag else agen()
    """
)


def _verdict(iterable: str, params: str = "") -> SyncIterable | None:
    text = PRELUDE + f"\nasync def target({params}):\n    async for item in {iterable}:\n        pass\n"
    found: list[SyncIterable | None] = []

    def on_for(node: cst.CSTNode, ctx: ModuleWalker) -> None:
        assert isinstance(node, cst.For)
        if node.asynchronous is not None:
            found.append(sync_iterable(node.iter, ctx))

    walker(text, {cst.For: [("T", on_for)]}).walk()
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(
    ("iterable", "params", "type_name"),
    [
        ("[1, 2]", "", "list"),
        ("(1, 2)", "", "tuple"),
        ("{'a': 1}", "", "dict"),
        ("'abc'", "", "str"),
        ("b'abc'", "", "bytes"),
        ("[x for x in range(3)]", "", "list"),
        ("(x for x in range(3))", "", "generator"),
        ("range(3)", "", "range"),
        ("enumerate([1])", "", "enumerate"),
        ("sorted(items)", "items", "list"),
        ("numbers()", "", "generator"),
        ("Feed()", "", "Feed"),
        ("items", "items: list[str]", "list"),
        ("items", "items: Iterator[str]", None),
        ("Path('.').iterdir()", "", None),
        ("mapping.items()", "mapping: dict[str, int]", None),
    ],
)
def test_known_sync_iterables(iterable: str, params: str, type_name: str | None) -> None:
    verdict = _verdict(iterable, params)
    assert verdict is not None
    assert verdict.type_name == type_name


@pytest.mark.parametrize(
    ("iterable", "params"),
    [
        ("agen()", ""),
        ("make_agen()", ""),
        ("Both()", ""),
        ("Remote()", ""),
        ("maybe(True)", ""),
        ("stream", "stream"),
        ("stream", "stream: AsyncIterator[int]"),
        ("(x async for x in agen())", ""),
        ("(await asyncio.sleep(0, x) for x in range(3))", ""),
        ("unknown_call()", ""),
    ],
)
def test_unknown_or_async_iterables_stay_silent(iterable: str, params: str) -> None:
    assert _verdict(iterable, params) is None
