"""Source 2: what factories return, annotated or not, functions and methods."""

import sqlite3

import httpx
from langchain_community.vectorstores import FAISS
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from langgraph.graph import StateGraph


def get_http() -> httpx.Client:
    return make_anything()


def open_db():
    return sqlite3.connect("app.db")


def make_anything():
    return object()


async def summarise(state: dict) -> dict:
    return state


def build_graph():
    builder = StateGraph(dict)
    builder.add_node("summarise", summarise)
    return builder.compile()


class Retriever:
    def __init__(self) -> None:
        self.store = FAISS.from_texts(["a"], OpenAIEmbeddings())

    def load_retriever(self):
        return self.store.as_retriever()

    def llm(self) -> ChatOpenAI:
        return ChatOpenAI(model="m")
