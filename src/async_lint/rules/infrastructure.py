"""ASL001-ASL003: what the engine reports about a file it could not check. They are listed
with the rules so they have docs and appear in every output, but they have no checks."""

from __future__ import annotations

from async_lint.rules.base import Invalid, Rule


class SyntaxErrorInFile(Rule):
    """Reports a file that does not parse as Python, with CPython's line and message (so
    Python 2 code, half-typed code and bad indentation read as Python itself reports them).
    Code nested too deeply for CPython to compile is reported too; anything CPython compiles,
    however deep (generated code), is checked. Nothing else is checked in that file."""

    code = "ASL001"
    name = "syntax-error"
    summary = "the file does not parse"
    why = (
        "A file that does not parse cannot be checked, and would fail at import time anyway "
        "(`SyntaxError`). The run goes on with the other files."
    )
    fix_safety = "There is no fix: correct the syntax error."
    not_flagged = ("Files that parse: every other rule reports on those.",)
    invalid = (
        Invalid(
            """
            async def fetch(url:
                return url
            """
        ),
    )
    use_instead = """
        async def fetch(url):
            return url
        """
    infrastructure = True
    triggers = ()


class UnreadableFile(Rule):
    """Reports a file that cannot be read as Python source: no permission, a binary file,
    bytes that are not valid in the file's declared encoding (UTF-8 by default), or a file
    larger than the `max-file-size` setting (1 MB by default), which is not checked."""

    code = "ASL002"
    name = "unreadable-file"
    summary = "the file cannot be read or decoded"
    why = "A file that cannot be read cannot be checked. The run goes on with the other files."
    fix_safety = "There is no fix: make the file readable, or exclude it."
    not_flagged = ("Files with a `# -*- coding: ... -*-` declaration that matches their bytes.",)
    infrastructure = True
    triggers = ()


class InternalError(Rule):
    """Reports a rule that raised while checking a file: a bug in async-lint. The message names
    the rule and the error; the run goes on, and the exit status is 2."""

    code = "ASL003"
    name = "internal-error"
    summary = "a rule failed on this file (a bug in async-lint)"
    why = "The failing rule's findings for this file are missing. Please report the file and the message."
    fix_safety = "There is no fix."
    not_flagged = ("The other rules' findings in the same file: they are still reported.",)
    infrastructure = True
    triggers = ()
