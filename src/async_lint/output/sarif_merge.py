"""`async-lint merge-sarif`: the SARIF reports of the shards of one run (`check --shard K/N`)
made into the report the whole run would have written.

Every shard's report has one run of the same tool, with the same rules in the same order (the
rule list does not depend on the files checked), so the merged report is the first one with the
results of all of them, in the order a whole run prints them: by file (a file's own results are
all in one shard, already in the whole run's order, which a stable sort keeps). Reports of different tools or
versions are not merged: that is an error, not a guess.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Sequence
from typing import Any


class MergeError(ValueError):
    pass


def merge_sarif(reports: Sequence[str]) -> str:
    """One SARIF log with the results of every report in `reports` (their texts)."""
    if not reports:
        raise MergeError("no reports to merge")
    logs = [_parse(text, number) for number, text in enumerate(reports, start=1)]
    first = logs[0]
    run = first["runs"][0]
    results: list[dict[str, Any]] = []
    for number, log in enumerate(logs, start=1):
        other = log["runs"][0]
        if other.get("tool") != run.get("tool"):
            raise MergeError(f"report {number} is of another tool, version or rule set than report 1")
        results.extend(other.get("results", []))
    results.sort(key=_order)
    merged = {**first, "runs": [{**run, "results": results}]}
    return json.dumps(merged, indent=2) + "\n"


def _parse(text: str, number: int) -> dict[str, Any]:
    try:
        log = json.loads(text)
    except ValueError as error:
        raise MergeError(f"report {number} is not JSON: {error}") from None
    if not isinstance(log, dict) or log.get("version") != "2.1.0":
        raise MergeError(f"report {number} is not a SARIF 2.1.0 log")
    runs = log.get("runs")
    if not isinstance(runs, list) or len(runs) != 1 or not isinstance(runs[0], dict):
        raise MergeError(f"report {number} does not have exactly one run (is it async-lint's?)")
    if not isinstance(runs[0].get("results", []), list):
        raise MergeError(f"report {number}: its results are not a list")
    return log


def _order(result: dict[str, Any]) -> str:
    """What `Diagnostic.sort_key` orders a whole run's files by: the file name as printed (the
    URI decoded)."""
    try:
        return urllib.parse.unquote(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    except (KeyError, IndexError, TypeError):
        return ""
