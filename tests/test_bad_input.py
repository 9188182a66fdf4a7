"""Bad input through the real CLI: every odd file gets a clear per-file diagnostic (ASL001
syntax-error, ASL002 unreadable-file, ASL003 internal-error) and the run goes on with the
other files; bad configuration is exit status 2 with a message naming the problem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.broken_rules import CLI_WITH_TEST_RULES, EXPLODING
from tests.helpers import REPO, environment, run_cli

SLEEPY = "import time\n\n\nasync def handler():\n    time.sleep(1)\n"
"""One ASL300 finding on line 5, with a safe fix."""
SLEEPY_FIXED = "import asyncio\nimport time\n\n\nasync def handler():\n    await asyncio.sleep(1)\n"


def findings(tmp_path: Path, *args: str, stdin: str | None = None) -> tuple[subprocess.CompletedProcess[str], list[dict]]:
    """Run `check --format json` in `tmp_path` and return the process and its findings."""
    process = run_cli("check", "--no-cache", "--format", "json", *args, cwd=tmp_path, stdin=stdin)
    assert "Traceback" not in process.stderr, process.stderr
    return process, json.loads(process.stdout)


def by_file(results: list[dict]) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for item in results:
        found.setdefault(Path(item["filename"]).name, []).append((item["code"], item["location"]["row"]))
    return found


def message_of(results: list[dict], name: str) -> str:
    return next(item["message"] for item in results if Path(item["filename"]).name == name)


# --- files that do not parse ------------------------------------------------------------------

SYNTAX_ERRORS = {
    "python2_print.py": ('print "hello"\n', 1, "Missing parentheses"),
    "python2_except.py": ("try:\n    pass\nexcept ValueError, e:\n    pass\n", 3, ""),
    "python2_octal.py": ("x = 0777\n", 1, ""),
    "half_typed_call.py": ("async def f():\n    await fetch(\n", 2, "never closed"),
    "half_typed_def.py": ("import time\nasync def f(:\n    time.sleep(1)\n", 2, ""),
    "bad_indent.py": ("async def f():\n  x = 1\n    y = 2\n", 3, "indent"),
    "unterminated.py": ('s = """never ends\n', 1, "unterminated"),
    "await_in_class_body.py": ("class C:\n    x = [await y for y in z]\n", 0, ""),
}


def test_syntax_errors_are_reported_per_file_and_the_run_goes_on(tmp_path: Path) -> None:
    for name, (text, _, _) in SYNTAX_ERRORS.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "good.py").write_text(SLEEPY)
    process, results = findings(tmp_path, ".")
    assert process.returncode == 1
    found = by_file(results)
    assert found["good.py"] == [("ASL300", 5)]
    for name, (_, row, words) in SYNTAX_ERRORS.items():
        if name == "await_in_class_body.py":
            continue  # parses (a compile-time error only): must not crash, findings are up to the rules
        assert found[name] == [("ASL001", row)], name
        assert message_of(results, name).startswith(("SyntaxError: ", "IndentationError: "))
        assert words.lower() in message_of(results, name).lower(), message_of(results, name)


def test_await_in_odd_places_does_not_crash(tmp_path: Path) -> None:
    odd = (
        "import time\n"
        "def sync():\n    await thing()\n"
        "lambda: (await x)\n"
        "async def f():\n"
        "    g = lambda: (await x)\n"
        "    class Inner:\n        y = await z\n"
        "    def nested():\n        return [await a async for a in b]\n"
        "    return {k: await v for k, v in items}\n"
        "await top_level()\n"
        "async def g():\n    time.sleep(1)\n"
    )
    (tmp_path / "odd.py").write_text(odd)
    process, results = findings(tmp_path, "odd.py")
    assert process.returncode in (0, 1)
    assert ("ASL300", 14) in by_file(results)["odd.py"]
    assert not any(item["code"] in {"ASL001", "ASL003"} for item in results)


# --- encodings, line endings, whitespace ---------------------------------------------------------


def test_latin1_declared_file_is_checked_and_fixed_in_latin1(tmp_path: Path) -> None:
    text = "# -*- coding: latin-1 -*-\nimport time\n\n\nasync def caf\u00e9():\n    s = 'd\u00e9j\u00e0'\n    time.sleep(1)\n"
    path = tmp_path / "latin.py"
    path.write_bytes(text.encode("latin-1"))
    process, results = findings(tmp_path, "latin.py")
    assert by_file(results)["latin.py"] == [("ASL300", 7)]
    process = run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", "--select", "ASL300", "latin.py", cwd=tmp_path)
    assert process.returncode == 0, process.stdout + process.stderr
    data = path.read_bytes()
    assert "d\u00e9j\u00e0".encode("latin-1") in data and "d\u00e9j\u00e0".encode() not in data
    assert data.decode("latin-1") == text.replace("import time", "import asyncio\nimport time").replace(
        "    time.sleep(1)", "    await asyncio.sleep(1)"
    )


