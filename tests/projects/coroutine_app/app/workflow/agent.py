"""Imported as `workflow.agent` from `app/router/handlers.py` (the app is run from `app/`)."""


class Agent:
    async def run(self, question: str) -> str:
        return question
