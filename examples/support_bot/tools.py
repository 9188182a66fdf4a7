"""Tools the support agent can call: a LangChain tool that looks up an article."""

import asyncio

from langchain_core.tools import tool

from knowledge import fetch_article


@tool
def lookup_article(topic: str) -> str:
    """Fetch the help-centre article about a topic."""
    # A sync tool that runs a coroutine: under a sync `invoke()` from a running loop (a notebook,
    # an async agent server) this raises, and elsewhere every call builds a new event loop.
    return asyncio.run(fetch_article(topic))  # error: ASL201
