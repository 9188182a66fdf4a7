"""Blocking by package, for real: a redis-style sync client in a coroutine stalls the event loop
for as long as the server takes to answer, and the fix (`await asyncio.to_thread(...)`) keeps the
loop ticking.

What is simulated, and what is not: redis-py is not a dependency of this project, so the test
writes a minimal `redis` package into a temporary directory, a sync socket client with redis-py's
call shapes (`redis.Redis(host=..., port=...)`, `setex`, `get`, `pipeline()` ... `execute()`),
and runs a local TCP server that speaks just enough of the Redis protocol (RESP arrays in, simple
strings and bulk strings out) and answers each command after a delay, like a slow or distant
Redis. The socket I/O is real: the client blocks in `recv` exactly as redis-py does. async-lint
flags the program as written against the real package's names (`redis.Redis`), which is what
the stub is imported as.
"""

from __future__ import annotations

import asyncio
import contextlib
import socketserver
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from tests.helpers import check
from tests.runtime.heartbeat import blocks_the_loop, lets_the_loop_run
from tests.runtime.proofs import fixed, load, source

DELAY = 0.3
"""Seconds the server waits before answering each command."""

CLIENT = source(
    '''
    """A tiny sync Redis client with redis-py's call shapes (test stub)."""
    import socket


    class Redis:
        def __init__(self, host="localhost", port=6379):
            self._sock = socket.create_connection((host, port))
            self._file = self._sock.makefile("rb")

        def execute_command(self, *args):
            parts = [f"*{len(args)}\\r\\n".encode()]
            for arg in args:
                data = str(arg).encode()
                parts.append(f"${len(data)}\\r\\n".encode() + data + b"\\r\\n")
            self._sock.sendall(b"".join(parts))
            line = self._file.readline()
            if line.startswith(b"$"):
                size = int(line[1:])
                return None if size < 0 else self._file.read(size + 2)[:-2]
            return line[1:].strip().decode()

        def setex(self, name, seconds, value):
            return self.execute_command("SETEX", name, seconds, value)

        def get(self, name):
            return self.execute_command("GET", name)

        def pipeline(self):
            return Pipeline(self)


    class Pipeline:
        def __init__(self, client):
            self._client = client
            self._commands = []

        def set(self, name, value):
            self._commands.append(("SET", name, value))
            return self

        def execute(self):
            return [self._client.execute_command(*command) for command in self._commands]
    '''
)


class _SlowRedis(socketserver.StreamRequestHandler):
    """Reads RESP arrays, waits `DELAY`, answers SET/SETEX with +OK and GET with the value."""

    store: dict[bytes, bytes] = {}

    def handle(self) -> None:
        while True:
            header = self.rfile.readline()
            if not header.startswith(b"*"):
                return
            args = []
            for _ in range(int(header[1:])):
                size = int(self.rfile.readline()[1:])
                args.append(self.rfile.read(size + 2)[:-2])
            time.sleep(DELAY)
            command = args[0].upper()
            if command == b"GET":
                value = self.store.get(args[1])
                reply = b"$-1\r\n" if value is None else b"$%d\r\n%s\r\n" % (len(value), value)
            else:
                self.store[args[1]] = args[-1]
                reply = b"+OK\r\n"
            self.wfile.write(reply)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def slow_redis() -> Iterator[int]:
    """The port of a local server that answers each Redis command after `DELAY` seconds."""
    server = _Server(("127.0.0.1", 0), _SlowRedis)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def stub_redis_package(directory: Path) -> Iterator[None]:
    """`import redis` gives the stub client while the block runs."""
    package = directory / "stubs" / "redis"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(CLIENT)
    saved = sys.modules.pop("redis", None)
    sys.path.insert(0, str(package.parent))
    try:
        yield
    finally:
        sys.path.remove(str(package.parent))
        sys.modules.pop("redis", None)
        if saved is not None:
            sys.modules["redis"] = saved


def program(port: int) -> str:
    return source(
        f"""
        import redis

        cache = redis.Redis(host="127.0.0.1", port={port})


        async def remember(key, value):
            cache.setex(key, 60, value)
            return cache.get(key)


        async def count_visits(page):
            pipe = cache.pipeline()
            pipe.set(page, 1)
            return pipe.execute()
        """
    )


def _load(code: str, directory: Path) -> ModuleType:
    with stub_redis_package(directory):
        return load(code, directory)


def test_a_sync_redis_client_stalls_the_loop_and_the_fix_does_not(tmp_path: Path) -> None:
    with slow_redis() as port:
        code = program(port)
        flagged = sorted((d.start.row, d.code) for d in check(code) if d.code == "ASL304")
        # the two commands, and the pipeline's `execute()`; building the pipeline is pure
        assert flagged == [(7, "ASL304"), (8, "ASL304"), (14, "ASL304")]
        broken = _load(code, tmp_path / "broken")
        repaired = _load(fixed(code, "ASL304", unsafe=True), tmp_path / "repaired")
        assert blocks_the_loop(lambda: broken.remember("user:1", "ada"), DELAY)
        assert blocks_the_loop(lambda: broken.count_visits("/home"), DELAY)
        assert lets_the_loop_run(lambda: repaired.remember("user:2", "grace"))
        assert lets_the_loop_run(lambda: repaired.count_visits("/about"))


def test_the_fixed_program_still_talks_to_the_server(tmp_path: Path) -> None:
    with slow_redis() as port:
        repaired = _load(fixed(program(port), "ASL304", unsafe=True), tmp_path)
        assert asyncio.run(repaired.remember("user:3", "linus")) == b"linus"
        assert asyncio.run(repaired.count_visits("/docs")) == ["OK"]
