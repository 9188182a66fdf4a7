"""The assistant, with a sync and an async way to ask it."""

from app.runtime import run_if_no_loop, run_sync


class Assistant:
    def reply(self, question):
        return run_sync(self.areply(question))

    def careful_reply(self, question):
        return run_if_no_loop(self.areply(question))

    async def areply(self, question):
        return question.upper()


assistant = Assistant()
