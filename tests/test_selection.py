"""Selecting rules: `ASL` (the default) is every rule that is on by default; an opt-in rule runs
only when a selector names its group or itself, or says `ALL`."""

from __future__ import annotations

import pytest

from async_lint import selection
from async_lint.config import ConfigError
from async_lint.rule_catalog import RULES, RuleInfo

INFRASTRUCTURE = {"ASL001", "ASL002", "ASL003"}


@pytest.fixture
def catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small catalog: two default rules, two opt-in ones in a group of their own."""
    rules = {
        "ASL001": RuleInfo("ASL001", "syntax-error", "", True),
        "ASL100": RuleInfo("ASL100", "one", "", False),
        "ASL300": RuleInfo("ASL300", "two", "", False),
        "ASL500": RuleInfo("ASL500", "three", "", False, True),
        "ASL501": RuleInfo("ASL501", "four", "", False, True),
    }
    monkeypatch.setattr(selection, "RULES", rules)


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize(
    ("select", "extend", "ignore", "expected"),
    [
        (["ASL"], [], [], {"ASL100", "ASL300"}),
        (["asl"], [], [], {"ASL100", "ASL300"}),
        (["ASL5"], [], [], {"ASL500", "ASL501"}),
        (["ASL", "ASL5"], [], [], {"ASL100", "ASL300", "ASL500", "ASL501"}),
        (["ASL"], ["ASL500"], [], {"ASL100", "ASL300", "ASL500"}),
        (["ALL"], [], [], {"ASL100", "ASL300", "ASL500", "ASL501"}),
        (["ASL5"], [], ["ASL501"], {"ASL500"}),
        (["ASL1"], [], [], {"ASL100"}),
    ],
)
def test_opt_in_rules_need_to_be_named(select: list[str], extend: list[str], ignore: list[str], expected: set[str]) -> None:
    assert selection.enabled_codes(select, extend, ignore) == frozenset(expected | {"ASL001"})


@pytest.mark.usefixtures("catalog")
def test_default_codes_leave_opt_in_rules_out() -> None:
    assert selection.default_codes() == frozenset({"ASL001", "ASL100", "ASL300"})


@pytest.mark.usefixtures("catalog")
def test_unknown_prefix_is_an_error() -> None:
    with pytest.raises(ConfigError, match="unknown rule code or prefix 'ASL9'"):
        selection.enabled_codes(["ASL9"], [], [])


@pytest.mark.usefixtures("catalog")
def test_selecting_only_ignored_opt_in_rules_enables_nothing() -> None:
    with pytest.raises(ConfigError, match="enables no rule"):
        selection.enabled_codes(["ASL5"], [], ["ASL5"])


def test_the_real_catalog_default_runs_every_default_rule() -> None:
    default = selection.default_codes()
    assert default == {code for code, info in RULES.items() if not info.opt_in}
    assert INFRASTRUCTURE <= default
