from openai import OpenAI

client = OpenAI()
http_client = None


def connect() -> None:
    global http_client
    import httpx

    http_client = httpx.Client()
