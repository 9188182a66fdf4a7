"""ASL106 coroutine-used-as-value, for real: `if is_allowed(user):` takes the branch for every
user (a coroutine object is always true) and `is_allowed` never runs (Python warns it was never
awaited); the fixed `if await is_allowed(user):` runs it and decides. Coroutines kept in a dict
of which one is awaited leave the others never run."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

import pytest

from tests.runtime.proofs import assert_flagged, fixed, load, source

CODE = source(
    """
    checked = []


    async def is_allowed(user):
        checked.append(user)
        return user == "admin"


    async def handler(user):
        if is_allowed(user):
            return "welcome"
        return "denied"
    """
)

PICKED = source(
    """
    answered = []


    async def answer(text):
        answered.append(text)
        return text


    async def reply(key):
        handlers = {"a": answer("a"), "b": answer("b")}
        return await handlers[key]
    """
)


def test_the_condition_is_always_true_and_the_coroutine_never_runs(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL106")
    broken = load(CODE, tmp_path)
    with pytest.warns(RuntimeWarning, match="coroutine 'is_allowed' was never awaited"):
        assert asyncio.run(broken.handler("guest")) == "welcome"
        gc.collect()
    assert broken.checked == []
    repaired_code = fixed(CODE, "ASL106")
    assert "if await is_allowed(user):" in repaired_code
    repaired = load(repaired_code, tmp_path)
    assert [asyncio.run(repaired.handler(user)) for user in ("guest", "admin")] == ["denied", "welcome"]  # noqa: ASL203 - a fresh loop per call
    assert repaired.checked == ["guest", "admin"]


def test_coroutines_kept_but_not_picked_never_run(tmp_path: Path) -> None:
    assert_flagged(PICKED, "ASL106")
    module = load(PICKED, tmp_path)
    with pytest.warns(RuntimeWarning, match="coroutine 'answer' was never awaited"):
        assert asyncio.run(module.reply("a")) == "a"
        gc.collect()
    assert module.answered == ["a"]
