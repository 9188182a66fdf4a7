"""The floor async-lint is measured against: LibCST's `parse_module` over the same files, with
the same number of processes and the same scheduling (biggest files first, forked pool).

    python parse_only.py --jobs N FILE_LIST

FILE_LIST holds one path a line. Prints the number of files parsed and of parse failures.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os

import libcst as cst


def parse(path: str) -> bool:
    with open(path, "rb") as stream:
        data = stream.read()
    try:
        cst.parse_module(data)
    except Exception:  # noqa: BLE001 - a file LibCST cannot parse still cost its attempt
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("file_list")
    args = parser.parse_args()
    with open(args.file_list, encoding="utf-8") as stream:
        files = [line.rstrip("\n") for line in stream if line.strip()]
    files.sort(key=lambda path: -os.path.getsize(path))
    if args.jobs <= 1:
        parsed = [parse(path) for path in files]
    else:
        chunksize = max(1, min(8, len(files) // (args.jobs * 16)))
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            parsed = list(pool.imap_unordered(parse, files, chunksize=chunksize))
    print(f"{len(parsed)} files, {parsed.count(False)} not parsed")


if __name__ == "__main__":
    main()
