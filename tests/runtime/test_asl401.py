"""ASL401 sync-llm-client-in-async, for real: the sync `OpenAI` client in a coroutine stalls the
event loop for the whole HTTP round trip (a slow local server stands in for the API); the
`AsyncOpenAI` client, awaited (the documented replacement), keeps it ticking."""

from __future__ import annotations

from pathlib import Path

from tests.runtime.heartbeat import blocks_the_loop, lets_the_loop_run
from tests.runtime.local_http import DELAY, slow_server
from tests.runtime.proofs import assert_flagged, load, source

CODE = source(
    """
    from openai import OpenAI

    BASE_URL = ""


    async def available_models():
        client = OpenAI(base_url=BASE_URL, api_key="test", max_retries=0)
        return [model.id for model in client.models.list()]
    """
)

REPLACEMENT = source(
    """
    from openai import AsyncOpenAI

    BASE_URL = ""


    async def available_models():
        client = AsyncOpenAI(base_url=BASE_URL, api_key="test", max_retries=0)
        return [model.id async for model in client.models.list()]
    """
)


def test_sync_sdk_client_stalls_the_loop_and_the_async_client_does_not(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL401")
    broken = load(CODE, tmp_path)
    replacement = load(REPLACEMENT, tmp_path)
    with slow_server() as base_url:
        broken.BASE_URL = replacement.BASE_URL = base_url
        assert blocks_the_loop(broken.available_models, DELAY * 0.8)
        assert lets_the_loop_run(replacement.available_models)
