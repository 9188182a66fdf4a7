"""How a run's files are handed to its workers (`engine.runner.guided_chunks`)."""

from __future__ import annotations

import pytest

from async_lint.engine.runner import SMALLEST_CHUNK, guided_chunks


@pytest.mark.parametrize(("count", "jobs"), [(1, 2), (7, 2), (64, 2), (1274, 2), (1000, 8), (10_891, 4)])
def test_chunks_cover_every_file_once_in_order(count: int, jobs: int) -> None:
    spans = guided_chunks(count, jobs)
    assert spans[0][0] == 0 and spans[-1][1] == count
    assert all(end == start for (_, end), (start, _) in zip(spans, spans[1:]))
    assert all(end > start for start, end in spans)


def test_chunks_shrink_to_the_smallest_size() -> None:
    sizes = [end - start for start, end in guided_chunks(1274, 2)]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == 1274 // 4  # a share of what is left: a quarter with two workers
    assert max(sizes[-3:]) <= SMALLEST_CHUNK  # the last ones small: the workers end together
