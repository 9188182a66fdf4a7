"""Look-alikes that must stay silent."""

import random

from langchain_openai import ChatOpenAI


class Workflow:
    """Not a LangChain object, whatever its methods are called."""

    def invoke(self, data: dict) -> dict:
        return data

    def similarity_search(self, query: str) -> list:
        return []


def unknown_factory(name: str):
    return registry()[name]


def registry() -> dict:
    return {}


if random.random() > 0.5:
    model = ChatOpenAI(model="m")
else:
    model = Workflow()
