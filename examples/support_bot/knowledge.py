"""Help-centre articles: an HTTP client for the article service."""

import asyncio
import json
import time
from pathlib import Path

import httpx
import requests

ARTICLE_SERVICE = "http://127.0.0.1:8080"
TRANSLATION_SERVICE = "http://127.0.0.1:8090"
FAQ_FILE = Path(__file__).parent / "faq.json"


async def fetch_article(topic: str) -> str:
    async with httpx.AsyncClient(base_url=ARTICLE_SERVICE) as client:
        response = await client.get(f"/articles/{topic}")
        return response.text


async def stream_article(topic: str):
    """Yield an article line by line, as the article service sends it."""
    async with httpx.AsyncClient(base_url=ARTICLE_SERVICE) as client:
        with client.stream("GET", f"/articles/{topic}") as response:  # error: ASL103
            async for line in response.aiter_lines():
                yield line


async def search_articles(query: str) -> list[str]:
    from time import sleep as pause

    pause(0.05)  # error: ASL300
    async with httpx.AsyncClient(base_url=ARTICLE_SERVICE) as client:
        response = await client.get("/search", params={"q": query})
        return response.json()


async def record_feedback(topic: str, helpful: bool) -> None:
    async with httpx.AsyncClient(base_url=ARTICLE_SERVICE) as client:
        await client.post("/feedback", json={"topic": topic, "helpful": helpful})


def rebuild_index() -> None:
    # Plain sync code: blocking is fine here.
    time.sleep(5)


def prefetch_articles(topics: list[str]) -> list[str]:
    # One new event loop per topic, and the downloads run one after another.
    return [asyncio.run(fetch_article(topic)) for topic in topics]  # error: ASL203


async def load_faq() -> dict:
    with open(FAQ_FILE) as f:  # error: ASL302
        return json.load(f)  # error: ASL302


async def translate(text: str, language: str) -> str:
    response = requests.post(  # error: ASL301
        f"{TRANSLATION_SERVICE}/translate", json={"text": text, "target": language}, timeout=10
    )
    return response.json()["text"]


def faq_answer(question: str) -> str | None:
    """The canned answer to a frequently asked question, if there is one."""
    return _read_faq().get(question.strip().lower())


def _read_faq() -> dict:
    # Sync file I/O: fine in a script, but it blocks the loop when async code calls faq_answer.
    with open(FAQ_FILE) as f:
        return json.load(f)


def export_faq(target: Path) -> None:
    # Sync code (a CLI command): file I/O is fine here.
    target.write_text(FAQ_FILE.read_text())
