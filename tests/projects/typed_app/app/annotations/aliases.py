"""Type aliases, FastAPI's idiom for dependencies."""

from typing import Annotated

import httpx
from fastapi import Depends


def get_http() -> httpx.Client:
    return httpx.Client()


HttpDep = Annotated[httpx.Client, Depends(get_http)]
MaybeClient = httpx.Client | None
