"""The progress line (`output/progress.py`), driven by a fake stream and a fake clock."""

from __future__ import annotations

import io

import pytest

from async_lint.output.progress import ERASE, Progress, progress_wanted


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _progress(tty: bool = True) -> tuple[Progress, Stream, Clock]:
    stream, clock = Stream(tty), Clock()
    progress = Progress(stream, progress_wanted(stream, "text", False, False, {}), clock)
    return progress, stream, clock


def test_nothing_shows_in_the_first_half_second() -> None:
    progress, stream, clock = _progress()
    clock.now += 0.4
    progress.update(10, 100)
    progress.close()
    assert stream.getvalue() == ""


def test_the_line_shows_the_count_and_rate_and_is_erased_on_close() -> None:
    progress, stream, clock = _progress()
    clock.now += 1.0
    progress.update(85, 1274)
    assert stream.getvalue() == "\rchecked 85/1274 files (85 files/s)\x1b[K"
    progress.close()
    assert stream.getvalue().endswith(ERASE)
    progress.close()
    assert stream.getvalue().count(ERASE) == 1


def test_redraws_at_most_ten_times_a_second() -> None:
    progress, stream, clock = _progress()
    clock.now += 1.0
    for done in range(1, 101):
        clock.now += 0.01
        progress.update(done, 100)
    assert stream.getvalue().count("checked ") == 10
    assert "checked 91/100 files" in stream.getvalue()


def test_the_counter_counts_results() -> None:
    progress, stream, clock = _progress()
    count = progress.counter(3)
    count(object())
    clock.now += 0.6
    count(object())
    assert stream.getvalue() == "\rchecked 2/3 files (3 files/s)\x1b[K"


def test_nothing_shows_when_the_stream_is_not_a_terminal() -> None:
    progress, stream, clock = _progress(tty=False)
    clock.now += 5.0
    progress.update(50, 100)
    progress.close()
    assert stream.getvalue() == ""


@pytest.mark.parametrize(
    ("output_format", "to_file", "quiet", "environ", "wanted"),
    [
        ("text", False, False, {}, True),
        ("json", True, False, {}, True),
        ("json", False, False, {}, False),
        ("github", False, False, {}, False),
        ("text", False, True, {}, False),
        ("text", False, False, {"CI": "true"}, False),
        ("text", False, False, {"CI": "1"}, False),
        ("text", False, False, {"CI": "false"}, True),
        ("text", False, False, {"TERM": "dumb"}, False),
    ],
)
def test_when_the_line_is_wanted(output_format: str, to_file: bool, quiet: bool, environ: dict[str, str], wanted: bool) -> None:
    assert progress_wanted(Stream(True), output_format, to_file, quiet, environ) is wanted
    assert progress_wanted(Stream(False), output_format, to_file, quiet, environ) is False