def test_bytes_invalid_for_the_encoding_are_unreadable(tmp_path: Path) -> None:
    (tmp_path / "not_utf8.py").write_bytes(b"x = '\xff\xfe'\n")
    (tmp_path / "lying_declaration.py").write_bytes(b"# -*- coding: ascii -*-\nx = '\xc3\xa9'\n")
    (tmp_path / "unknown_codec.py").write_bytes(b"# -*- coding: klingon -*-\nx = 1\n")
    (tmp_path / "good.py").write_text(SLEEPY)
    process, results = findings(tmp_path, ".")
    found = by_file(results)
    for name in ("not_utf8.py", "lying_declaration.py", "unknown_codec.py"):
        assert found[name] == [("ASL002", 1)], name
    assert "UTF-8" in message_of(results, "not_utf8.py")
    assert "ascii" in message_of(results, "lying_declaration.py")
    assert "klingon" in message_of(results, "unknown_codec.py")
    assert found["good.py"] == [("ASL300", 5)]


def test_bom_is_kept_on_fix(tmp_path: Path) -> None:
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbf" + SLEEPY.encode())
    process, results = findings(tmp_path, "bom.py")
    assert by_file(results)["bom.py"] == [("ASL300", 5)]
    run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", "--select", "ASL300", "bom.py", cwd=tmp_path)
    assert path.read_bytes() == b"\xef\xbb\xbf" + SLEEPY_FIXED.encode()


@pytest.mark.parametrize(
    "newlines",
    [("\r\n",) * 6, ("\r",) * 6, ("\r\n", "\n", "\r\n", "\n", "\r\n", "\n"), ("\n", "\r\n", "\r\n", "\r\n", "\n", "\r\n")],
    ids=["crlf", "cr", "mixed-crlf-first", "mixed-lf-first"],
)
def test_line_endings_are_kept_on_fix(tmp_path: Path, newlines: tuple[str, ...]) -> None:
    lines = ["import time", "", "", "async def handler():", "    time.sleep(1)", "    time.sleep(2)"]
    text = "".join(line + end for line, end in zip(lines, newlines))
    path = tmp_path / "endings.py"
    path.write_bytes(text.encode())
    process, results = findings(tmp_path, "endings.py")
    assert sorted(by_file(results)["endings.py"]) == [("ASL300", 5), ("ASL300", 6)]
    run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", "--select", "ASL300", "endings.py", cwd=tmp_path)
    fixed = path.read_bytes().decode()
    first_ending = newlines[0]
    expected = ("import asyncio" + first_ending + text).replace("time.sleep(", "await asyncio.sleep(")
    assert fixed == expected


def test_tabs_and_form_feeds(tmp_path: Path) -> None:
    text = "import time\n\x0c\nasync def a():\n\ttime.sleep(1)\n\x0c\nclass C:\n\tasync def b(self):\n\t\tif True:\n\t\t\ttime.sleep(2)\n"
    path = tmp_path / "tabs.py"
    path.write_text(text)
    process, results = findings(tmp_path, "tabs.py")
    assert sorted(by_file(results)["tabs.py"]) == [("ASL300", 4), ("ASL300", 9)]
    run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", "--select", "ASL300", "tabs.py", cwd=tmp_path)
    assert path.read_text() == "import asyncio\n" + text.replace("time.sleep(", "await asyncio.sleep(")


