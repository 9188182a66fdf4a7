"""The documentation's examples are real output: every ```console block whose lines start with
`$ ` is run, and what it prints must be exactly what the block shows.

A block of Python right after `<!-- file: NAME -->` is a file the sessions of that document see
(the commands run in a fresh directory holding them, shown as `/home/me/project`). A session
runs `async-lint` and `flake8` only; its expected output is stdout, then stderr."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import REPO, environment

DOCUMENTS = ("README.md", "docs/usage.md")
SHOWN_DIRECTORY = "/home/me/project"
_FILE = re.compile(r"<!-- file: (?P<name>[\w./-]+) -->\n```\w*\n(?P<text>.*?)```", re.DOTALL)
_CONSOLE = re.compile(r"```console\n(?P<body>.*?)```", re.DOTALL)
_PROGRAMS = {"async-lint": [sys.executable, "-m", "async_lint"], "flake8": [sys.executable, "-m", "flake8"]}


@dataclass(frozen=True)
class Command:
    document: str
    line: str
    expected: str
    files: dict[str, str]

    def __str__(self) -> str:
        return f"{self.document}: $ {self.line}"


def _commands() -> list[Command]:
    commands = []
    for document in DOCUMENTS:
        text = (REPO / document).read_text(encoding="utf-8")
        files = {match["name"]: match["text"] for match in _FILE.finditer(text)}
        for block in _CONSOLE.finditer(text):
            body = block["body"]
            if not body.startswith("$ "):
                continue
            for chunk in re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]:
                line, _, expected = chunk.partition("\n")
                commands.append(Command(document, line, expected, files))
    return commands


def test_the_documents_have_sessions() -> None:
    assert {command.document for command in _commands()} == set(DOCUMENTS)


@pytest.mark.parametrize("command", _commands(), ids=str)
def test_session_prints_what_the_document_shows(command: Command, tmp_path: Path) -> None:
    program, *arguments = shlex.split(command.line)
    assert program in _PROGRAMS, f"a session runs only {sorted(_PROGRAMS)}: {command}"
    for name, text in command.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [*_PROGRAMS[program], *arguments],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    shown = (result.stdout + result.stderr).replace(str(tmp_path), SHOWN_DIRECTORY)
    assert shown == command.expected
