"""async-lint: find async misuse in Python code, and say how to fix it."""

__version__ = "0.1.0"
