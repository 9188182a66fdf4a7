"""`check --shard K/N`: the files of one of N parts of a run, for CI jobs that each check a part.

A file's part is decided by a hash of its path relative to its configuration's directory (the
project root): the same on every machine and checkout, whatever order discovery finds files in,
and a file keeps its part when others are added or removed (each shard's cache stays useful
from one commit to the next). Only the files checked are split: the project index of every
shard still resolves imports across the whole tree (it reads the modules a check reaches on
demand), so each file's findings are those of a whole run, and the union of the N shards'
findings is the whole run's (`async-lint merge-sarif` joins their SARIF reports).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Shard:
    index: int
    """1-based: K of K/N."""
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N`, 1 <= K <= N. Raises ValueError with the reason."""
        left, slash, right = text.partition("/")
        try:
            index, count = int(left), int(right)
        except ValueError:
            raise ValueError(f"expected K/N (the K-th of N shards, e.g. 2/4), got {text!r}") from None
        if not slash or count < 1 or not 1 <= index <= count:
            raise ValueError(f"expected K/N with 1 <= K <= N, got {text!r}")
        return cls(index, count)

    def holds(self, path: Path, root: Path) -> bool:
        """Whether the file `path`, of the project whose configuration is in `root`, is in this shard."""
        return shard_of(path, root, self.count) == self.index


def shard_of(path: Path, root: Path, count: int) -> int:
    """The shard (1..count) of a file."""
    absolute = os.path.abspath(path)
    base = os.path.abspath(root)
    relative = os.path.relpath(absolute, base) if absolute.startswith(base.rstrip(os.sep) + os.sep) else absolute
    digest = hashlib.sha256(Path(relative).as_posix().encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1
