"""`# noqa` comments, read as flake8 reads them, and written by the editor's quick fix."""

from __future__ import annotations

import pytest

from async_lint.noqa import is_suppressed, suppressed_codes, with_noqa


def test_named_codes_silence_only_those_codes() -> None:
    assert suppressed_codes("time.sleep(1)  # noqa: ASL300") == {"ASL300"}
    assert suppressed_codes("x  # noqa:ASL300,ASL200") == {"ASL300", "ASL200"}
    assert is_suppressed("ASL300", "time.sleep(1)  # noqa: ASL300")
    assert not is_suppressed("ASL200", "asyncio.run(main())  # noqa: ASL300")
    assert is_suppressed("ASL200", "asyncio.run(main())  # noqa")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("time.sleep(1)", "time.sleep(1)  # noqa: ASL300"),
        ("time.sleep(1)   ", "time.sleep(1)  # noqa: ASL300"),
        ("time.sleep(1)  # noqa: E501", "time.sleep(1)  # noqa: E501, ASL300"),
        ("time.sleep(1)  # noqa:ASL200  # why", "time.sleep(1)  # noqa:ASL200, ASL300  # why"),
        ("time.sleep(1)  # noqa", "time.sleep(1)  # noqa"),
        ("time.sleep(1)  # slow on purpose", "time.sleep(1)  # slow on purpose  # noqa: ASL300"),
    ],
)
def test_with_noqa(line: str, expected: str) -> None:
    comment = line[line.index("#") :] if "noqa" in line else None
    assert with_noqa(line, ["ASL300"], comment) == expected
    assert is_suppressed("ASL300", expected)
