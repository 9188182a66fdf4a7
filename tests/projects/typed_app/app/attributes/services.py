"""Source 3: attributes set anywhere in a class."""

from dataclasses import dataclass

import httpx
from openai import OpenAI
from pydantic import BaseModel

from app.factories.builders import build_graph


class ChatService:
    client: OpenAI

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.graph = build_graph()
        self.cache = None

    def connect(self) -> None:
        self.client = OpenAI()
        with httpx.Client() as self.session:
            pass

    async def reply(self, question: str) -> str:
        self.http.get("https://example.com")  # error: ASL301
        self.graph.invoke({"question": question})  # error: ASL404
        self.client.chat.completions.create(model="m", messages=[])  # error: ASL401
        self.session.post("https://example.com")  # error: ASL301
        return question


@dataclass
class Settings:
    http: httpx.Client


class Clients(BaseModel):
    llm: OpenAI

    model_config = {"arbitrary_types_allowed": True}


async def use(settings: Settings, clients: Clients) -> None:
    settings.http.get("https://example.com")  # error: ASL301
    clients.llm.chat.completions.create(model="m", messages=[])  # error: ASL401