def test_empty_and_comment_only_files_are_clean(tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_text("")
    (tmp_path / "comments.py").write_text("# async def nothing():\n#     time.sleep(1)\n")
    (tmp_path / "blank.py").write_text("\n\n   \n\x0c\n")
    (tmp_path / "newline_only.pyi").write_text("\n")
    process, results = findings(tmp_path, ".")
    assert process.returncode == 0 and results == []


# --- size and depth -----------------------------------------------------------------------------


def _generated_module(rows: int, tail: str) -> str:
    """A generated-looking module: a table of `rows` lines, then `tail`."""
    body = "".join(f"    ({i}, 'name{i}', {i}.5, None),\n" for i in range(rows))
    return f"import time\n\nTABLE = [\n{body}]\n\n\n{tail}"


def test_fifty_thousand_line_file(tmp_path: Path) -> None:
    """No rule's trigger occurs in it: CPython's parser alone checks it (the fast path). It is
    1.6 MB: over the default max-file-size, so the limit is raised for it."""
    (tmp_path / "pyproject.toml").write_text("[tool.async-lint]\nmax-file-size = 4_000_000\n")
    (tmp_path / "big.py").write_text(_generated_module(50_000, "def lookup(key):\n    return TABLE[key]\n"))
    process, results = findings(tmp_path, "big.py")
    assert process.returncode == 0 and results == []
    (tmp_path / "big.py").write_text(_generated_module(50_000, "def lookup(key):\n    return TABLE[key\n"))
    process, results = findings(tmp_path, "big.py")
    assert by_file(results)["big.py"] == [("ASL001", 50_008)]


def test_file_over_max_file_size_is_reported_not_checked(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text(_generated_module(40_000, SLEEPY))
    (tmp_path / "small.py").write_text(SLEEPY)
    process, results = findings(tmp_path, ".")
    found = by_file(results)
    assert found["big.py"] == [("ASL002", 1)] and found["small.py"] == [("ASL300", 5)]
    message = message_of(results, "big.py")
    assert "is more than max-file-size (1.0 MB)" in message and "raise `max-file-size`" in message
    stdin = run_cli("check", "--no-cache", "--stdin-filename", "big.py", cwd=tmp_path, stdin=(tmp_path / "big.py").read_text())
    assert "ASL002" in stdin.stdout and "max-file-size" in stdin.stdout
    (tmp_path / "medium.py").write_text(_generated_module(2_000, SLEEPY))  # 65 KB
    (tmp_path / "pyproject.toml").write_text("[tool.async-lint]\nmax-file-size = 50_000\n")
    process, results = findings(tmp_path, "medium.py")
    assert by_file(results)["medium.py"] == [("ASL002", 1)] and "(50,000 bytes)" in message_of(results, "medium.py")
    (tmp_path / "pyproject.toml").write_text("[tool.async-lint]\nmax-file-size = 100_000\n")
    process, results = findings(tmp_path, "medium.py")
    assert by_file(results)["medium.py"] == [("ASL300", 2_000 + 11)]


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("(" * 1000 + "time.sleep(1)" + ")" * 1000, "too many nested parentheses"),
        ("[" * 1000 + "1" + "]" * 1000, "too many nested parentheses"),
        ("-" * 10000 + "1", "too deeply nested"),
        (" + ".join(["a"] * 5000), "too deeply nested"),
    ],
    ids=["parens-1000", "lists-1000", "unary-10000", "binop-5000"],
)
def test_nesting_cpython_rejects_is_a_diagnostic_not_a_crash(tmp_path: Path, expression: str, reason: str) -> None:
    (tmp_path / "deep.py").write_text(f"import time\n\n\nasync def f():\n    return {expression}\n")
    (tmp_path / "good.py").write_text(SLEEPY)
    process, results = findings(tmp_path, ".")
    assert "RecursionError" not in process.stderr
    found = by_file(results)
    assert found["deep.py"] == [("ASL001", found["deep.py"][0][1])]
    assert reason in message_of(results, "deep.py")
    assert found["good.py"] == [("ASL300", 5)]


@pytest.mark.parametrize(
    ("expression", "fix"),
    [("-" * 1000 + "time.sleep(1)", True), (" + ".join(["a"] * 1000) + " + time.sleep(1)", False)],
    ids=["unary-1000", "binop-1000"],
)
def test_deep_nesting_cpython_compiles_is_checked(tmp_path: Path, expression: str, fix: bool) -> None:
    """Generated code CPython compiles, nested far deeper than LibCST manages on a normal
    stack: checked on the deep-stack thread, every finding reported, and fixed."""
    (tmp_path / "deep.py").write_text(f"import time\n\n\nasync def f():\n    time.sleep(2)\n    return {expression}\n")
    process, results = findings(tmp_path, "--select", "ASL300", "-j", "1", ".")
    assert sorted(by_file(results)["deep.py"]) == [("ASL300", 5), ("ASL300", 6)]
    if fix:
        fixed = run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", "--select", "ASL300", "deep.py", cwd=tmp_path)
        assert fixed.returncode == 0, fixed.stdout + fixed.stderr
        assert "time.sleep(" not in (tmp_path / "deep.py").read_text()


