"""Async web handlers."""

import asyncio

from app import reporting
from app.services import answer_question, careful_answer


async def ask(question):
    return {"answer": answer_question(question)}  # error: ASL202


async def ask_carefully(question):
    return {"answer": careful_answer(question)}


async def report(path):
    summary = reporting.build_report(path)  # error: ASL305
    return {"summary": reporting.describe(summary)}


async def report_in_thread(path):
    summary = await asyncio.to_thread(reporting.build_report, path)
    return {"summary": reporting.describe(summary)}
