"""The run record's journal (`engine/record_files.py`): a run that changes a few entries appends
them instead of rewriting the record, and a journal line is applied only when it belongs to the
base, arrived whole, and was written by a run that saw every line before it."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from async_lint.engine import record_files
from async_lint.engine.cache_files import checksum, json_payload, read_json
from async_lint.engine.dependency_graph import Node
from async_lint.engine.record_files import RecordState, RecordStore, _encode
from tests.helpers import run_cli

FORMAT = 99


def _state(*names: str, findings: int = 0) -> RecordState:
    """A record of modules `names` (each its own node, importing the next one)."""
    state = RecordState()
    for i, name in enumerate(names):
        path = f"/p/{name}.py"
        imports = (f"/p/{names[i + 1]}.py",) if i + 1 < len(names) else ()
        state.stamps[path] = ((10 + i, 1000 + i, 1000 + i, 7 + i), f"c-{name}")
        state.nodes[path] = Node((path,), imports, "r", f"c-{name}", f"i-{name}")
        state.entries[path] = (name, False, [{"code": "ASL300", "n": n} for n in range(findings)], path)
    return state


def _store(tmp_path: Path) -> RecordStore:
    return RecordStore(tmp_path / "runs" / "key.json", tmp_path, FORMAT)


def _same(a: RecordState, b: RecordState) -> bool:
    return (a.stamps, a.nodes, a.entries) == (b.stamps, b.nodes, b.entries)


def _changed(state: RecordState, name: str, finding: str) -> RecordState:
    path = f"/p/{name}.py"
    entries = {**state.entries, path: (name, False, [{"code": finding}], path)}
    return RecordState(dict(state.stamps), dict(state.nodes), entries)


def _journal_lines(store: RecordStore) -> list[bytes]:
    return store.journal.read_bytes().splitlines() if store.journal.exists() else []


def test_a_change_is_appended_and_the_base_is_left_alone(tmp_path: Path) -> None:
    first = _state("a", "b", "c")
    _store(tmp_path).save(first)
    base = (tmp_path / "runs" / "key.json").read_bytes()
    store = _store(tmp_path)
    assert _same(store.load(), first) and not store.journal.exists()
    second = _changed(first, "b", "ASL301")
    del second.entries["/p/c.py"]
    store.save(second)
    assert (tmp_path / "runs" / "key.json").read_bytes() == base
    (line,) = _journal_lines(store)
    assert b"/p/a.py" not in line, "only what changed is written"
    assert _same(_store(tmp_path).load(), second)
    store.save(second)  # nothing changed since: nothing written
    assert len(_journal_lines(store)) == 1


def _runs_changing_a(tmp_path: Path, codes: tuple[str, ...]) -> tuple[RecordStore, RecordState]:
    """A record of `a` and `b`, then one run per code, each reading the record and changing
    `a`'s findings to that code; the last run's store and state."""
    _store(tmp_path).save(_state("a", "b"))
    state = _state("a", "b")
    for code in codes:
        store = _store(tmp_path)
        store.load()
        state = _changed(state, "a", code)
        store.save(state)
    return store, state


def test_lines_build_on_each_other_in_order(tmp_path: Path) -> None:
    _, state = _runs_changing_a(tmp_path, ("ASL300", "ASL301", "ASL302"))
    loaded = _store(tmp_path).load()
    assert loaded.entries["/p/a.py"][2] == [{"code": "ASL302"}] and _same(loaded, state)


def test_a_torn_last_line_is_not_applied_and_the_next_write_folds_the_journal(tmp_path: Path) -> None:
    _store(tmp_path).save(_state("a", "b"))
    store = _store(tmp_path)
    store.load()
    store.save(_changed(_state("a", "b"), "a", "ASL301"))
    (line,) = _journal_lines(store)
    store.journal.write_bytes(line[: len(line) // 2])  # a write cut short
    reader = _store(tmp_path)
    assert _same(reader.load(), _state("a", "b"))
    reader.save(_changed(_state("a", "b"), "b", "ASL302"))
    assert not reader.journal.exists(), "folded into a new base"
    assert _store(tmp_path).load().entries["/p/b.py"][2] == [{"code": "ASL302"}]


def test_a_damaged_line_ends_the_journal_there(tmp_path: Path) -> None:
    store, _ = _runs_changing_a(tmp_path, ("ASL301", "ASL302", "ASL303"))
    lines = _journal_lines(store)
    flipped = lines[1].replace(b"ASL302", b"ASL312")
    store.journal.write_bytes(b"\n".join([lines[0], flipped, lines[2]]) + b"\n")
    assert _store(tmp_path).load().entries["/p/a.py"][2] == [{"code": "ASL301"}]


def test_a_line_of_a_run_that_did_not_see_the_lines_before_it_is_not_applied(tmp_path: Path) -> None:
    """Two runs read the record at once and both append: the second's line was made from a
    view without the first's, and applying both would mix them."""
    _store(tmp_path).save(_state("a", "b"))
    one, two = _store(tmp_path), _store(tmp_path)
    one.load(), two.load()
    one.save(_changed(_state("a", "b"), "a", "ASL301"))
    two.save(_changed(_state("a", "b"), "b", "ASL302"))
    assert len(_journal_lines(one)) == 2
    loaded = _store(tmp_path).load()
    assert loaded.entries["/p/a.py"][2] == [{"code": "ASL301"}] and loaded.entries["/p/b.py"][2] == []


