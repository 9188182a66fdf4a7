"""ASL105 await-outside-async, for real: CPython refuses to compile the module
(`SyntaxError: 'await' outside async function`); the suggested `async def` compiles and runs."""

from __future__ import annotations

import asyncio

import pytest

from tests.runtime.proofs import assert_flagged, source

CODE = source(
    """
    import asyncio


    def load_profile(user_id):
        await asyncio.sleep(0)
        return {"id": user_id}
    """
)


def test_await_in_a_plain_def_does_not_compile_and_async_def_does() -> None:
    assert_flagged(CODE, "ASL105")
    with pytest.raises(SyntaxError, match="'await' outside async function"):
        compile(CODE, "profile.py", "exec")
    suggested = CODE.replace("def load_profile", "async def load_profile")
    namespace: dict = {}
    exec(compile(suggested, "profile.py", "exec"), namespace)
    assert asyncio.run(namespace["load_profile"](3)) == {"id": 3}
