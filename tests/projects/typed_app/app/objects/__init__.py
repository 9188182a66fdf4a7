"""Source 1: module-level objects, re-exported through the package."""

from .graph import graph
from .llm import client

__all__ = ["client", "graph"]
