"""ASL301 blocking-http: a sync HTTP request in a coroutine stalls the event loop."""

from __future__ import annotations

from async_lint.knowledge.blocking_calls import BlockingFamily
from async_lint.rules.base import Invalid
from async_lint.rules.blocking_call_rule import ALLOWED, HANDED_OFF, SYNC_CODE, BlockingCallRule


class BlockingHttp(BlockingCallRule):
    """Flags a synchronous HTTP request inside an `async def`: the `requests` verbs and
    `requests.Session` methods, `urllib.request.urlopen`, `urllib3` pool requests,
    `http.client.HTTPConnection` requests, the module-level `httpx` (and `httpx2`) verbs, and
    every method of a `requests.Session`, `httpx.Client` or `urllib3` pool but the few that send
    nothing (`build_request`, `mount`, `close`...). A session or client counts when it is shown to
    be one: assigned from its constructor (`s = requests.Session()`), bound by `with
    httpx.Client() as c:`, annotated as one (`client: httpx.Client | None`), a module-level client
    used in the coroutine, or a `self.client` the class assigns so."""

    code = "ASL301"
    family = BlockingFamily.HTTP
    proof = "tests/runtime/test_asl301.py"
    name = "blocking-http"
    summary = "a sync HTTP call (`requests`, `urllib`, `httpx.get`, `httpx.Client`) inside `async def`"
    why = (
        "A sync HTTP request holds the event loop's only thread for the whole round trip (DNS, "
        "connect, TLS, the server's response time): every other request the service is handling "
        "waits, so one slow upstream turns into a stall of the whole process, and timeouts set on "
        "`asyncio.wait_for` cannot interrupt it."
    )
    use_instead = (
        "An async client: `async with httpx.AsyncClient() as client: response = await "
        "client.get(url)` (or `aiohttp`); or, for a one-off call, `await asyncio.to_thread(requests.get, url)`."
    )
    not_flagged = (
        ("`httpx.AsyncClient` and `aiohttp` calls (awaited), and `.get()` on objects not shown to be "
        "a sync session or client (`payload.get(...)`, `dict.get`, a parameter with no annotation)."),
        HANDED_OFF,
        SYNC_CODE,
        "A local function or method that happens to be called `get`/`post`/`request`.",
        ALLOWED,
    )
    valid = (
        """
        import httpx

        async def fetch(url):
            async with httpx.AsyncClient() as client:
                return (await client.get(url)).json()
        """,
        """
        import asyncio
        import requests

        async def fetch(url):
            return await asyncio.to_thread(requests.get, url)
        """,
        """
        async def lookup(payload, key):
            return payload.get(key)
        """,
    )
    invalid = (
        Invalid(
            """
            import requests

            async def fetch_user(user_id):
                response = requests.get(f"https://api.example.com/users/{user_id}")
                return response.json()
            """,
            fixed="""
            import asyncio
            import requests

            async def fetch_user(user_id):
                response = await asyncio.to_thread(requests.get, f"https://api.example.com/users/{user_id}")
                return response.json()
            """,
        ),
        Invalid(
            """
            import httpx

            async def post_all(items):
                with httpx.Client(base_url="https://api.example.com") as client:
                    for item in items:
                        client.post("/items", json=item)
            """,
            fixed="""
            import asyncio
            import httpx

            async def post_all(items):
                with httpx.Client(base_url="https://api.example.com") as client:
                    for item in items:
                        await asyncio.to_thread(client.post, "/items", json=item)
            """,
        ),
    )
