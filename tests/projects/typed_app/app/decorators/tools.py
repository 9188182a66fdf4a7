"""Source 5: decorators that change what a name is."""

from functools import lru_cache

import httpx
from fastapi import Depends, FastAPI
from langchain_core.tools import tool
from openai import OpenAI

app = FastAPI()


@tool
async def lookup(query: str) -> str:
    """Look something up."""
    return query


@lru_cache
def get_llm():
    return OpenAI()


def get_http() -> httpx.Client:
    return httpx.Client()


class Agent:
    @property
    def client(self) -> OpenAI:
        return get_llm()
