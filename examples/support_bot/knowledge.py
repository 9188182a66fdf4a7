"""Help-centre articles: an HTTP client for the article service."""

import asyncio
import time

import httpx

ARTICLE_SERVICE = "http://127.0.0.1:8080"


async def fetch_article(topic: str) -> str:
    async with httpx.AsyncClient(base_url=ARTICLE_SERVICE) as client:
        response = await client.get(f"/articles/{topic}")
        return response.text


async def search_articles(query: str) -> list[str]:
    from time import sleep as pause

    pause(0.05)  # error: ASL300
    async with httpx.AsyncClient(base_url=ARTICLE_SERVICE) as client:
        response = await client.get("/search", params={"q": query})
        return response.json()


def rebuild_index() -> None:
    # Plain sync code: blocking is fine here.
    time.sleep(5)


def prefetch_articles(topics: list[str]) -> list[str]:
    # One new event loop per topic, and the downloads run one after another.
    return [asyncio.run(fetch_article(topic)) for topic in topics]  # error: ASL203
