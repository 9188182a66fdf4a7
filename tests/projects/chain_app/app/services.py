"""Sync service functions, shared by the CLI and the web app."""

from app import agents
from app.reporting import build_report


def answer_question(question):
    return agents.assistant.reply(question)


def careful_answer(question):
    return agents.assistant.careful_reply(question)


def nightly_report():
    return build_report("rows.csv")
