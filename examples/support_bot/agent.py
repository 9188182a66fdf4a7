"""The support agent: a LangGraph graph with a retrieval node and an answer node."""

import asyncio
from typing import TypedDict

from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph

from knowledge import search_articles


class State(TypedDict):
    question: str
    context: list[str]
    answer: str


llm = ChatOpenAI(model="gpt-4o-mini")


async def retrieve(state: State) -> dict:
    articles = await search_articles(state["question"])
    return {"context": articles}


async def rewrite_question(state: State) -> dict:
    # An async node runs on the event loop: the sync `invoke` blocks every other request.
    rewritten = llm.invoke(f"Rewrite as a search query: {state['question']}")  # error: ASL400
    return {"question": rewritten.content}


def answer(state: State) -> dict:
    # A sync node: LangGraph runs it in a worker thread, so the sync `invoke` is fine here.
    reply = llm.invoke(f"Context: {state['context']}\n\nQuestion: {state['question']}")
    return {"answer": reply.content}


def build_graph():
    builder = StateGraph(State)
    builder.add_node("rewrite_question", rewrite_question)
    builder.add_node("retrieve", retrieve)
    builder.add_node("answer", answer)
    builder.add_edge(START, "rewrite_question")
    builder.add_edge("rewrite_question", "retrieve")
    builder.add_edge("retrieve", "answer")
    builder.add_edge("answer", END)
    return builder.compile()


class SupportAgent:
    def __init__(self) -> None:
        self.graph = build_graph()

    def answer(self, question: str) -> str:
        # Called from the async `/ask` route: asyncio.run inside a running loop fails there.
        result = asyncio.run(self.graph.ainvoke({"question": question}))
        return result["answer"]

    async def stream_answer(self, question: str):
        """Yield the answer as the graph produces it, for the streaming endpoint."""
        for state in self.graph.astream({"question": question}, stream_mode="values"):  # error: ASL102
            if "answer" in state:
                yield state["answer"]

    async def warm_up(self) -> None:
        loop = asyncio.get_event_loop()
        loop.run_until_complete(search_articles("warm-up"))  # error: ASL200


if __name__ == "__main__":
    # The script's entry point: the one right place for asyncio.run.
    print(asyncio.run(build_graph().ainvoke({"question": "How do I reset my password?"})))
