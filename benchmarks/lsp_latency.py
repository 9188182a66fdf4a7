"""Time from a `didChange` on a 1,000-line file to its `publishDiagnostics`, over stdio, with
pygls' own client talking to `python -m async_lint server` (a real editor's round trip, minus
the editor).

    /work/venv/bin/python benchmarks/lsp_latency.py [--lines 1000] [--changes 50]

Prints the median, 95th percentile and worst latency. The target (issue 9) is under 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from lsprotocol import types as lsp  # noqa: E402

from tests.lsp_session import LspSession  # noqa: E402

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


def make_source(lines: int) -> str:
    text, i = HEADER, 0
    while text.count("\n") < lines:
        text += BLOCK.format(i=i)
        i += 1
    return "".join(text.splitlines(keepends=True)[:lines])


async def measure(lines: int, changes: int) -> list[float]:
    source = make_source(lines)
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        path = root / "service.py"
        path.write_text(source)
        session = LspSession()
        await session.start(root)
        try:
            uri = session.open(path, source)
            first = await session.diagnostics(uri)
            print(f"{lines} lines, {len(first)} findings on open", file=sys.stderr)
            latencies = []
            row = 5 + 8  # the `time.sleep(1)` line of the first block: typing a digit into it
            for n in range(changes):
                position = lsp.Position(line=row, character=16)
                started = time.perf_counter()
                session.edit(uri, lsp.Range(start=position, end=position), str(n % 10))
                published = await session.diagnostics(uri)
                latencies.append((time.perf_counter() - started) * 1000)
                assert len(published) == len(first)
        finally:
            await session.stop()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=50)
    args = parser.parse_args()
    latencies = sorted(asyncio.run(measure(args.lines, args.changes)))
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    print(
        f"didChange -> publishDiagnostics on {args.lines} lines, {len(latencies)} changes: "
        f"median {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, worst {latencies[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
