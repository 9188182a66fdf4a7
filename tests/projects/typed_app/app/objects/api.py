import app.objects.llm as deps
from app.objects import client, graph
from app.objects.graph import plain_graph
from app.objects.llm import http_client
from app.objects.star import OpenAI


async def chat(question: str) -> str:
    result = graph.invoke({"question": question})  # error: ASL404
    client.chat.completions.create(model="m", messages=[])  # error: ASL401
    deps.client.chat.completions.create(model="m", messages=[])  # error: ASL401
    plain_graph.invoke({"question": question})  # error: ASL400
    http_client.get("https://example.com")  # error: ASL301
    OpenAI().chat.completions.create(model="m", messages=[])  # error: ASL401
    return result["answer"]


def sync_chat(question: str) -> str:
    # Sync code may use the sync halves: nothing to report.
    client.chat.completions.create(model="m", messages=[])
    return plain_graph.invoke({"question": question})["answer"]