def test_deep_but_reasonable_nesting_is_checked(tmp_path: Path) -> None:
    branches = "".join(f"    elif x == {i}:\n        time.sleep({i})\n" for i in range(1, 300))
    (tmp_path / "elifs.py").write_text(f"import time\n\n\nasync def f(x):\n    if x == 0:\n        pass\n{branches}")
    nested = "[" * 150 + "time.sleep(1)" + "]" * 150
    (tmp_path / "lists.py").write_text(f"import time\n\n\nasync def f():\n    return {nested}\n")
    process, results = findings(tmp_path, "--select", "ASL300", ".")
    found = by_file(results)
    assert len(found["elifs.py"]) == 299 and found["lists.py"] == [("ASL300", 5)]


# --- things that are not readable Python files --------------------------------------------------


def test_binary_file_directory_and_symlinks(tmp_path: Path) -> None:
    (tmp_path / "binary.py").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "image.py").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xd8\xff\xe0")
    (tmp_path / "pkg.py").mkdir()
    (tmp_path / "pkg.py" / "inside.py").write_text(SLEEPY)
    (tmp_path / "loop_a.py").symlink_to("loop_b.py")
    (tmp_path / "loop_b.py").symlink_to("loop_a.py")
    (tmp_path / "dangling.py").symlink_to("nowhere.py")
    (tmp_path / "real.py").write_text(SLEEPY)
    (tmp_path / "link.py").symlink_to("real.py")
    process, results = findings(tmp_path, ".")
    found = by_file(results)
    assert found["binary.py"] == [("ASL002", 1)] and "binary" in message_of(results, "binary.py")
    assert found["image.py"] == [("ASL002", 1)]
    assert found["inside.py"] == [("ASL300", 5)]  # a directory named x.py is walked, not read
    assert found["loop_a.py"] == found["loop_b.py"] == [("ASL002", 1)]
    assert "symbolic links" in message_of(results, "loop_a.py")
    assert found["dangling.py"] == [("ASL002", 1)] and "dangling" in message_of(results, "dangling.py")
    assert found["real.py"] == found["link.py"] == [("ASL300", 5)]


def test_directory_named_explicitly(tmp_path: Path) -> None:
    (tmp_path / "pkg.py").mkdir()
    (tmp_path / "pkg.py" / "inside.py").write_text(SLEEPY)
    process, results = findings(tmp_path, "pkg.py")
    assert by_file(results)["inside.py"] == [("ASL300", 5)]


def test_fix_writes_through_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "real.py").write_text(SLEEPY)
    (tmp_path / "link.py").symlink_to("real.py")
    run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", "--select", "ASL300", "link.py", cwd=tmp_path)
    assert (tmp_path / "link.py").is_symlink()
    assert (tmp_path / "real.py").read_text() == SLEEPY_FIXED


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_fifo_named_py_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "good.py").write_text(SLEEPY)
    process, results = findings(tmp_path, ".")
    found = by_file(results)
    assert found["pipe.py"] == [("ASL002", 1)] and "not a regular file" in message_of(results, "pipe.py")
    assert found["good.py"] == [("ASL300", 5)]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_permissions(tmp_path: Path) -> None:
    path = tmp_path / "secret.py"
    path.write_text(SLEEPY)
    path.chmod(0)
    (tmp_path / "good.py").write_text(SLEEPY)
    process, results = findings(tmp_path, ".")
    found = by_file(results)
    assert found["secret.py"] == [("ASL002", 1)] and "Permission denied" in message_of(results, "secret.py")
    assert found["good.py"] == [("ASL300", 5)]


def test_os_errors_while_reading_even_as_root(tmp_path: Path) -> None:
    """Root reads any file whatever its mode (the test above skips), so the OSError paths are
    covered by real failures root cannot bypass: opening a symlink loop (ELOOP) and reading a
    file that stats as regular but fails on read (`/proc/self/mem` at offset 0: EIO)."""
    for n in range(10):
        (tmp_path / f"file{n}.py").write_text(SLEEPY)
    (tmp_path / "eloop.py").symlink_to("eloop.py")
    has_mem = Path("/proc/self/mem").exists()
    if has_mem:
        (tmp_path / "mem.py").symlink_to("/proc/self/mem")
    for jobs in ("1", "2"):
        process, results = findings(tmp_path, "-j", jobs, ".")
        found = by_file(results)
        assert found["eloop.py"] == [("ASL002", 1)]
        assert "Too many levels of symbolic links" in message_of(results, "eloop.py")
        if has_mem:
            assert found["mem.py"] == [("ASL002", 1)] and "cannot read" in message_of(results, "mem.py")
        assert all(found[f"file{n}.py"] == [("ASL300", 5)] for n in range(10))


