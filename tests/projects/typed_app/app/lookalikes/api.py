from app.lookalikes.things import Workflow, model, unknown_factory

flow = Workflow()


async def handler(question: str) -> None:
    flow.invoke({"question": question})
    flow.similarity_search(question)
    unknown_factory("llm").invoke(question)
    model.invoke(question)  # bound to a chat model on one branch, a Workflow on the other
