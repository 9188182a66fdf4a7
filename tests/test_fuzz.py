"""Property tests: generated programs (hypothesmith, and async-flavoured programs built to make
the rules fire) never make the checker raise, every fix leaves code that compiles, fixing
twice equals fixing once, and removing findings never creates findings in unrelated code.

A bounded number of examples runs in the suite; a longer campaign by hand:
`ASYNC_LINT_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py -p no:cacheprovider`.
Inputs that once failed are kept in tests/regressions/ and checked on every run.
"""

from __future__ import annotations

from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import (
    assert_checker_never_fails,
    assert_fix_is_sound,
    assert_removing_findings_stays_local,
    async_programs,
    examples,
)

REGRESSIONS = Path(__file__).parent / "regressions"


def fuzz_settings(default: int) -> settings:
    return settings(
        max_examples=examples(default),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )


@fuzz_settings(40)
@given(async_programs())
def test_generated_async_programs(text: str) -> None:
    assert_checker_never_fails(text)
    assert_fix_is_sound(text)
    assert_removing_findings_stays_local(text)


@fuzz_settings(10)
@given(hypothesmith.from_grammar())
def test_grammar_programs_never_crash_the_checker(text: str) -> None:
    assert_checker_never_fails(text)
    assert_fix_is_sound(text)


@fuzz_settings(6)
@given(hypothesmith.from_node())
def test_libcst_programs_never_crash_the_checker(text: str) -> None:
    assert_checker_never_fails(text)
    assert_fix_is_sound(text)


TOKENS = [*"async def await ():\n\t\r\\#'\"[]{}.,=*@0x_", "time.sleep(1)", "asyncio.run(", "import time\n", "\x0c", "\ufeff", "\u00e9"]


@fuzz_settings(30)
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_arbitrary_text_never_crashes_the_checker(text: str) -> None:
    assert_checker_never_fails(text)
    assert_fix_is_sound(text)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*.py")), ids=lambda p: p.name)
def test_regressions(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    assert_checker_never_fails(text)
    assert_fix_is_sound(text)
    assert_removing_findings_stays_local(text)
