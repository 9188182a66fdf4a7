"""Time from a `didChange` on a 1,000-line file to its `publishDiagnostics`, over stdio, with
pygls' own client talking to `python -m async_lint server` (a real editor's round trip, minus
the editor).

    /work/venv/bin/python benchmarks/lsp_latency.py [--lines 1000] [--changes 50]

Prints the median, 95th percentile and worst latency, and the CPU time the server process
spent per change (from /proc, Linux only): on a machine busy with other work the wall-clock
latency grows with the load, the CPU time does not. The target (issue 9) is under 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from lsprotocol import types as lsp

from tests.lsp_session import LspSession

HEADER = "import asyncio\nimport time\n\nimport httpx\n\n"
BLOCK = '''
async def fetch_{i}(client: httpx.AsyncClient, url: str) -> dict:
    """Fetch item {i}, retrying once."""
    for attempt in range(2):
        response = await client.get(f"{{url}}/items/{i}")
        if response.status_code == 200:
            return response.json()
        await asyncio.sleep(0.1 * attempt)
    time.sleep(1)
    return {{"id": {i}, "error": response.status_code}}


def summarise_{i}(items: list[dict]) -> str:
    return ", ".join(str(item["id"]) for item in items if "error" not in item)
'''


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def make_source(lines: int) -> str:
    text, i = HEADER, 0
    while text.count("\n") < lines:
        text += BLOCK.format(i=i)
        i += 1
    return "".join(text.splitlines(keepends=True)[:lines])


async def measure(root: Path, lines: int, changes: int) -> tuple[list[float], list[float]]:
    """The latencies of `changes` edits to a `lines`-line file in the directory `root`."""
    source = make_source(lines)
    path = root / "service.py"
    await asyncio.to_thread(path.write_text, source)
    session = LspSession()
    await session.start(root)
    try:
        uri = session.open(path, source)
        first = await session.diagnostics(uri)
        print(f"{lines} lines, {len(first)} findings on open", file=sys.stderr)
        latencies, cpu = [], []
        pid = session.client._server.pid  # type: ignore[union-attr]
        row = 5 + 8  # the `time.sleep(1)` line of the first block: typing a digit into it
        for n in range(changes):
            position = lsp.Position(line=row, character=16)
            # Reading /proc takes microseconds; a thread hop would add to what is measured.
            started, cpu_started = time.perf_counter(), cpu_seconds(pid)  # noqa: ASL305
            session.edit(uri, lsp.Range(start=position, end=position), str(n % 10))
            published = await session.diagnostics(uri)
            latencies.append((time.perf_counter() - started) * 1000)
            cpu.append((cpu_seconds(pid) - cpu_started) * 1000)  # noqa: ASL305
            assert len(published) == len(first)
    finally:
        await session.stop()
    return latencies, cpu


def _summary(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, worst {values[-1]:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:  # made and removed outside the event loop
        latencies, cpu = asyncio.run(measure(Path(directory), args.lines, args.changes))
    print(f"didChange -> publishDiagnostics, {args.lines} lines, {len(latencies)} changes")
    print(f"  wall clock:      {_summary(latencies)}")
    print(f"  server CPU time: {_summary(cpu)}")
    print(f"  load average:    {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
