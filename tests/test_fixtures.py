"""Every rule has `tests/fixtures/ASLxxx.py`: its findings are exactly the `# error:` markers,
its clean lines stay clean, and `--fix` turns it into `ASLxxx.fixed.py` exactly. A fixture is
checked with the default selection plus its own rule (opt-in or not)."""

from __future__ import annotations

import pytest

from tests.helpers import FIXTURES, check, expected_markers, fix, rule_codes, with_rule


@pytest.mark.parametrize("code", rule_codes())
def test_fixture_exists(code: str) -> None:
    fixture = FIXTURES / f"{code}.py"
    assert fixture.exists(), f"{code} has no fixture {fixture}"
    assert any(c == code for _, c in expected_markers(fixture.read_text())), f"{fixture} marks no {code} finding"


def _fixtures() -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob("ASL*.py") if not p.name.endswith(".fixed.py") and ".unsafe-fixed" not in p.name)


@pytest.mark.parametrize("name", _fixtures())
def test_findings_match_markers(name: str) -> None:
    text = (FIXTURES / f"{name}.py").read_text()
    found = {(d.start.row, d.code) for d in check(text, with_rule(name.split(".")[0]), filename=f"{name}.py", module_name=name)}
    expected = expected_markers(text)
    assert sorted(found - expected) == [], "unexpected findings (false positives)"
    assert sorted(expected - found) == [], "expected findings not reported"


@pytest.mark.parametrize("name", _fixtures())
@pytest.mark.parametrize("unsafe", [False, True], ids=["fix", "unsafe-fix"])
def test_fix_output(name: str, unsafe: bool) -> None:
    source = FIXTURES / f"{name}.py"
    suffix = ".unsafe-fixed.py" if unsafe else ".fixed.py"
    expected_file = FIXTURES / f"{name}{suffix}"
    if unsafe and not expected_file.exists():
        pytest.skip(f"{name} has no unsafe fixes (no {expected_file.name})")
    assert expected_file.exists(), f"missing {expected_file}"
    code = frozenset({name.split(".")[0]}) | {"ASL001", "ASL002", "ASL003"}
    fixed = fix(source.read_text(), code, unsafe=unsafe, filename=source.name)
    assert fixed == expected_file.read_text()
    assert fix(fixed, code, unsafe=unsafe, filename=source.name) == fixed, "a second --fix changed the file"
