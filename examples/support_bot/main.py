"""HTTP API of the support bot: FastAPI routes that answer questions with a LangGraph agent.

Every line marked `# error: ASLxxx` is a mistake async-lint reports (the test suite checks that
the findings are exactly these lines).
"""

import asyncio
import time
from datetime import datetime, timezone
from pathlib import Path

from fastapi import FastAPI
from groq import Groq

from agent import SupportAgent
from knowledge import faq_answer, fetch_article, record_feedback

app = FastAPI()
agent = SupportAgent()
FEEDBACK_LOG = Path("feedback.log")


@app.get("/health")
async def health() -> dict:
    time.sleep(0.1)  # error: ASL300
    return {"ok": True}


@app.get("/articles/{topic}")
async def article(topic: str) -> dict:
    text = asyncio.run(fetch_article(topic))  # error: ASL200
    return {"topic": topic, "text": text}


@app.post("/feedback")
async def feedback(topic: str, helpful: bool) -> dict:
    # Forgot `await`: the coroutine is dropped and the feedback is never sent.
    record_feedback(topic, helpful)  # error: ASL100
    return {"status": "thanks"}


@app.get("/slow-report")
def slow_report() -> dict:
    # A sync route: FastAPI runs it in a worker thread, so blocking here is fine.
    time.sleep(1)
    return {"status": "done"}


@app.post("/ask")
async def ask(question: str) -> dict:
    # `SupportAgent.answer` runs `asyncio.run(...)`: inside this route's running loop, it raises.
    return {"answer": agent.answer(question)}  # error: ASL202


@app.get("/faq")
async def faq(question: str) -> dict:
    # `faq_answer` reads the FAQ file with a plain `open()`, two calls down: the loop stalls.
    answer = faq_answer(question)  # error: ASL305
    return {"question": question, "answer": answer}


@app.post("/rating")
async def rate_answer(topic: str, rating: int) -> dict:
    # Fire-and-forget: nothing keeps the task, so it can be garbage-collected mid-request.
    asyncio.create_task(record_feedback(topic, rating >= 4))  # error: ASL104
    return {"ok": True}


@app.post("/notes")
async def save_note(text: str) -> dict:
    stamp = datetime.now(timezone.utc).isoformat()
    with FEEDBACK_LOG.open("a") as log:  # error: ASL302
        log.write(f"{stamp}\t{text}\n")  # error: ASL302
    return {"saved": True}


@app.post("/translate")
async def translate(text: str, language: str = "French") -> dict:
    # The sync Groq client holds the event loop for the whole model call.
    client = Groq()
    completion = client.chat.completions.create(  # error: ASL401
        model="llama-3.1-8b-instant",
        messages=[{"role": "user", "content": f"Translate into {language}: {text}"}],
    )
    return {"translation": completion.choices[0].message.content}
