"""Source 4: annotations."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional, Union

import httpx

from app.annotations.aliases import HttpDep, MaybeClient

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


async def fetch(client: httpx.Client, maybe: Optional[httpx.Client], either: httpx.Client | None) -> None:
    client.get("https://example.com")  # error: ASL301
    if maybe is not None:
        maybe.get("https://example.com")  # error: ASL301
    if either:
        either.post("https://example.com")  # error: ASL301


async def ask(llm: "BaseChatModel", question: str) -> str:
    return llm.invoke(question).content  # error: ASL400


async def read_all(paths: list[Path]) -> list[str]:
    texts = []
    for path in paths:
        texts.append(path.read_text())  # error: ASL302
    return texts


async def mixed(value: Union[httpx.Client, httpx.AsyncClient]) -> None:
    value.get("https://example.com")  # one of two types: nothing to report


async def annotated_local() -> None:
    client: httpx.Client = make_client()
    client.get("https://example.com")  # error: ASL301


def make_client():
    return None


async def through_aliases(http: HttpDep, other: MaybeClient = None) -> None:
    http.get("https://example.com")  # error: ASL301
    if other is not None:
        other.get("https://example.com")  # error: ASL301
