"""Every import form, resolved across modules."""

import store.pricing
import store.pricing as p
from store import Ledger, Repo, refresh
from store.pricing import FakeLLM, refresh_rates, sync_rates
from workflow.agent import Agent

from . import helpers
from ..bots import bot
from .helpers import notify as send_notification


async def import_forms() -> None:
    refresh_rates()  # error: ASL100
    p.refresh_rates()  # error: ASL100
    store.pricing.refresh_rates()  # error: ASL100
    refresh()  # error: ASL100
    helpers.notify("x")  # error: ASL100
    send_notification("x")  # error: ASL100
    sync_rates()
    await refresh_rates()


async def instances_and_methods(question: str) -> str:
    bot.answer(question)  # error: ASL100
    bot.answer_sync(question)
    repo = Repo()
    repo.save({})  # error: ASL100
    repo.describe()
    Ledger().save({})
    FakeLLM().ainvoke(question)
    Agent().run(question)  # error: ASL100
    rates = p.refresh_rates()  # error: ASL101
    print(rates)
    return await bot.answer(question)


def unresolved(client) -> None:
    # A parameter of unknown type: silent, whatever the method's name.
    client.refresh_rates()
