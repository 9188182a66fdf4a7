"""`--format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it (rules with help, locations
relative to the repository root, fixes as artifact changes, call chains as related locations)."""

from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path

from async_lint import __version__
from async_lint.diagnostics import Diagnostic, Location
from async_lint.docs import rule_markdown
from async_lint.rules import all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(filename: str) -> str:
    """A URI reference (RFC 3986): `%`, `#`, `?`, spaces and every byte that is not ASCII
    percent-encoded, from the name's bytes as the file system has them (so a name that is not
    valid UTF-8 keeps its bytes)."""
    path = Path(filename)
    if path.is_absolute():
        return path.as_uri()
    return urllib.parse.quote_from_bytes(os.fsencode(path.as_posix()), safe="/")


def _region(start: Location, end: Location | None = None) -> dict[str, int]:
    region = {"startLine": start.row, "startColumn": start.column}
    if end is not None:
        region.update({"endLine": end.row, "endColumn": end.column})
    return region


def _rule_descriptor(code: str) -> dict[str, object]:
    rule = all_rules()[code]
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.description()},
        "helpUri": rule.url(),
        "help": {"text": rule.why, "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["async"]},
    }


def render_sarif(diagnostics: list[Diagnostic]) -> str:
    codes = sorted(all_rules())
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for d in diagnostics:
        location = {
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(d.filename)},
                "region": _region(d.start, d.end),
            }
        }
        result: dict[str, object] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": "error",
            "message": {"text": d.message},
            "locations": [location],
        }
        if d.related:
            result["relatedLocations"] = [
                {
                    "id": i,
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(item.filename)},
                        "region": _region(item.start),
                    },
                    "message": {"text": item.message},
                }
                for i, item in enumerate(d.related, start=1)
            ]
        if d.fix is not None and d.fix.edits:
            result["fixes"] = [
                {
                    "description": {"text": f"{d.fix.message} ({d.fix.applicability.value})"},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": _uri(d.filename)},
                            "replacements": [
                                {
                                    "deletedRegion": _region(edit.start, edit.end),
                                    "insertedContent": {"text": edit.content},
                                }
                                for edit in d.fix.edits
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "async-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": all_rules()[codes[0]].url().rsplit("/docs/", 1)[0],
                        "rules": [_rule_descriptor(code) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"