def test_a_line_of_another_base_is_not_applied(tmp_path: Path) -> None:
    _store(tmp_path).save(_state("a", "b"))
    stale = _store(tmp_path)
    stale.load()
    _store(tmp_path).save(_state("a", "b", findings=1))  # another run wrote the record whole meanwhile
    stale.save(_changed(_state("a", "b"), "a", "ASL301"))  # its line names the base it read
    assert _journal_lines(stale)
    assert _same(_store(tmp_path).load(), _state("a", "b", findings=1))


def test_a_grown_journal_is_folded_into_a_new_base_that_keeps_only_what_entries_reach(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(record_files, "COMPACT_FLOOR_BYTES", 0)
    state = _state("a", "b", "c")
    state.nodes["/p/orphan.py"] = Node(("/p/orphan.py",), (), "r", "c", "i")
    state.stamps["/p/orphan.py"] = ((1, 1, 1, 1), "c")
    _store(tmp_path).save(state)
    assert "/p/orphan.py" not in _store(tmp_path).load().nodes
    base_size = (tmp_path / "runs" / "key.json").stat().st_size
    written = 0
    while True:
        store = _store(tmp_path)
        store.load()
        state = _changed(state, "a", f"ASL{300 + written % 5}")
        store.save(state)
        written += 1
        if not store.journal.exists():
            break
        assert store.journal.stat().st_size <= base_size * 0.25 + 400
    assert written > 1
    assert _store(tmp_path).load().entries["/p/a.py"][2] == state.entries["/p/a.py"][2]


def test_a_base_of_another_format_is_an_empty_record(tmp_path: Path) -> None:
    _store(tmp_path).save(_state("a"))
    assert _same(RecordStore(tmp_path / "runs" / "key.json", tmp_path, FORMAT + 1).load(), RecordState())


# --- through the CLI ----------------------------------------------------------------------------

SLEEPY = "import time\n\n\nasync def handler():\n    time.sleep(1)\n"


def _project(tmp_path: Path) -> None:
    for n in range(6):
        (tmp_path / f"m{n}.py").write_text(SLEEPY if n % 2 else f"from m{n + 1} import *\nx = {n}\n")
    an_hour_ago = time.time() - 3600
    for path in [tmp_path, *tmp_path.iterdir()]:
        os.utime(path, (an_hour_ago, an_hour_ago))


def _record(tmp_path: Path) -> Path:
    (base,) = (tmp_path / ".async_lint_cache").rglob("runs/*.json")
    return base


def test_an_edited_file_appends_to_the_journal_and_the_findings_stay_right(tmp_path: Path) -> None:
    _project(tmp_path)
    args = ("check", "--output-format", "json", "-j", "1", ".")
    run_cli(*args, cwd=tmp_path)
    base = _record(tmp_path)
    written = base.read_bytes()
    edited = tmp_path / "m1.py"
    edited.write_text(SLEEPY + "time.sleep(2)\n\n\nasync def other():\n    time.sleep(3)\n")
    os.utime(edited, (time.time() - 60, time.time() - 60))
    after_edit = run_cli(*args, cwd=tmp_path)
    assert base.read_bytes() == written, "the base is not written again"
    assert len(base.with_suffix(".journal").read_bytes().splitlines()) == 1
    reference = run_cli(*args, "--no-cache", cwd=tmp_path)
    assert after_edit.stdout == reference.stdout and len(json.loads(reference.stdout)) == 4
    warm = run_cli("check", "--output-format", "json", "-j", "1", "--explain-unresolved", ".", cwd=tmp_path)
    assert warm.stdout == reference.stdout and "6 of 6 files from the run record" in warm.stderr


def test_a_line_from_a_run_with_another_view_never_answers(tmp_path: Path) -> None:
    """A journal line that would poison m1.py's findings, written as a run that did not see the
    line before it would have: the run does not apply it, and answers right."""
    _project(tmp_path)
    args = ("check", "--output-format", "json", "-j", "1", ".")
    reference = run_cli(*args, cwd=tmp_path)
    edited = tmp_path / "m3.py"
    edited.write_text(SLEEPY + "# a comment\n")
    os.utime(edited, (time.time() - 60, time.time() - 60))
    assert run_cli(*args, cwd=tmp_path).stdout == reference.stdout
    base = _record(tmp_path)
    data = read_json(base)
    assert isinstance(data, dict)
    path = str((tmp_path / "m1.py").resolve())
    poisoned = RecordState(entries={path: ("m1", False, [], path)})
    change = {**_encode(poisoned), "drop": {"stamps": [], "nodes": [], "entries": []}, "base": data["id"], "after": 0}
    payload = json_payload(change)
    with open(base.with_suffix(".journal"), "ab") as stream:
        stream.write(checksum(payload) + b" " + payload + b"\n")
    again = run_cli(*args, cwd=tmp_path)
    assert again.stdout == reference.stdout and "m1.py" in again.stdout


def test_a_line_of_the_wrong_shape_changes_nothing(tmp_path: Path) -> None:
    """Intact (checksummed) but malformed: it drops `a` and then sets something that is not an
    entry. Nothing of it is applied, not even the drop."""
    _store(tmp_path).save(_state("a", "b"))
    store = _store(tmp_path)
    store.load()
    data = read_json(store.path)
    assert isinstance(data, dict)
    bad = {"stamps": [], "nodes": [], "entries": {"/p/c.py": "not an entry"}, "paths": [], "drop": {"stamps": [], "nodes": [], "entries": ["/p/a.py"]}}
    payload = json_payload({**bad, "base": data["id"], "after": 0})
    store.journal.write_bytes(checksum(payload) + b" " + payload + b"\n")
    assert _same(_store(tmp_path).load(), _state("a", "b"))


def test_a_journal_that_cannot_be_read_is_no_error(tmp_path: Path) -> None:
    """A directory where the journal goes (or a file that cannot be read): the base is read
    alone, and every write is a whole base; nothing raises."""
    _store(tmp_path).save(_state("a", "b"))
    store = _store(tmp_path)
    store.journal.mkdir()
    assert _same(store.load(), _state("a", "b"))
    changed = _changed(_state("a", "b"), "a", "ASL301")
    store.save(changed)
    assert _same(_store(tmp_path).load(), changed)