# --- files that change during the run -----------------------------------------------------------

DELETING_CLI = (
    "import sys, pathlib\n"
    "import async_lint.engine.runner as runner\n"
    "original = runner.process_file\n"
    "def deleting(source_file, settings, *rest):\n"
    "    if source_file.path.name.startswith('doomed'):\n"
    "        source_file.path.unlink()\n"
    "    return original(source_file, settings, *rest)\n"
    "runner.process_file = deleting\n"
    "from async_lint.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_files_deleted_during_the_run(tmp_path: Path) -> None:
    """Files vanish after discovery and before they are read (the runner is wrapped so each
    `doomed*.py` is deleted just before its turn): an ASL002 each, the rest checked."""
    for n in range(10):
        (tmp_path / f"doomed{n}.py").write_text(SLEEPY)
        (tmp_path / f"kept{n}.py").write_text(SLEEPY)
    for jobs in ("1", "2"):
        for n in range(10):
            (tmp_path / f"doomed{n}.py").write_text(SLEEPY)
        process = subprocess.run(
            [sys.executable, "-c", DELETING_CLI, "check", "--no-cache", "--format", "json", "-j", jobs, "."],
            cwd=tmp_path, env=_env_with_repo(), capture_output=True, text=True, timeout=120,
        )
        assert "Traceback" not in process.stderr, process.stderr
        found = by_file(json.loads(process.stdout))
        for n in range(10):
            assert found[f"doomed{n}.py"] == [("ASL002", 1)]
            assert found[f"kept{n}.py"] == [("ASL300", 5)]
        assert "deleted during the run" in message_of(json.loads(process.stdout), "doomed0.py")


def test_file_changed_between_check_and_write_is_not_overwritten(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "import async_lint.engine.runner as runner\n"
        "original = runner.check_source\n"
        "def editing(source, filename, settings, *args, **kwargs):\n"
        "    result = original(source, filename, settings, *args, **kwargs)\n"
        "    if settings.fix_mode == 'write':\n"
        "        open(filename, 'a').write('# edited by someone else\\n')\n"
        "    return result\n"
        "runner.check_source = editing\n"
        "from async_lint.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    (tmp_path / "busy.py").write_text(SLEEPY)
    process = subprocess.run(
        [sys.executable, "-c", script, "check", "--no-cache", "--fix", "--unsafe-fixes", "busy.py"],
        cwd=tmp_path, env=_env_with_repo(), capture_output=True, text=True, timeout=120,
    )
    assert "changed during the run" in process.stderr
    assert (tmp_path / "busy.py").read_text() == SLEEPY + "# edited by someone else\n"


def _env_with_repo() -> dict[str, str]:
    env = environment()
    env["PYTHONPATH"] = os.pathsep.join([env["PYTHONPATH"], str(REPO)])
    return env


# --- names, stdin -------------------------------------------------------------------------------


def test_paths_with_spaces_and_non_ascii_names(tmp_path: Path) -> None:
    folder = tmp_path / "my project" / "d\u00e9j\u00e0 vu"
    folder.mkdir(parents=True)
    (folder / "caf\u00e9 \u65e5\u672c.py").write_text(SLEEPY)
    process = run_cli("check", "--no-cache", "my project", cwd=tmp_path)
    assert process.returncode == 1
    assert "my project/d\u00e9j\u00e0 vu/caf\u00e9 \u65e5\u672c.py:5:5: ASL300" in process.stdout
    run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", f"my project/d\u00e9j\u00e0 vu/caf\u00e9 \u65e5\u672c.py", cwd=tmp_path)
    assert (folder / "caf\u00e9 \u65e5\u672c.py").read_text() == SLEEPY_FIXED


def test_stdin_input(tmp_path: Path) -> None:
    process = run_cli("check", "--no-cache", "--stdin-filename", "app/handler.py", cwd=tmp_path, stdin=SLEEPY)
    assert process.returncode == 1 and "app/handler.py:5:5: ASL300" in process.stdout
    process = run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", "--stdin-filename", "handler.py", cwd=tmp_path, stdin=SLEEPY)
    assert process.stdout == SLEEPY_FIXED
    process = run_cli("check", "--no-cache", "-", cwd=tmp_path, stdin="print 'py2'\n")
    assert process.returncode == 1 and "ASL001" in process.stdout
    process = run_cli("check", "--no-cache", "--stdin-filename", "x.py", cwd=tmp_path, stdin="")
    assert process.returncode == 0


def test_stdin_bytes_not_utf8(tmp_path: Path) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "async_lint", "check", "--no-cache", "--stdin-filename", "x.py"],
        cwd=tmp_path, env=environment(), input=b"x = '\xff'\n", capture_output=True, timeout=60,
    )
    assert process.returncode == 1 and b"ASL002" in process.stdout


