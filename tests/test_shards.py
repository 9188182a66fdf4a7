"""`check --shard K/N` and `merge-sarif` (issue 19): N CI jobs, each checking one part of the
files, find together exactly what one whole run finds, byte for byte, even where a file of one
shard imports a module of another (ASL100 across modules needs the other module's coroutines)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from async_lint.engine.shards import Shard, shard_of
from async_lint.output.sarif_merge import MergeError, merge_sarif
from tests.helpers import run_cli
from tests.test_run_equivalence import GENERATED_PAIRS, _make_project

SHARDS = 3


def _run(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    result = run_cli("check", *options, ".", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _json_lines(output: str) -> list[str]:
    """A JSON report's findings, each as the text it has in the report."""
    return [json.dumps(item, sort_keys=True) for item in json.loads(output)]


def test_the_shards_of_a_run_find_what_the_whole_run_finds(tmp_path: Path) -> None:
    root = _make_project(tmp_path)
    files = sorted(p for p in root.rglob("*.py") if ".async_lint_cache" not in p.parts)
    parts = {p: shard_of(p, root, SHARDS) for p in files}
    assert set(parts.values()) == set(range(1, SHARDS + 1))  # no shard is empty
    crossing = [n for n in range(GENERATED_PAIRS) if parts[root / "app" / "extra" / f"use_{n}.py"] != parts[root / "app" / "extra" / f"jobs_{n}.py"]]
    assert crossing, "no importer is in another shard than the module it imports: the test proves nothing"

    for cache in ("--no-cache", None):  # each shard's cache starts empty and is filled by the shard
        options = [cache] if cache else []
        if cache is None:
            for directory in root.rglob(".async_lint_cache"):
                subprocess.run(["rm", "-rf", str(directory)], check=True)
        whole_sarif = _run(root, "--no-cache", "--format", "sarif").stdout
        whole_json = _run(root, "--no-cache", "--format", "json").stdout
        sarif_files = []
        shard_findings: list[str] = []
        for k in range(1, SHARDS + 1):
            report = tmp_path / f"shard-{k}-{cache}.sarif"
            _run(root, *options, "--shard", f"{k}/{SHARDS}", "--format", "sarif", "--output-file", str(report))
            sarif_files.append(str(report))
            shard_findings += _json_lines(_run(root, *options, "--shard", f"{k}/{SHARDS}", "--format", "json").stdout)
            # A shard reports only its own files.
            reported = {Path(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in json.loads(report.read_text())["runs"][0]["results"]}
            assert all(parts[root / name] == k for name in reported)
        merged = run_cli("merge-sarif", *sarif_files, cwd=root)
        assert merged.returncode == 0, merged.stderr
        assert merged.stdout == whole_sarif  # byte-identical
        assert sorted(shard_findings) == sorted(_json_lines(whole_json))
        assert len(json.loads(whole_json)) >= GENERATED_PAIRS + 2
        # The importers in another shard than their module still have their ASL100.
        for n in crossing:
            found = [json.loads(line) for line in shard_findings]
            assert any(Path(f["filename"]).as_posix().endswith(f"app/extra/use_{n}.py") and f["code"] == "ASL100" for f in found)


def test_a_file_keeps_its_shard_whatever_else_is_in_the_tree(tmp_path: Path) -> None:
    root = tmp_path
    names = [root / "pkg" / f"m{n}.py" for n in range(200)]
    before = {p: shard_of(p, root, 4) for p in names}
    assert {shard_of(p, root / "pkg" / "..", 4) for p in names[:1]} == {before[names[0]]}
    assert 30 < sum(1 for s in before.values() if s == 1) < 70  # spread evenly
    assert Shard.parse("2/4") == Shard(2, 4) and Shard(2, 4).holds(names[0], root) == (before[names[0]] == 2)


def test_a_bad_shard_or_report_is_an_error(tmp_path: Path) -> None:
    for text in ("0/3", "4/3", "3", "a/b", "1/0"):
        result = run_cli("check", "--shard", text, ".", cwd=tmp_path)
        assert result.returncode == 2, text
        assert "K/N" in result.stderr
    good = tmp_path / "good.sarif"
    (tmp_path / "a.py").write_text("import time\n\nasync def f():\n    time.sleep(1)\n")
    run_cli("check", "--no-cache", "--format", "sarif", "--output-file", str(good), ".", cwd=tmp_path)
    other = json.loads(good.read_text())
    other["runs"][0]["tool"]["driver"]["version"] = "0.0.0-other"
    (tmp_path / "other.sarif").write_text(json.dumps(other))
    (tmp_path / "broken.sarif").write_text("{")
    for bad in ("other.sarif", "broken.sarif", "missing.sarif"):
        result = run_cli("merge-sarif", "good.sarif", bad, cwd=tmp_path)
        assert result.returncode == 2, bad
        assert "async-lint: error:" in result.stderr
    try:
        merge_sarif([])
    except MergeError:
        pass
    else:
        raise AssertionError("merging nothing is an error")
    one = run_cli("merge-sarif", "good.sarif", cwd=tmp_path)
    assert one.returncode == 0 and one.stdout == good.read_text()
