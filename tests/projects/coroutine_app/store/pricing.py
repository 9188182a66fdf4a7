from store.base import BaseRepo


async def refresh_rates() -> dict:
    return {"EUR": 1.0}


def sync_rates() -> dict:
    return {"EUR": 1.0}


class PriceClient:
    async def fetch(self, currency: str) -> float:
        return 1.0


class Repo(BaseRepo):
    async def save_all(self, records: list[dict]) -> None:
        for record in records:
            self.save(record)  # error: ASL100


class Ledger:
    def save(self, record: dict) -> dict:
        # A sync method named like BaseRepo's coroutine: calls of it stay clean.
        return record


class FakeLLM:
    def ainvoke(self, prompt: str) -> str:
        # A project class's own sync `ainvoke`: resolvable calls of it stay clean.
        return prompt
