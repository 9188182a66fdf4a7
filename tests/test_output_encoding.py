"""File names as the file system has them: a name that is not valid UTF-8 is reported in every
format, to stdout and to `--output-file`, and SARIF's URIs are percent-encoded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from async_lint.output import FORMATS
from tests.helpers import environment, run_cli

SLEEPY = "import time\n\n\nasync def handler():\n    time.sleep(1)\n"
NOT_UTF8 = b"caf\xe9.py"
"""`café.py` as Latin-1 wrote it."""

pytestmark = pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses names that are not UTF-8")


@pytest.fixture
def odd_names(tmp_path: Path) -> Path:
    with open(os.path.join(os.fsencode(tmp_path), NOT_UTF8), "w") as stream:
        stream.write(SLEEPY)
    (tmp_path / "per%cent#hash ?.py").write_text(SLEEPY)
    return tmp_path


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "async_lint", "check", "--no-cache", *args, "."], cwd=cwd, env=environment(), capture_output=True, timeout=300
    )


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_name_that_is_not_utf8_is_reported_in_every_format(odd_names: Path, output_format: str) -> None:
    to_stdout = _run(odd_names, "--format", output_format)
    assert to_stdout.returncode == 1 and b"Traceback" not in to_stdout.stderr, to_stdout.stderr
    to_file = _run(odd_names, "--format", output_format, "--output-file", "report.out")
    assert to_file.returncode == 1 and b"Traceback" not in to_file.stderr, to_file.stderr
    report = (odd_names / "report.out").read_bytes()
    assert report == to_stdout.stdout
    if output_format in ("text", "github"):
        assert NOT_UTF8 in report  # the name's own bytes, as `ls` shows them
    else:
        assert len(json.loads(report)) >= 2


def test_sarif_uris_are_percent_encoded(odd_names: Path) -> None:
    process = run_cli("check", "--no-cache", "--format", "sarif", ".", cwd=odd_names)
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in json.loads(process.stdout)["runs"][0]["results"]
        for location in result["locations"]
    }
    assert uris == {"caf%E9.py", "per%25cent%23hash%20%3F.py"}
    assert {urllib.parse.unquote_to_bytes(uri) for uri in uris} == {NOT_UTF8, b"per%cent#hash ?.py"}
