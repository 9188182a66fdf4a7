class BaseRepo:
    async def save(self, record: dict) -> dict:
        return record

    def describe(self) -> str:
        return type(self).__name__
