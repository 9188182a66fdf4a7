from .llm import *  # noqa: F403
