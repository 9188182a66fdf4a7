import asyncio

from app.bots import bot


async def main() -> None:
    print(await bot.answer("How do I reset my password?"))


def run() -> None:
    main()  # error: ASL100


if __name__ == "__main__":
    run()
    asyncio.run(main())