# --- configuration ------------------------------------------------------------------------------


def _config(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "pyproject.toml").write_text(text)
    (tmp_path / "good.py").write_text(SLEEPY)
    return run_cli("check", "--no-cache", ".", cwd=tmp_path)


def test_malformed_pyproject(tmp_path: Path) -> None:
    process = _config(tmp_path, "[tool.async-lint]\nselect = [ASL300\n")
    assert process.returncode == 2
    assert "pyproject.toml" in process.stderr and "not valid TOML" in process.stderr
    assert "Traceback" not in process.stderr


def test_unknown_config_key(tmp_path: Path) -> None:
    process = _config(tmp_path, '[tool.async-lint]\nselekt = ["ASL300"]\n')
    assert process.returncode == 2 and "'selekt'" in process.stderr and "did you mean 'select'" in process.stderr


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('select = "ASL300"', "select"),
        ("respect-gitignore = 1", "respect-gitignore"),
        ("cache-dir = 3", "cache-dir"),
        ("per-file-ignores = 1", "per-file-ignores"),
        ('per-file-ignores = {"tests/*" = "ASL300"}', "per-file-ignores"),
        ("blocking-calls = [1]", "blocking-calls"),
    ],
)
def test_wrong_typed_config_value(tmp_path: Path, table: str, key: str) -> None:
    process = _config(tmp_path, f"[tool.async-lint]\n{table}\n")
    assert process.returncode == 2, process.stdout + process.stderr
    assert key in process.stderr and "Traceback" not in process.stderr


def test_section_that_is_not_a_table(tmp_path: Path) -> None:
    process = _config(tmp_path, '[tool]\nasync-lint = "yes"\n')
    assert process.returncode == 2 and "must be a table" in process.stderr


@pytest.mark.parametrize("where", ["cli", "config"])
def test_unknown_rule_code_in_select(tmp_path: Path, where: str) -> None:
    (tmp_path / "good.py").write_text(SLEEPY)
    if where == "cli":
        process = run_cli("check", "--no-cache", "--select", "ASL300,ASL999", ".", cwd=tmp_path)
    else:
        process = _config(tmp_path, '[tool.async-lint]\nselect = ["ASL300", "XYZ1"]\n')
    assert process.returncode == 2
    assert ("'ASL999'" if where == "cli" else "'XYZ1'") in process.stderr


# --- a rule that raises -------------------------------------------------------------------------


def test_exception_in_a_rule_is_internal_error_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "explodes.py").write_text("import time\n\n\nasync def f():\n    explode()\n    time.sleep(1)\n")
    for n in range(12):
        (tmp_path / f"fine{n}.py").write_text(SLEEPY)
    for jobs in ("1", "2"):
        process = subprocess.run(
            [sys.executable, "-c", CLI_WITH_TEST_RULES, "check", "--no-cache", "--format", "json", "-j", jobs,
             "--select", f"ASL300,{EXPLODING}", "."],
            cwd=tmp_path, env=_env_with_repo(), capture_output=True, text=True, timeout=120,
        )
        assert process.returncode == 2, process.stderr
        results = json.loads(process.stdout)
        found = by_file(results)
        # the failing rule is named; the other rules still ran on the same file and on the rest
        assert sorted(found["explodes.py"]) == [("ASL003", 1), ("ASL300", 6)]
        message = message_of([r for r in results if r["code"] == "ASL003"], "explodes.py")
        assert EXPLODING in message and "test-exploding-rule" in message and "boom from a test-only rule" in message
        assert all(found[f"fine{n}.py"] == [("ASL300", 5)] for n in range(12))


def test_output_file_that_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(SLEEPY)
    process = run_cli("check", "--no-cache", "--output-file", "missing/dir/report.txt", ".", cwd=tmp_path)
    assert process.returncode == 2 and "Traceback" not in process.stderr
    assert "--output-file missing/dir/report.txt: cannot write: No such file or directory" in process.stderr
