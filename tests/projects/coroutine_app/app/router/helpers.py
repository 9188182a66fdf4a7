async def notify(message: str) -> None:
    return None
