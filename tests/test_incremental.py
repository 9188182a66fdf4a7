"""Incremental re-parsing gives the same module text and the same findings as a full parse."""

from __future__ import annotations

import random
from pathlib import Path

import libcst as cst
import pytest

from async_lint.config import RuleOptions
from async_lint.engine.checker import check_text
from async_lint.rules import build_rule_set
from async_lint.engine.incremental import parse_text, reparse
from tests.helpers import EXAMPLES, FIXTURES, SRC, rule_codes

EDITS = ["", "x", "\n", "    ", "time.sleep(1)", "await ", "(", ")", '"""', "# c\n", "async ", "def g():\n    pass\n"]


def _sources() -> list[Path]:
    return sorted([*FIXTURES.glob("ASL*.py"), *EXAMPLES.rglob("*.py"), SRC / "async_lint" / "lsp_server.py"])


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_random_edits(path: Path) -> None:
    rng = random.Random(path.name)
    parsed = parse_text(path.read_text(encoding="utf-8"))
    for _ in range(20):
        text = parsed.text
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.choice([0, 0, 1, 3, 20]))
        edited = text[:start] + rng.choice(EDITS) + text[end:]
        try:
            expected = cst.parse_module(edited)
        except Exception:  # noqa: BLE001
            with pytest.raises(Exception):  # noqa: B017
                reparse(parsed, edited)
            continue
        result = reparse(parsed, edited)
        assert result.module.code == edited
        assert result.ends == parse_text(edited).ends
        rule_set = build_rule_set(frozenset(rule_codes()), RuleOptions())
        full = check_text(edited, "m.py", rule_set, module_name="m")
        assert check_text(edited, "m.py", rule_set, module_name="m", module=result.module) == full
        assert result.module.deep_equals(expected) or _same_but_comment_placement(result.module, expected)
        parsed = result


def _same_but_comment_placement(a: cst.Module, b: cst.Module) -> bool:
    return a.code == b.code and len(a.body) == len(b.body)


def test_reuses_untouched_statements() -> None:
    text = "".join(f"async def f{i}():\n    return {i}\n\n\n" for i in range(10))
    parsed = parse_text(text)
    edited = text.replace("return 5", "return 55")
    result = reparse(parsed, edited)
    assert result.module.code == edited
    reused = sum(1 for old, new in zip(parsed.module.body, result.module.body) if old is new)
    assert reused >= 7
