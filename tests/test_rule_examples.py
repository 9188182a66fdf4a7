"""Each rule's VALID and INVALID examples (the ones its docs show) are tests too."""

from __future__ import annotations

import pytest

from async_lint.rules import all_rules
from async_lint.rules.base import dedent_example
from tests.helpers import check, fix, rule_codes, with_rule

CASES_VALID = [(code, i) for code in rule_codes() for i in range(len(all_rules()[code].valid))]
CASES_INVALID = [(code, i) for code in rule_codes() for i in range(len(all_rules()[code].invalid))]


@pytest.mark.parametrize("code", rule_codes())
def test_rule_has_examples_and_docs(code: str) -> None:
    rule = all_rules()[code]
    assert rule.valid, f"{code} has no VALID examples"
    assert rule.invalid, f"{code} has no INVALID examples"
    assert rule.description() and rule.why and rule.fix_safety and rule.not_flagged
    assert rule.invalid[0].fixed is not None or rule.use_instead, f"{code}: the docs need a 'Use instead'"


@pytest.mark.parametrize(("code", "index"), CASES_VALID)
def test_valid_example_is_clean(code: str, index: int) -> None:
    source = dedent_example(all_rules()[code].valid[index])
    assert [d for d in check(source, with_rule(code)) if d.code == code] == []


@pytest.mark.parametrize(("code", "index"), CASES_INVALID)
def test_invalid_example_is_flagged_and_fixed(code: str, index: int) -> None:
    example = all_rules()[code].invalid[index]
    found = [d for d in check(example.code, with_rule(code)) if d.code == code]
    assert found, f"{code} INVALID example {index} not flagged"
    fixed = fix(example.code, frozenset({code}), unsafe=True)
    if example.fixed is None:
        assert fixed == example.code, "an example documented as suggestion-only was changed by --fix"
    else:
        assert fixed == example.fixed


@pytest.mark.parametrize("code", rule_codes())
def test_rule_has_a_runtime_proof(code: str) -> None:
    from tests.helpers import REPO

    proof = all_rules()[code].proof
    assert proof is not None, f"{code} names no runtime proof (tests/runtime/)"
    assert (REPO / proof).is_file(), f"{code}'s proof {proof} does not exist"
