"""Real HTTP servers on 127.0.0.1 for the proofs that make HTTP calls: they answer every GET
after a short delay, like a slow upstream service. `echo_server` also says which path was asked
for and counts how many requests it was serving at once."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from typing import TypeVar

DELAY = 0.3
T = TypeVar("T")


class _JsonHandler(BaseHTTPRequestHandler):
    def answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


class _SlowHandler(_JsonHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        time.sleep(DELAY)
        self.answer(b'{"object": "list", "data": [], "status": "ok"}')


@contextlib.contextmanager
def slow_server() -> Iterator[str]:
    """The base URL of a server that answers after `DELAY` seconds."""
    with _serving(ThreadingHTTPServer(("127.0.0.1", 0), _SlowHandler)) as base_url:
        yield base_url


@dataclass
class Load:
    """What an echo server saw: the requests it served, and the most it served at once."""

    delay: float
    requests: int = 0
    in_flight: int = 0
    most_at_once: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.requests = self.in_flight = self.most_at_once = 0

    def measure(self, function: Callable[[], T]) -> tuple[float, T, int]:
        """Run `function()` from a fresh count: its wall time in seconds, what it returned,
        and the most requests this server served at once meanwhile."""
        self.reset()
        start = time.perf_counter()
        result = function()
        return time.perf_counter() - start, result, self.most_at_once


class _EchoServer(ThreadingHTTPServer):
    load: Load


class _EchoHandler(_JsonHandler):
    server: _EchoServer

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        load = self.server.load
        with load.lock:
            load.requests += 1
            load.in_flight += 1
            load.most_at_once = max(load.most_at_once, load.in_flight)
        time.sleep(load.delay)
        with load.lock:
            load.in_flight -= 1
        self.answer(json.dumps({"path": self.path}).encode())


@contextlib.contextmanager
def echo_server(delay: float) -> Iterator[tuple[str, Load]]:
    """The base URL of a server that answers `{"path": ...}` after `delay` seconds, and what it saw."""
    server = _EchoServer(("127.0.0.1", 0), _EchoHandler)
    server.load = Load(delay)
    with _serving(server) as base_url:
        yield base_url, server.load


@contextlib.contextmanager
def _serving(server: ThreadingHTTPServer) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Run:
    """One program run against an echo server."""

    seconds: float
    result: object
    most_at_once: int


def serve_both(original: ModuleType, repaired: ModuleType, entry: Callable[[ModuleType], object], delay: float) -> tuple[Run, Run]:
    """Run `entry(module)` for the original program and for its fix against one echo server
    (each module's `BASE_URL` pointed at it): the wall time, the result and the server's
    concurrency of each."""
    with echo_server(delay) as (base_url, server):
        original.BASE_URL = repaired.BASE_URL = base_url  # type: ignore[attr-defined]
        return Run(*server.measure(lambda: entry(original))), Run(*server.measure(lambda: entry(repaired)))
