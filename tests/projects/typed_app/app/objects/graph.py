from typing import TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    question: str
    answer: str


async def enrich(state: State) -> State:
    return state


def answer(state: State) -> State:
    return state


builder = StateGraph(State)
builder.add_node("enrich", enrich)
builder.add_node("answer", answer)
builder.add_edge(START, "enrich")
builder.add_edge("enrich", "answer")
builder.add_edge("answer", END)
graph = builder.compile()

plain_builder = StateGraph(State)
plain_builder.add_node("answer", answer)
plain_graph = plain_builder.compile()
