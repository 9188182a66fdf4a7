"""What a check produces: diagnostics, and the fixes they carry as plain text edits.

Everything here is plain data (frozen, picklable, JSON-serialisable), so the same values travel
from a worker process, through the cache, to any output format or to the fixer.
"""

from __future__ import annotations

from typing import Any

import enum
from dataclasses import dataclass, field
from typing import Any


class Applicability(str, enum.Enum):
    """How far a fix can be trusted.

    - safe: keeps the program's meaning (apart from fixing the bug); applied by `--fix`.
    - unsafe: right in the common case but may change behaviour; needs `--unsafe-fixes`.
    - suggestion: shown to the user, never applied automatically.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    SUGGESTION = "suggestion"

    @property
    def label(self) -> str:
        """What every output calls a fix of this kind (ruff's words): `fix`, `unsafe fix`,
        `suggestion`."""
        return FIX_LABELS[self]


FIX_LABELS = {Applicability.SAFE: "fix", Applicability.UNSAFE: "unsafe fix", Applicability.SUGGESTION: "suggestion"}


@dataclass(frozen=True, order=True)
class Location:
    """A point in a source file: row 1-based, column 1-based (in characters)."""

    row: int
    column: int


@dataclass(frozen=True)
class Edit:
    """Replace the text between `start` (inclusive) and `end` (exclusive) with `content`."""

    start: Location
    end: Location
    content: str


@dataclass(frozen=True)
class Fix:
    message: str
    applicability: Applicability
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True)
class Related:
    """Another place that explains a finding (a step of a call chain, say)."""

    filename: str
    start: Location
    message: str


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    filename: str
    start: Location
    end: Location
    fix: Fix | None = None
    related: tuple[Related, ...] = field(default=())
    noqa_row: int | None = None
    """The row a `# noqa` comment for this finding goes on (None: not worked out, the start row)."""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.filename, self.start.row, self.start.column, self.code)

    # --- serialisation (cache and JSON output share one shape) ---

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "filename": self.filename,
            "location": {"row": self.start.row, "column": self.start.column},
            "end_location": {"row": self.end.row, "column": self.end.column},
            "fix": None
            if self.fix is None
            else {
                "applicability": self.fix.applicability.value,
                "message": self.fix.message,
                "edits": [
                    {
                        "content": edit.content,
                        "location": {"row": edit.start.row, "column": edit.start.column},
                        "end_location": {"row": edit.end.row, "column": edit.end.column},
                    }
                    for edit in self.fix.edits
                ],
            },
            "related": [
                {
                    "filename": item.filename,
                    "location": {"row": item.start.row, "column": item.start.column},
                    "message": item.message,
                }
                for item in self.related
            ],
            "noqa_row": self.start.row if self.noqa_row is None else self.noqa_row,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Diagnostic:
        def location(raw: dict[str, Any]) -> Location:
            return Location(int(raw["row"]), int(raw["column"]))

        raw_fix = data.get("fix")
        fix = None
        if raw_fix is not None:
            fix = Fix(
                message=raw_fix["message"],
                applicability=Applicability(raw_fix["applicability"]),
                edits=tuple(
                    Edit(location(e["location"]), location(e["end_location"]), e["content"])
                    for e in raw_fix["edits"]
                ),
            )
        return cls(
            code=data["code"],
            message=data["message"],
            filename=data["filename"],
            start=location(data["location"]),
            end=location(data["end_location"]),
            fix=fix,
            related=tuple(
                Related(r["filename"], location(r["location"]), r["message"])
                for r in data.get("related", ())
            ),
            noqa_row=data.get("noqa_row"),
        )
