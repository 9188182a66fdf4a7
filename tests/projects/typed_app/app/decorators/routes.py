import httpx
from fastapi import Depends

from app.decorators.tools import Agent, app, get_http, get_llm, lookup


@app.get("/lookup")
async def route(query: str, http=Depends(get_http)) -> str:
    http.get("https://example.com")  # error: ASL301
    get_llm().chat.completions.create(model="m", messages=[])  # error: ASL401
    Agent().client.chat.completions.create(model="m", messages=[])  # error: ASL401
    return lookup.invoke(query)  # error: ASL405


def sync_tool_call(query: str) -> str:
    return lookup.invoke(query)  # error: ASL405
